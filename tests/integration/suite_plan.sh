#!/usr/bin/env bash
# suite_plan: `tenantrt validate` and `tenantrt plan` against real DPDK.
#
# The planned EAL argv and env are run as they are by dpdk-testpmd: a group
# (primary + two secondaries with their own lcore ids, one device list) and
# an independent primary with --socket-mem, side by side, each in its own
# runtime dir and its own hugetlbfs mount made here. Virtual devices only
# (net_null, net_ring), and every plan is checked for --no-pci before it
# runs, so DPDK never probes the host's NIC.
#
# Note: dpdk-proc-info cannot take a planned secondary argv: it prepends
# its own "-c1", and 22.11 refuses --lcores after -c. testpmd is the
# secondary here.
source "$(dirname "$0")/lib.sh"
suite_begin "${1:-build}"
root=$(cd "$(dirname "$0")/../.." && pwd)
D=$T_TMP

# Unique per run: other engineers run DPDK tests on this host at once.
A=plana$$
B=planb$$
Y=$D/tenants.yaml

free_now=$(hp_free)
if [ "${free_now:-0}" -lt 160 ]; then
	echo "  FAIL  needs 160 free 2M hugepages, has ${free_now:-0}; run deploy/host/setup.sh"
	T_FAIL=$((T_FAIL + 1))
	suite_end
	exit 1
fi

# Registered first, so it runs last: after every process is gone.
mkdir -p "$D/huge" "$D/run"
mount -t hugetlbfs -o pagesize=2M,size=320M nodev "$D/huge"
on_exit "umount '$D/huge'"

cat >"$Y" <<EOF
host:
  runtimeRoot: $D/run
  hugepageDir: $D/huge
  cpus: "0-1"
tenants:
  - name: $A
    memory: {totalMb: 64, limitMb: 192}
    cpus: "1"
    lcores: {perPrimary: 2, perSecondary: 2}
    nics: [net_null0, net_ring0]
    group: {maxSecondaries: 2, allowForeignBinaries: true}
  - name: $B
    memory: {socketMb: [64], limitMb: 96}
    cpus: "0"
    nics: [net_null0]
EOF
# What the shim creates before exec (tenantfs): the runtime and hugepage dirs.
for t in "$A" "$B"; do
	mkdir -p -m 0700 "$D/run/$t" "$D/huge/$t"
done

# --- validate ---------------------------------------------------------------

check_validate_example() {
	local out
	out=$(cd "$root" && tenantrt validate --config examples/tenants.yaml) || return 1
	# acme's three members share its one cpu: valid, with that warning
	[ "$out" = "examples/tenants.yaml: 2 tenants, valid (1 warning)" ] || { echo "got: $out"; return 1; }
}
ok "validate examples/tenants.yaml on this host: exit 0, one-line summary" check_validate_example

check_validate_suite_file() {
	local out
	out=$(tenantrt validate --config "$Y") || return 1
	# $A's three members share cpu 1 (placement): valid, with that warning
	[ "$out" = "$Y: 2 tenants, valid (1 warning)" ] || { echo "got: $out"; return 1; }
}
ok "validate the suite's tenants file: valid" check_validate_suite_file

# expect_invalid FILE LINE...: exit 65, stderr exactly these lines, stdout empty
expect_invalid() {
	local file=$1 rc out err
	shift
	out=$(tenantrt validate --config "$file" 2>"$D/err")
	rc=$?
	err=$(cat "$D/err")
	local want
	want=$(printf '%s\n' "$@")
	[ "$rc" -eq 65 ] || { echo "exit $rc, want 65"; cat "$D/err"; return 1; }
	[ -z "$out" ] || { echo "stdout: $out"; return 1; }
	[ "$err" = "$want" ] || { printf 'want:\n%s\ngot:\n%s\n' "$want" "$err"; return 1; }
}

cat >"$D/bad1.yaml" <<EOF
tenants:
  - name: acme
    cpus: "0"
    memory: {totalMb: 64}
    nics:
      - net_af_packet0,iface=eth9
  - name: globex
    cpus: "0"
    memory: {totalMb: 65}
    nics:
      - net_tap0,iface=eth9
EOF
ok "validate: NIC and cpu conflicts and a partial hugepage, exit 65, one line each" \
	expect_invalid "$D/bad1.yaml" \
	"$D/bad1.yaml:8:11: tenant \"globex\": cpu 0 is already given exclusively to tenant \"acme\" (line 3)" \
	"$D/bad1.yaml:9:23: tenant \"globex\": memory.totalMb 65 is not a whole number of 2M hugepages" \
	"$D/bad1.yaml:11:9: tenant \"globex\": NIC net_tap0,iface=eth9 uses interface eth9, already given to tenant \"acme\" (line 6)"

# What this host's probe must find: expectations follow /sys, so the suite
# checks the probe itself (online cpus, NUMA nodes) on any machine.
online=$(cat /sys/devices/system/cpu/online)
nodes=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
[ "$nodes" -ge 1 ] || nodes=1
max_cpu=${online##*-}

cat >"$D/bad2.yaml" <<EOF
host:
  cpus: "0-63"
tenants:
  - name: Acme
    memory: {totalMb: 64}
    eal: ["--legacy-mem", "--file-prefix=x"]
EOF
if [[ $online =~ ^0(-[0-9]+)?$ ]] && [ "$max_cpu" -lt 63 ]; then
	if [ "$((max_cpu + 1))" -eq 63 ]; then
		phrase="cpu 63 is"
	else
		phrase="cpus $((max_cpu + 1))-63 are"
	fi
	ok "validate: offline host cpus (probed: $online), bad name, refused eal args, exit 65" \
		expect_invalid "$D/bad2.yaml" \
		"$D/bad2.yaml:2:9: host: $phrase not online (online: $online)" \
		"$D/bad2.yaml:4:11: tenant \"Acme\": name is not usable as a DPDK file prefix and directory name: 'A' is upper case; use 1-31 of a-z 0-9 - _, starting with a letter" \
		"$D/bad2.yaml:6:11: tenant \"Acme\": eal argument \"--legacy-mem\" is refused: it grabs every free hugepage; tenantrt plans memory" \
		"$D/bad2.yaml:6:27: tenant \"Acme\": eal argument \"--file-prefix=x\" is refused: tenantrt sets it to the tenant's name"
else
	echo "  skip  offline-cpus check: online cpus \"$online\" are not 0-N with N < 63"
fi

socket=64
for ((i = 0; i < nodes; i++)); do socket="$socket, 0"; done
node_word=nodes
[ "$nodes" -eq 1 ] && node_word=node
cat >"$D/bad3.yaml" <<EOF
tenants:
  - name: acme
    cpus: "0"
    memory: {totalMb: 64, limitMb: 32}
  - name: globex
    cpus: "0"
    memory: {socketMb: [$socket]}
EOF
ok "validate: limit below pre-allocation, a taken exclusive cpu, more socketMb entries than the $nodes probed NUMA $node_word, exit 65" \
	expect_invalid "$D/bad3.yaml" \
	"$D/bad3.yaml:4:36: tenant \"acme\": memory.limitMb 32 is below the pre-allocation of 64 MiB; EAL would fail to start" \
	"$D/bad3.yaml:6:11: tenant \"globex\": cpu 0 is already given exclusively to tenant \"acme\" (line 3)" \
	"$D/bad3.yaml:7:24: tenant \"globex\": memory.socketMb has $((nodes + 1)) entries but the host has $nodes NUMA $node_word; give one entry per node"

# The shared fixtures whose expectations do not depend on the host.
fixture_expect() {
	local f=$root/tests/fixtures/bad/$1
	local -a lines=()
	local l
	while IFS= read -r l; do
		[[ $l == "# expect: "* ]] || break
		lines+=("$f:${l#\# expect: }")
	done <"$f"
	expect_invalid "$f" "${lines[@]}"
}
ok "validate: fixture validate-eal-refused.yaml, every refused form named" fixture_expect validate-eal-refused.yaml
ok "validate: fixture validate-eal-malformed.yaml" fixture_expect validate-eal-malformed.yaml

# --- plan: usage ---------------------------------------------------------------

expect_usage() {
	local want=$1 rc
	shift
	tenantrt plan --config "$Y" "$@" >"$D/out" 2>"$D/err"
	rc=$?
	[ "$rc" -eq 64 ] || { echo "exit $rc, want 64"; cat "$D/err"; return 1; }
	# the config's warnings (placement) come first; the refusal is the rest
	[ "$(grep -v ': warning: ' "$D/err")" = "$want" ] || { echo "got: $(cat "$D/err")"; return 1; }
}
ok "plan: unknown tenant is a usage error (64)" expect_usage \
	"tenantrt plan: no tenant \"nosuch\" in $Y (it has: $A, $B)" --tenant nosuch
ok "plan: a secondary of an independent primary is a usage error" expect_usage \
	"tenantrt plan: tenant \"$B\": an independent primary (group.maxSecondaries is 0) takes no secondaries; raise group.maxSecondaries" \
	--tenant "$B" --role secondary
ok "plan: member beyond maxSecondaries is a usage error" expect_usage \
	"tenantrt plan: tenant \"$A\": secondary 3 is beyond group.maxSecondaries 2; use a member in 1-2" \
	--tenant "$A" --role secondary --member 3
ok "plan: --tenant is required" expect_usage \
	"tenantrt plan: --tenant NAME is required; see 'tenantrt plan --help'"
ok "plan: a bad --role is a usage error" expect_usage \
	"tenantrt plan: --role \"auto\" is neither primary nor secondary; see 'tenantrt plan --help'" \
	--tenant "$A" --role auto

# --- plan: run what it says ---------------------------------------------------

# plan_json NAME ROLE MEMBER APP ARGS... -> $D/NAME-MEMBER.json
plan_json() {
	local name=$1 role=$2 member=$3
	shift 3
	tenantrt plan --config "$Y" --tenant "$name" --role "$role" --member "$member" \
		--json -- "$@" >"$D/$name-$member.json"
}

# start JSON LOG: run the plan's argv with exactly its env added; sets PID.
start_planned() {
	local json=$1 log=$2
	local -a argv env
	mapfile -d '' -t argv < <(jq -j '.argv[] + "\u0000"' "$json")
	mapfile -t env < <(jq -r '.env | to_entries[] | "\(.key)=\(.value)"' "$json")
	# Never let DPDK near the host's NIC.
	jq -e '.eal | index("--no-pci")' "$json" >/dev/null || { echo "no --no-pci in $json"; return 1; }
	env "${env[@]}" "${argv[@]}" </dev/null >"$log" 2>&1 &
	PID=$!
}

testpmd_args=(--total-num-mbufs=2048 --stats-period=1 --nb-cores=1)
group_args=(--num-procs=3 --rxq=3 --txq=3)

plan_json "$A" primary 0 dpdk-testpmd "${testpmd_args[@]}" "${group_args[@]}" --proc-id=0
plan_json "$A" secondary 1 dpdk-testpmd "${testpmd_args[@]}" "${group_args[@]}" --proc-id=1
plan_json "$A" secondary 2 dpdk-testpmd "${testpmd_args[@]}" "${group_args[@]}" --proc-id=2
plan_json "$B" primary 0 dpdk-testpmd "${testpmd_args[@]}"

# check_json FILE TENANT ROLE MEMBER APP_ARGS...: the plan names the
# member asked for, and its argv is the app, its EAL part, "--" and the
# app's arguments untouched.
check_json() {
	local f=$1 t=$2 role=$3 m=$4 args
	shift 4
	args=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
	jq -e --arg t "$t" --arg role "$role" --argjson m "$m" --argjson args "$args" '
		.tenant == $t and .role == $role and .member == $m and
		.env.TENANTRT_ROLE == $role and .env.TENANTRT_MEMBER == ($m | tostring) and
		.app_args == $args and .argv == ["dpdk-testpmd"] + .eal + ["--"] + $args' "$f" >/dev/null ||
		{ echo "$f does not plan $t $role $m with app args $args:"; cat "$f"; return 1; }
}
check_plans() {
	check_json "$D/$A-0.json" "$A" primary 0 "${testpmd_args[@]}" "${group_args[@]}" --proc-id=0 &&
		check_json "$D/$A-1.json" "$A" secondary 1 "${testpmd_args[@]}" "${group_args[@]}" --proc-id=1 &&
		check_json "$D/$A-2.json" "$A" secondary 2 "${testpmd_args[@]}" "${group_args[@]}" --proc-id=2 &&
		check_json "$D/$B-0.json" "$B" primary 0 "${testpmd_args[@]}"
}
ok "plan --json for every member: its tenant, role and member; argv = app, EAL args, --, app args" check_plans

check_lcores_unique() {
	local ids
	ids=$(jq -r '.lcores[].id' "$D/$A-0.json" "$D/$A-1.json" "$D/$A-2.json" | tr '\n' ' ')
	[ "$ids" = "0 1 2 3 4 5 " ] || { echo "lcore ids: $ids"; return 1; }
}
ok "plan: lcore ids 0-5 split over the group's three members" check_lcores_unique

check_devices_same() {
	local a b c
	a=$(jq -c '[.eal[] | select(startswith("--vdev") or . == "--no-pci" or . == "-a")]' "$D/$A-0.json")
	b=$(jq -c '[.eal[] | select(startswith("--vdev") or . == "--no-pci" or . == "-a")]' "$D/$A-1.json")
	c=$(jq -c '[.eal[] | select(startswith("--vdev") or . == "--no-pci" or . == "-a")]' "$D/$A-2.json")
	[ "$a" = '["--vdev=net_null0","--vdev=net_ring0","--no-pci"]' ] && [ "$a" = "$b" ] && [ "$b" = "$c" ] ||
		{ echo "$a / $b / $c"; return 1; }
}
ok "plan: every member of the group gets the same device list" check_devices_same

check_memory_primary_only() {
	jq -e '.eal | (index("-m") != null) and (index("--socket-limit=192") != null)' "$D/$A-0.json" &&
		jq -e '.eal | map(select(. == "-m" or startswith("--socket"))) | length == 0' "$D/$A-1.json" "$D/$A-2.json" &&
		jq -e '.eal | (index("--socket-mem=64") != null) and (index("--socket-limit=96") != null)' "$D/$B-0.json"
}
ok "plan: memory flags for the primary only (-m / --socket-mem + --socket-limit)" check_memory_primary_only

start_planned "$D/$A-0.json" "$D/$A-0.log" && pa=$PID
on_exit "kill_wait $pa"
ok "group primary: testpmd accepts the planned args and forwards (stats printed)" \
	wait_for 30 grep -q "Port statistics" "$D/$A-0.log"
ok "group primary: RUNTIME_DIRECTORY holds dpdk/$A/config" test -f "$D/run/$A/dpdk/$A/config"
check_hugefiles() { compgen -G "$D/huge/$1/${1}map_*" >/dev/null; }
ok "group primary: hugepage files are in its own --huge-dir" check_hugefiles "$A"

start_planned "$D/$A-1.json" "$D/$A-1.log" && s1=$PID
on_exit "kill_wait $s1"
start_planned "$D/$A-2.json" "$D/$A-2.log" && s2=$PID
on_exit "kill_wait $s2"
ok "secondary 1: joins with the planned args and forwards on its lcore 3" \
	wait_for 30 bash -c "grep -q 'Port statistics' '$D/$A-1.log' && grep -q 'Logical Core 3 ' '$D/$A-1.log'"
ok "secondary 2: joins with the planned args and forwards on its lcore 5" \
	wait_for 30 bash -c "grep -q 'Port statistics' '$D/$A-2.log' && grep -q 'Logical Core 5 ' '$D/$A-2.log'"
ok "secondaries: their mp sockets are in the tenant's runtime dir" \
	compgen -G "$D/run/$A/dpdk/$A/mp_socket_${s2}_*"

start_planned "$D/$B-0.json" "$D/$B-0.log" && pb=$PID
on_exit "kill_wait $pb"
ok "independent primary: --socket-mem/--socket-limit accepted, forwards beside the group" \
	wait_for 30 grep -q "Port statistics" "$D/$B-0.log"
ok "independent primary: its own runtime dir dpdk/$B/config" test -f "$D/run/$B/dpdk/$B/config"
ok "all four processes still run side by side" kill -0 "$pa" "$s1" "$s2" "$pb"

kill_wait "$s1"
kill_wait "$s2"
kill_wait "$pb"
kill_wait "$pa"
check_exited() { ! kill -0 "$pa" 2>/dev/null && ! kill -0 "$pb" 2>/dev/null; }
ok "processes stopped on SIGTERM" check_exited

# --- the planned --socket-limit is a real cap -----------------------------------
# limitMb 96 on its own 512M hugetlbfs (as the shim mounts it): a primary
# asking ~220 MB of mbufs must be refused by EAL at 96 MB, not by the mount.
C=planc$$
cat >"$D/limit.yaml" <<EOF
host:
  runtimeRoot: $D/run
  hugepageDir: $D/huge
tenants:
  - name: $C
    memory: {totalMb: 64, limitMb: 96}
    cpus: "0"
    nics: [net_null0]
EOF
mkdir -p -m 0700 "$D/run/$C" "$D/huge/$C"
mount -t hugetlbfs -o pagesize=2M,size=512M nodev "$D/huge/$C"
on_exit "umount '$D/huge/$C'"
tenantrt plan --config "$D/limit.yaml" --tenant "$C" --json -- \
	dpdk-testpmd --total-num-mbufs=100000 --stats-period=1 --nb-cores=1 >"$D/$C.json"
check_limit() {
	start_planned "$D/$C.json" "$D/$C.log" || return 1
	local pid=$PID
	wait_for 30 bash -c "! kill -0 $pid" || { kill_wait "$pid"; echo "still running"; return 1; }
	wait "$pid"
	local rc=$? files
	files=$(ls "$D/huge/$C" | wc -l)
	echo "exit $rc, $files hugepage files"
	[ "$rc" -ne 0 ] && grep -q "Cannot allocate memory" "$D/$C.log" && [ "$files" -le 48 ]
}
ok "--socket-limit from limitMb 96: a 220 MB mbuf pool is refused, at most 48 pages used" check_limit
rm -f "$D/huge/$C"/*

suite_end
