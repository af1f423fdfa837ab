#!/usr/bin/env bash
# tenantrt-shim with real DPDK: Debian's dpdk-testpmd and dpdk-proc-info on
# net_null vdevs (the plan adds --no-pci), real hugepages in per-tenant
# hugetlbfs mounts, every runtimeRoot/hugepageDir under this suite's temp
# dir. Small shell scripts stand in for the app where only the shim's own
# behaviour is under test (signals, exit codes, the ledger).
#   bash tests/integration/suite_shim.sh build
source "$(dirname "$0")/lib.sh"
suite_begin "${1:-build}"

[ "$(id -u)" -eq 0 ] || { echo "suite_shim: needs root (hugetlbfs mounts)"; exit 1; }
command -v dpdk-testpmd >/dev/null || { echo "suite_shim: dpdk-testpmd missing (apt-get install dpdk)"; exit 1; }

# Tenant names carry the suite's pid: cgroups are named after the tenant
# host-wide, and other suites may run tenants called "acme" right now.
A=sa$$
G=sg$$
R=sr$$
B=sb$$
SHIM=$T_BUILD/tenantrt-shim
CLI=$T_BUILD/tenantrt
PIDS=()
# testpmd: small pool, no per-packet work; with a stats period and no -i it
# runs until SIGTERM/SIGINT (without one it would exit at stdin's EOF) and
# then exits 0.
PMD=(--total-num-mbufs=2048 --forward-mode=rxonly --stats-period 60)
# Apps that ignore the EAL arguments the shim puts before their own.
BIN=$T_TMP/bin
mkdir -p "$BIN"
printf '#!/bin/sh\nexec sleep 30\n' >"$BIN/sleeper"
printf '#!/bin/sh\nexit 3\n' >"$BIN/exit3"
printf '#!/bin/sh\nkill -TERM $$\nsleep 5\n' >"$BIN/killterm"
# As PID 1 of a pid namespace the shim inherits the orphaned sleep and
# must reap it: the app then sees no zombie.
printf '#!/bin/sh\n(sleep 0.2 &)\nsleep 0.8\n[ "$(ps -eo stat= | grep -c ^Z)" -eq 0 ]\n' >"$BIN/orphan"
chmod +x "$BIN"/*
VAR_RUN_BEFORE=$(ls -A /var/run/dpdk 2>/dev/null | sort | tr '\n' ' ')

on_exit reap_all

# conf NAME [tenant lines...]: a config with its own runtimeRoot and
# hugepageDir; prints its path. Tenants come as YAML on stdin.
conf() {
	local name=$1 dir="$T_TMP/$1"
	mkdir -p "$dir"
	{
		printf 'host:\n  runtimeRoot: %s/run\n  hugepageDir: %s/huge\n  hugepageSize: 2M\ntenants:\n' "$dir" "$dir"
		cat
	} >"$dir/$name.yaml"
	echo "$dir/$name.yaml"
}

# tenant NAME NIC MAXSEC [extra yaml lines]
tenant() {
	cat <<EOT
  - name: $1
    memory:
      totalMb: 64
      limitMb: 96
    cpus: "0-1"
    cpuPolicy: shared
    nics:
      - $2
    group:
      maxSecondaries: $3
      allowForeignBinaries: true
    env:
      pass: [DONE, READY]   # the test apps' own; nothing else of ours passes
EOT
}

# bg LOG cmd...: start in the background, remember the pid in $BG.
bg() {
	local log=$1
	shift
	"$@" </dev/null >"$log" 2>&1 &
	BG=$!
	PIDS+=("$BG")
}

ready() { grep -q "start packet forwarding" "$1"; }
# The app pid of tenant $2's member $3 from `tenantrt status --json`, or
# nothing while that member is admitted but its app not yet forked
# (appPid 0; its "pid" is then the shim's, and its state "starting"):
# a wait on has_member waits for the app itself, not only for its lease.
# app_pid waits up to 10 s for that pid, so that every caller asserts on
# the app and never on "0".
has_member() { [ -n "$(member_pid "$@")" ]; }
app_pid() {
	local pid="" end=$((SECONDS + 10))
	while pid=$(member_pid "$@") && [ -z "$pid" ] && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
	echo "$pid"
}
member_pid() {
	"$CLI" status --config "$1" --json | tr -d '\n' |
		grep -o "\"name\": \"$2\".*" | grep -o "\"member\": $3, \"role\": \"[a-z]*\", \"pid\": [0-9]*, \"appPid\": [0-9]*" |
		head -1 | awk '$NF != 0 {print $NF}'
}
gone() { ! kill -0 "$1" 2>/dev/null; }
# Exit status of a background pid into $RC (wait only works in this shell,
# not in a $(...) subshell).
rc_of() { wait "$1"; RC=$?; }
lcores_of() { tr '\0' '\n' <"/proc/$1/cmdline" | sed -n 's/^--lcores=//p'; }
# The lcore ids of a --lcores=1@0,2@1 value, one per line.
lcore_ids() { echo "$1" | tr ',' '\n' | sed 's/@.*//'; }
no_leftovers() {   # no_leftovers DIR TENANT (its uid record stays, released)
	[ ! -e "$1/run/$2" ] && [ ! -e "$1/huge/$2" ] && ! grep -q " $1/huge/$2 " /proc/mounts &&
		[ -z "$(ls "$1/run/.ledger" | grep "^$2\." | grep -vx "$2\.uid")" ] &&
		{ [ ! -e "$1/run/.ledger/$2.uid" ] || grep -qx 'state=released' "$1/run/.ledger/$2.uid"; }
}
expect_line() {   # expect_line FILE LINE: FILE has exactly this line
	grep -qxF -- "$2" "$1" || { echo "missing line: $2"; echo "in:"; cat "$1"; return 1; }
}
last_line_is() {   # last_line_is FILE LINE: FILE ends with exactly this line
	[ "$(tail -n 1 "$1")" = "$2" ] || { echo "last line is not: $2"; echo "in:"; cat "$1"; return 1; }
}
expect_stderr() {   # expect_stderr WANT TEXT cmd...: exit WANT, stderr exactly TEXT
	local want=$1 text=$2 rc
	shift 2
	"$@" 2>"$T_TMP/stderr"
	rc=$?
	[ "$rc" -eq "$want" ] || { echo "exit status $rc, want $want"; cat "$T_TMP/stderr"; return 1; }
	[ "$(cat "$T_TMP/stderr")" = "$text" ] ||
		{ printf 'stderr:\n%s\nwant:\n%s\n' "$(cat "$T_TMP/stderr")" "$text"; return 1; }
}
expect_rc() {   # expect_rc WANT cmd...
	local want=$1 rc
	shift
	"$@"
	rc=$?
	[ "$rc" -eq "$want" ] || { echo "exit status $rc, want $want"; return 1; }
}

echo "-- testpmd primary + dpdk-proc-info secondary"
C=$(conf one < <(tenant $A net_null0 2))
D=$T_TMP/one
bg "$D/primary.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${PMD[@]}"
P_SHIM=$BG
ok "testpmd primary comes up under the shim" wait_for 30 ready "$D/primary.log"
P_APP=$(app_pid "$C" $A 0)
ok "DPDK's config, mp_socket, telemetry socket are in RUNTIME_DIRECTORY" \
	test -f "$D/run/$A/dpdk/$A/config" -a -S "$D/run/$A/dpdk/$A/mp_socket" -a -S "$D/run/$A/dpdk/$A/dpdk_telemetry.v2"
ok "runtime dir is 0700" test "$(stat -c %a "$D/run/$A")" = 700
ok "hugepage files are in the tenant's own hugetlbfs mount (size= 96 MiB)" \
	bash -c "ls '$D/huge/$A'/${A}map_* >/dev/null && grep -q ' $D/huge/$A hugetlbfs .*size=100663296' /proc/mounts"
# The group record is root's, in the ledger (no longer in the runtime dir,
# where the tenant's app could rewrite it).
ok "the group record names testpmd, its ABI and build-id" \
	bash -c "grep -qx 'dpdk_abi=librte_eal.so.23' '$D/run/.ledger/$A.group' &&
		 grep -qx 'binary=/usr/bin/dpdk-testpmd' '$D/run/.ledger/$A.group' &&
		 grep -qx \"build_id=\$(readelf -n /usr/bin/dpdk-testpmd | awk '/Build ID/ {print \$3}')\" '$D/run/.ledger/$A.group'"
"$SHIM" --config "$C" --tenant $A -- dpdk-proc-info --stats >"$D/procinfo.log" 2>&1
PI_RC=$?
ok "dpdk-proc-info joins as secondary and exits 0" test "$PI_RC" -eq 0
ok "proc-info prints the primary's port stats, no device-list panic" \
	bash -c "grep -q 'NIC statistics for port 0' '$D/procinfo.log' && ! grep -q 'Cannot allocate ethdev shared data' '$D/procinfo.log'"
ok "foreign binary allowed with the warning line" expect_line "$D/procinfo.log" \
	"tenantrt-shim: warning: tenant \"$A\": dpdk-proc-info is not the primary's binary; function pointers (rte_hash, mempool ops) do not cross binaries"
# proc-info's own -c1 pins it to cpu 0: in a tenant without cpu 0 EAL would
# PANIC ("Cannot set affinity"); the shim refuses it first, as a config error.
C0=$(conf nocpu0 < <(tenant $G net_null0 1 | sed 's/cpus: "0-1"/cpus: "1"/'))
"$SHIM" --config "$C0" --tenant $G -- dpdk-proc-info --stats >"$T_TMP/nocpu0/procinfo.log" 2>&1
ok "dpdk-proc-info in a tenant without cpu 0: refused with 78 before EAL runs" test $? -eq 78
ok "... saying why in one line" expect_line "$T_TMP/nocpu0/procinfo.log" \
	"tenantrt-shim: tenant \"$G\": dpdk-proc-info forces -c1 (cpu 0) but the tenant's cpus are 1; give the tenant cpu 0 (cpuPolicy shared) to run it, or use a tool that takes --lcores"
ok "... and leaves nothing behind" no_leftovers "$T_TMP/nocpu0" $G
"$SHIM" --config "$C" --tenant $A --role primary -- dpdk-testpmd "${PMD[@]}" >"$D/second.log" 2>&1
ok "a second explicit primary is refused with 69" test $? -eq 69
ok "... naming the running primary's pid" expect_line "$D/second.log" \
	"tenantrt-shim: tenant \"$A\": a primary is already running (pid $P_APP); start with --role secondary or auto"
"$CLI" status --config "$C" >"$D/status.txt"
ok "status: the tenant, its live primary and its hard quota" \
	bash -c "grep -Eq '^$A +1/1 +pid $P_APP +[0-9]+/48 x 2M +hugetlbfs(\+cgroup| size=) +net_null0' '$D/status.txt' &&
		 grep -Eq '^$A +0 +primary +$P_APP +$P_SHIM +0@0,1@1 +0-1 .* yes ' '$D/status.txt'"
"$CLI" status --config "$C" --json >"$D/status.json"
ok "status --json is JSON with members and hugepages" \
	python3 -c "import json,sys; d=json.load(open('$D/status.json')); t=d['tenants'][0]; assert t['name']=='$A' and t['members'][0]['pid']==$P_APP and t['hugepages']['quota']==48 and t['hugepages']['hard'] and t['members'][0]['lcores']==[0,1] and t['members'][0]['placement']==[{'lcore': 0, 'cpu': 0}, {'lcore': 1, 'cpu': 1}], d"
kill -TERM "$P_SHIM"
rc_of "$P_SHIM"
ok "SIGTERM reaches testpmd through the shim; its clean exit 0 is passed through" test "$RC" -eq 0
ok "the last member's shim reclaimed mount, page files, runtime dir, lease" no_leftovers "$D" $A

echo "-- a secondary started first waits for its primary (--wait-primary)"
C=$(conf wait < <(tenant $A net_null0 1))
D=$T_TMP/wait
bg "$D/s.log" "$SHIM" --config "$C" --tenant $A --role secondary --wait-primary 60 -- dpdk-proc-info --stats
W_SHIM=$BG
sleep 1
ok "it is still waiting, not refused" kill -0 "$W_SHIM"
bg "$D/p.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${PMD[@]}"
P_SHIM=$BG
rc_of "$W_SHIM"
ok "once the primary is up, proc-info joins and exits 0" test "$RC" -eq 0
ok "... with the primary's port" grep -q 'NIC statistics for port 0' "$D/s.log"
kill -TERM "$P_SHIM"
wait "$P_SHIM"
ok "... and the tenant is reclaimed after both" no_leftovers "$D" $A

echo "-- testpmd symmetric multi-process: --num-procs 3, primary + 2 auto secondaries"
C=$(conf sym < <(tenant $A net_null0 2))
D=$T_TMP/sym
MP=(--num-procs=3 --rxq=3 --txq=3 "${PMD[@]}")
bg "$D/p.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${MP[@]}" --proc-id=0
P_SHIM=$BG
ok "proc-id 0 starts as primary (role auto)" wait_for 30 ready "$D/p.log"
bg "$D/s1.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${MP[@]}" --proc-id=1
S1_SHIM=$BG
ok "proc-id 1 joins as secondary (role auto)" wait_for 30 ready "$D/s1.log"
bg "$D/s2.log" "$SHIM" --config "$C" --tenant $A --role secondary -- dpdk-testpmd "${MP[@]}" --proc-id=2
S2_SHIM=$BG
ok "proc-id 2 joins as secondary" wait_for 30 ready "$D/s2.log"
P_APP=$(app_pid "$C" $A 0)
S1_APP=$(app_pid "$C" $A 1)
S2_APP=$(app_pid "$C" $A 2)
ok "the apps run with --proc-type primary/secondary/secondary" \
	bash -c "tr '\0' '\n' </proc/$P_APP/cmdline | grep -qx -- --proc-type=primary &&
		 tr '\0' '\n' </proc/$S1_APP/cmdline | grep -qx -- --proc-type=secondary &&
		 tr '\0' '\n' </proc/$S2_APP/cmdline | grep -qx -- --proc-type=secondary"
ALL_IDS=$( { lcore_ids "$(lcores_of "$P_APP")"; lcore_ids "$(lcores_of "$S1_APP")"; lcore_ids "$(lcores_of "$S2_APP")"; } )
ok "no lcore id is shared: the three --lcores are disjoint (/proc/PID/cmdline)" \
	test "$(echo "$ALL_IDS" | sort | uniq -d | wc -l)" -eq 0 -a "$(echo "$ALL_IDS" | wc -l)" -eq 6
"$SHIM" --config "$C" --tenant $A --role secondary -- dpdk-testpmd "${MP[@]}" --proc-id=2 >"$D/s3.log" 2>&1
ok "a third secondary is refused: maxSecondaries 2 (69)" test $? -eq 69
ok "... naming the holders" bash -c "grep -qF 'tenant \"$A\": all 2 secondary slots are taken (pid $S1_APP, $S2_APP)' '$D/s3.log'"
kill -KILL "$P_APP"
rc_of "$P_SHIM"
ok "primary killed: its shim passes 128+9" test "$RC" -eq 137
ok "secondary 1's shim stops it, saying why" wait_for 15 gone "$S1_SHIM"
rc_of "$S1_SHIM"
ok "... and exits 69: its primary died (not a planned stop)" test "$RC" -eq 69
# Normally the shim's 100 ms poll stops the app; if the app noticed first
# and ended on its own, the shim still says why it left.
ok "... with the log line naming both" grep -Eqx \
	"tenantrt-shim: tenant \"$A\": primary \(pid $P_APP\) died; secondary \(pid $S1_APP\) ended with it \(status [0-9]+\); exit 69" "$D/s1.log"
ok "secondary 2 stopped too" wait_for 15 gone "$S2_SHIM"
rc_of "$S2_SHIM"
ok "... and exits 69 too" test "$RC" -eq 69
ok "the last one out reclaimed the tenant" no_leftovers "$D" $A

echo "-- no new primary while a secondary of the old one still runs"
C=$(conf life < <(tenant $A net_null0 1))
D=$T_TMP/life
printf '#!/bin/sh\n# A secondary that ignores SIGTERM: it outlives its primary for a while.\ntrap "" TERM\nwhile :; do sleep 0.1; done\n' >"$D/stubborn.sh"
chmod +x "$D/stubborn.sh"
bg "$D/p.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${PMD[@]}"
P_SHIM=$BG
ok "primary up" wait_for 30 ready "$D/p.log"
P_APP=$(app_pid "$C" $A 0)
bg "$D/s.log" "$SHIM" --config "$C" --tenant $A --stop-timeout 4 -- "$D/stubborn.sh"
S_SHIM=$BG
ok "secondary admitted" wait_for 10 has_member "$C" $A 1
S_APP=$(app_pid "$C" $A 1)
kill -KILL "$P_APP"
wait "$P_SHIM" 2>/dev/null
ok "secondary's shim notices the primary is gone" wait_for 5 grep -q "primary (pid $P_APP) exited" "$D/s.log"
"$SHIM" --config "$C" --tenant $A --role primary -- true >"$D/new.log" 2>&1
ok "a new primary is refused while the old secondary runs (69)" test $? -eq 69
ok "... saying why" expect_line "$D/new.log" \
	"tenantrt-shim: tenant \"$A\": secondaries of the previous primary still run (pid $S_APP); a new primary would re-initialise memory under them; wait until they stop"
rc_of "$S_SHIM"
ok "the stubborn secondary is SIGKILLed after --stop-timeout; its shim exits 69 (the primary died)" \
	bash -c "test $RC -eq 69 && grep -q 'pid $S_APP did not stop within 4 s; sending SIGKILL' '$D/s.log'"
ok "then a new primary is admitted" "$SHIM" --config "$C" --tenant $A --role primary -- true
ok "and leaves nothing behind" no_leftovers "$D" $A

echo "-- two auto starts racing for an empty tenant: one primary, one secondary"
C=$(conf race < <(tenant $A net_null0 1))
D=$T_TMP/race
# Stands in for EAL: a primary takes the config lock as DPDK does (an
# fcntl write lock); both report the role the shim gave them.
cat >"$D/eal.py" <<'EOT'
import fcntl, os, time
role = os.environ["TENANTRT_ROLE"]
d = os.environ["RUNTIME_DIRECTORY"] + "/dpdk/" + os.environ["TENANTRT_TENANT"]
# The members' only shared writable place is their runtime dir: the
# rest of the host is read-only in their view.
done = os.environ["RUNTIME_DIRECTORY"] + "/done"
if role == "primary":
    os.makedirs(d, exist_ok=True)
    f = open(d + "/config", "w")
    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
print(role, flush=True)
if role == "primary":
    # Outlive the secondary: a secondary outliving its primary is stopped.
    for _ in range(300):
        if os.path.exists(done):
            break
        time.sleep(0.1)
else:
    open(done, "w").close()
EOT
printf '#!/bin/sh\nexec python3 %s\n' "$D/eal.py" >"$D/eal"
chmod +x "$D/eal"
bg "$D/r1.log" "$SHIM" --config "$C" --tenant $A -- "$D/eal"
R1=$BG
bg "$D/r2.log" "$SHIM" --config "$C" --tenant $A -- "$D/eal"
R2=$BG
rc_of "$R1"
RC1=$RC
rc_of "$R2"
both_ran() { [ "$RC1-$RC" = "0-0" ] || { echo "exits $RC1, $RC"; cat "$D/r1.log" "$D/r2.log"; return 1; }; }
ok "both were admitted and ran (exit 0, 0)" both_ran
ok "one was the primary, the other its secondary" \
	test "$(cat "$D/r1.log" "$D/r2.log" | grep -x 'primary\|secondary' | sort | tr '\n' ' ')" = "primary secondary "

echo "-- device-plugin NICs: PCIDEVICE_* only in the primary's container"
# The device plugin sets the variable only where the resource is requested:
# a secondary takes the primary's device list from the group manifest, and
# another tenant's unset variable is none of this shim's business. A
# device is checked before it is granted (suite_network.sh: the host's NIC,
# the allow-list, vfio-pci): one that exists nowhere is refused. The one
# given is this VM's virtio-rng (1af4:1044), named with its driver: EAL
# has no PMD for it and probes nothing (never the host NIC); net_null0
# gives testpmd its port.
VAR=TRT_PCIDEV_$$
DEV=0000:00:05.0
C=$(conf envnic <<EOT
  - name: $A
    memory:
      totalMb: 64
      limitMb: 96
    cpus: "0-1"
    cpuPolicy: shared
    nics:
      - {env: $VAR, driver: virtio-pci}
      - net_null0
    group:
      maxSecondaries: 1
      allowForeignBinaries: true
  - name: $G
    memory:
      totalMb: 32
    cpus: "0-1"
    cpuPolicy: shared
    nics:
      - env: TRT_UNSET_$$
EOT
)
D=$T_TMP/envnic
env -u "$VAR" "$SHIM" --config "$C" --tenant $A --role primary -- dpdk-testpmd "${PMD[@]}" >"$D/noenv.log" 2>&1
ok "a primary without its device-plugin variable: refused with 65" test $? -eq 65
ok "... naming the variable and its place in the file" expect_line "$D/noenv.log" \
	"tenantrt-shim: $C:$(grep -n "env: $VAR" "$C" | cut -d: -f1):9: tenant \"$A\": NIC env $VAR is not set; is the device plugin resource requested?"
env "$VAR=0000:7f:1f.7" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${PMD[@]}" >"$D/nodev.log" 2>&1
ok "a device that exists nowhere: refused with 78, in one line" test $? -eq 78
ok "... naming it" expect_line "$D/nodev.log" \
	"tenantrt-shim: tenant \"$A\": NIC 0000:7f:1f.7 (from \$$VAR): no such PCI device (/sys/bus/pci/devices/0000:7f:1f.7)"
ok "... and nothing admitted" no_leftovers "$D" $A
bg "$D/primary.log" env "$VAR=$DEV" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${PMD[@]}"
ok "the primary starts with its variable set, another tenant's unset one notwithstanding" wait_for 30 ready "$D/primary.log"
ok "... and gets -a $DEV --vdev=net_null0" \
	bash -c "tr '\0' '\n' </proc/$(app_pid "$C" $A 0)/cmdline | grep -A1 -x -- -a | grep -qx $DEV"
env -u "$VAR" "$SHIM" --config "$C" --tenant $A -- dpdk-proc-info --stats >"$D/secondary.log" 2>&1
ok "a secondary without the variable joins (proc-info exits 0)" test $? -eq 0
ok "... with the primary's devices, said in one line" expect_line "$D/secondary.log" \
	"tenantrt-shim: tenant \"$A\": $VAR is not set in this container; using the primary's devices ($DEV, net_null0)"
ok "... and no device-list mismatch" bash -c "grep -q 'NIC statistics for port 0' '$D/secondary.log'"
# What a secondary adopts passes the checks its own YAML sets.
sed "s/{env: $VAR, driver: virtio-pci}/{env: $VAR, driver: virtio-pci, allow: [\"0000:00:01.0\"]}/" "$C" >"$D/allow.yaml"
env -u "$VAR" "$SHIM" --config "$D/allow.yaml" --tenant $A -- dpdk-proc-info --stats >"$D/adopt.log" 2>&1
ok "a secondary adopting a device its YAML does not allow: refused with 78" test $? -eq 78
ok "... in one line" expect_line "$D/adopt.log" \
	"tenantrt-shim: tenant \"$A\": NIC $DEV (from \$$VAR, adopted from the primary) is not a device tenants.yaml allows for \$$VAR (allow 0000:00:01.0)"
kill_wait "$BG"
ok "the tenant is reclaimed" no_leftovers "$D" $A

echo "-- the shim never follows what a tenant plants in its runtime dir"
# The app (the tenant) swaps its DPDK dir for a link to someone else's
# files; the root shim's teardown must delete through no link.
C=$(conf plant < <(tenant $A net_null0 0))
D=$T_TMP/plant
mkdir -p "$D/victim" && touch "$D/victim/config" "$D/victim/mp_socket"
printf '#!/bin/sh\nmkdir -p "$RUNTIME_DIRECTORY/dpdk" && rm -rf "$RUNTIME_DIRECTORY/dpdk/$TENANTRT_TENANT" &&\nln -s "%s" "$RUNTIME_DIRECTORY/dpdk/$TENANTRT_TENANT"\n' "$D/victim" >"$D/plant.sh"
chmod +x "$D/plant.sh"
"$SHIM" --config "$C" --tenant $A -- "$D/plant.sh" >"$D/plant.log" 2>&1
ok "the planting app ran and exited 0" test $? -eq 0
ok "the files behind the planted link are untouched" test -e "$D/victim/config" -a -e "$D/victim/mp_socket"

echo "-- two tenants at once"
C=$( { tenant $A net_null0 0; tenant $G net_null1 0; } | conf two)
D=$T_TMP/two
bg "$D/a.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${PMD[@]}"
A_SHIM=$BG
bg "$D/g.log" "$SHIM" --config "$C" --tenant $G -- dpdk-testpmd "${PMD[@]}"
G_SHIM=$BG
ok "acme and globex primaries both run" bash -c "$(declare -f wait_for ready); wait_for 40 ready '$D/a.log' && wait_for 40 ready '$D/g.log'"
ok "separate runtime dirs, each with its own DPDK config" \
	test -f "$D/run/$A/dpdk/$A/config" -a -f "$D/run/$G/dpdk/$G/config"
ok "separate hugepage mounts holding only their own page files" \
	bash -c "ls '$D/huge/$A' | grep -q '^${A}map_' && ! ls '$D/huge/$A' | grep -qv '^${A}map_' &&
		 ls '$D/huge/$G' | grep -q '^${G}map_' && ! ls '$D/huge/$G' | grep -qv '^${G}map_'"
ok "separate ports: each owns its vdev" \
	bash -c "tr '\0' '\n' </proc/$(app_pid "$C" $A 0)/cmdline | grep -qx -- --vdev=net_null0 &&
		 tr '\0' '\n' </proc/$(app_pid "$C" $G 0)/cmdline | grep -qx -- --vdev=net_null1"
# (This file's warnings come first: only the refusal is asserted.)
"$SHIM" --config "$C" --tenant $A --role secondary -- true 2>"$D/sec.log"
ok "a secondary of an independent primary (maxSecondaries 0) is a usage error (64)" test $? -eq 64
ok "... saying so in its last line" last_line_is "$D/sec.log" \
	"tenantrt-shim: tenant \"$A\": an independent primary (group.maxSecondaries is 0) takes no secondaries; raise group.maxSecondaries"
"$CLI" status --config "$C" >"$D/status.txt"
ok "status lists both tenants" bash -c "grep -Eq '^$A +1/1 +pid' '$D/status.txt' && grep -Eq '^$G +1/1 +pid' '$D/status.txt'"
cp "$D/status.txt" "$T_TMP/../tenantrt-shim-status-example.txt" 2>/dev/null
kill -TERM "$A_SHIM"
wait "$A_SHIM"
ok "stopping acme leaves globex running" bash -c "kill -0 $G_SHIM && test -f '$D/run/$G/dpdk/$G/config' && ! test -e '$D/run/$A'"
kill -TERM "$G_SHIM"
wait "$G_SHIM"
ok "both reclaimed" bash -c "$(declare -f no_leftovers); no_leftovers '$D' $A && no_leftovers '$D' $G"

echo "-- NIC conflict across config files sharing a runtimeRoot"
# Kernel interfaces that exist: the first member moves one into its
# tenant's netns.
for i in trshim$$ trshimx$$; do
	ip link add "$i" type veth peer name "${i}p" && ip link set "$i" up
	on_exit "ip link del $i"
done
mkdir -p "$T_TMP/nic"
printf 'host:\n  runtimeRoot: %s/nic/run\n  hugepageDir: %s/nic/huge\ntenants:\n' "$T_TMP" "$T_TMP" >"$T_TMP/nic/red.yaml"
tenant $R net_af_packet0,iface=trshim$$ 0 >>"$T_TMP/nic/red.yaml"
printf 'host:\n  runtimeRoot: %s/nic/run\n  hugepageDir: %s/nic/huge\ntenants:\n' "$T_TMP" "$T_TMP" >"$T_TMP/nic/blue.yaml"
tenant $B net_af_packet1,iface=trshim$$ 0 | sed 's/"0-1"/"0"/' >>"$T_TMP/nic/blue.yaml"
bg "$T_TMP/nic/red.log" "$SHIM" --config "$T_TMP/nic/red.yaml" --tenant $R -- "$BIN/sleeper"
R_SHIM=$BG
ok "red holds iface trshim$$" wait_for 10 has_member "$T_TMP/nic/red.yaml" $R 0
R_APP=$(app_pid "$T_TMP/nic/red.yaml" $R 0)
"$SHIM" --config "$T_TMP/nic/blue.yaml" --tenant $B -- true >"$T_TMP/nic/blue.log" 2>&1
ok "blue, from another file, is refused the same interface (69)" test $? -eq 69
ok "... naming the holder" expect_line "$T_TMP/nic/blue.log" \
	"tenantrt-shim: tenant \"$B\": NIC iface=trshim$$ is held by tenant \"$R\" (pid $R_APP); stop it or give this tenant another NIC"
kill -TERM "$R_SHIM"
wait "$R_SHIM"
ok "once red is gone, blue is admitted" "$SHIM" --config "$T_TMP/nic/blue.yaml" --tenant $B -- true

# cpus: red exclusive on 0-1 (another file), blue on 0 with another NIC.
sed 's/cpuPolicy: shared/cpuPolicy: exclusive/' "$T_TMP/nic/red.yaml" >"$T_TMP/nic/red-x.yaml"
sed "s/iface=trshim$$/iface=trshimx$$/" "$T_TMP/nic/blue.yaml" >"$T_TMP/nic/blue-x.yaml"
bg "$T_TMP/nic/redx.log" "$SHIM" --config "$T_TMP/nic/red-x.yaml" --tenant $R -- "$BIN/sleeper"
R_SHIM=$BG
ok "red runs with cpuPolicy exclusive on cpus 0-1" wait_for 10 has_member "$T_TMP/nic/red-x.yaml" $R 0
R_APP=$(app_pid "$T_TMP/nic/red-x.yaml" $R 0)
"$SHIM" --config "$T_TMP/nic/blue-x.yaml" --tenant $B -- true >"$T_TMP/nic/bluex.log" 2>&1
RC=$?
ok "blue on cpu 0 is refused while red holds it exclusively (69)" test "$RC" -eq 69
ok "... naming the holder" expect_line "$T_TMP/nic/bluex.log" \
	"tenantrt-shim: tenant \"$B\": its cpus overlap tenant \"$R\" (pid $R_APP) on cpus 0, and one of the two has cpuPolicy exclusive; give them disjoint cpus"
kill -TERM "$R_SHIM"
wait "$R_SHIM"

echo "-- hugepage quota against the free pool"
# A small quota for the first tenant; the second's plus the first's exceed
# the whole pool, so however other work on the host moves the free count,
# the second cannot fit while the first is promised its pages.
POOL=$(awk '/^HugePages_Total:/ {print $2}' /proc/meminfo)
Q1=16
Q2=$((POOL - Q1 + 8))
quota_tenant() { tenant "$1" "$2" 0 | sed "s/limitMb: 96/limitMb: $(($3 * 2))/; s/totalMb: 64/totalMb: 2/"; }
# Two files sharing a runtimeRoot: within one file validation already
# refuses quotas that add up past the pool; across files only the ledger can.
C=$(quota_tenant $A net_null0 $Q1 | conf quota)
D=$T_TMP/quota
C2=$D/quota2.yaml
{ sed -n '1,5p' "$C"; quota_tenant $G net_null1 $Q2; } >"$C2"
bg "$D/a.log" "$SHIM" --config "$C" --tenant $A -- "$BIN/sleeper"
Q_SHIM=$BG
ok "a tenant with a quota of $Q1 pages is admitted" wait_for 10 has_member "$C" $A 0
Q_APP=$(app_pid "$C" $A 0)
"$SHIM" --config "$C2" --tenant $G -- true >"$D/g.log" 2>&1
RC=$?
ok "another file's tenant that would overcommit the pool ($Q2 pages) is refused (69)" test "$RC" -eq 69
ok "... naming who the pages are promised to" \
	grep -qE "^tenantrt-shim: tenant \"$G\": hugepage quota of $Q2 pages does not fit: [0-9]+ free, $Q1 promised to running tenants \(\"$A\" pid $Q_APP\); free hugepages or lower memory.limitMb\$" "$D/g.log"
kill -TERM "$Q_SHIM"
wait "$Q_SHIM"
# Now only the host's free count limits it (others may hold pages).
"$SHIM" --config "$C2" --tenant $G -- true >"$D/g2.log" 2>&1
RC=$?
ok "once the first is gone nothing is promised any more" \
	bash -c "test $RC -eq 0 || grep -q ', 0 promised to running tenants;' '$D/g2.log'"

echo "-- kill -9 of the app, kill -9 of the shim: nothing leaks"
C=$(conf k9 < <(tenant $A net_null0 0))
D=$T_TMP/k9
bg "$D/a.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${PMD[@]}"
P_SHIM=$BG
ok "primary up" wait_for 30 ready "$D/a.log"
# How many pages testpmd faults in is DPDK's business; at least one, and
# never past the tenant's limitMb 96 (48 pages: the mount's size=).
holds_pages() {
	local n
	n=$(ls "$D/huge/$A" | grep -c "^${A}map_")
	[ "$n" -ge 1 ] && [ "$n" -le 48 ] || { echo "$n page files"; return 1; }
}
ok "it holds hugepages, within its quota of 48" holds_pages
kill -KILL "$(app_pid "$C" $A 0)"
rc_of "$P_SHIM"
ok "app kill -9: the shim exits 137" test "$RC" -eq 137
ok "... and has reclaimed everything at once" no_leftovers "$D" $A

bg "$D/b.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${PMD[@]}"
P_SHIM=$BG
ok "primary up again" wait_for 30 ready "$D/b.log"
P_APP=$(app_pid "$C" $A 0)
kill -KILL "$P_SHIM"
wait "$P_SHIM" 2>/dev/null
ok "shim kill -9: the app dies with it (PDEATHSIG)" wait_for 10 gone "$P_APP"
ok "... leaving its mount and page files (nobody was there to clean)" \
	bash -c "grep -q ' $D/huge/$A ' /proc/mounts && ls '$D/huge/$A' | grep -q '^${A}map_'"
"$CLI" status --config "$C" >"$D/st.txt"
ok "status shows the member as stale" grep -Eq "^$A +0 +primary .* stale " "$D/st.txt"
"$CLI" reap --config "$C" >"$D/reap.txt" 2>&1
ok "tenantrt reap reclaims it and says what it removed" \
	bash -c "grep -Eq '^tenant \"$A\": removed [0-9]+ hugepage files' '$D/reap.txt' &&
		 grep -qx 'tenant \"$A\": unmounted $D/huge/$A' '$D/reap.txt' &&
		 grep -qx 'tenant \"$A\": removed runtime dir $D/run/$A' '$D/reap.txt'"
ok "... nothing left" no_leftovers "$D" $A
ok "a second reap has nothing to do" bash -c "'$CLI' reap --config '$C' | grep -qx 'nothing to reap under $D/run'"

bg "$D/c.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${PMD[@]}"
P_SHIM=$BG
ok "primary up a third time" wait_for 30 ready "$D/c.log"
P_APP=$(app_pid "$C" $A 0)
kill -KILL "$P_SHIM"
wait "$P_SHIM" 2>/dev/null
wait_for 10 gone "$P_APP"
"$SHIM" --config "$C" --tenant $A -- true >"$D/next.log" 2>&1
ok "the next admission reclaims the stale tenant before starting" \
	expect_line "$D/next.log" "tenantrt-shim: removed stale lease $D/run/.ledger/$A.0.lease"
ok "... and nothing is left after it" no_leftovers "$D" $A

echo "-- signals forwarded, exit codes passed through"
C=$(conf sig < <(tenant $A net_null0 0))
D=$T_TMP/sig
ok "exit 0 passes through" expect_rc 0 "$SHIM" --config "$C" --tenant $A -- true
ok "exit 3 passes through" expect_rc 3 "$SHIM" --config "$C" --tenant $A -- "$BIN/exit3"
ok "death by SIGTERM becomes 143" expect_rc 143 "$SHIM" --config "$C" --tenant $A -- "$BIN/killterm"
# Exits with 100 + the number of the signal it got; ignores its EAL args.
{
	echo '#!/bin/sh'
	for s in TERM INT HUP QUIT USR1 USR2 WINCH; do
		echo "trap 'exit $(( $(kill -l $s) + 100 ))' $s"
	done
	echo 'touch "$READY"'
	echo 'while :; do sleep 0.05; done'
} >"$D/trap.sh"
chmod +x "$D/trap.sh"
for s in TERM INT HUP QUIT USR1 USR2 WINCH; do
	rm -f "$D/ready"
	READY=$D/ready bg "$D/trap-$s.log" env READY="$D/ready" "$SHIM" --config "$C" --tenant $A -- "$D/trap.sh"
	wait_for 10 test -e "$D/ready"
	kill -"$s" "$BG"
	rc_of "$BG"
ok "SIG$s is forwarded to the app (exit $(( $(kill -l "$s") + 100 )))" test "$RC" -eq $(( $(kill -l "$s") + 100 ))
done
printf '#!/bin/sh\ntrap "" TERM\ntouch "$READY"\nwhile :; do sleep 0.05; done\n' >"$D/deaf.sh"
chmod +x "$D/deaf.sh"
rm -f "$D/ready"
bg "$D/deaf.log" env READY="$D/ready" "$SHIM" --config "$C" --tenant $A --stop-timeout 1 -- "$D/deaf.sh"
wait_for 10 test -e "$D/ready"
T0=$SECONDS
kill -TERM "$BG"
rc_of "$BG"
ok "an app ignoring SIGTERM is killed after --stop-timeout 1 (137)" test "$RC" -eq 137
ok "... within 3 s" test $((SECONDS - T0)) -le 3
ok "the shim as PID 1 reaps orphans: no zombie left in its pid namespace" \
	unshare --pid --fork --mount-proc "$SHIM" --config "$C" --tenant $A -- "$BIN/orphan"

echo "-- refusals and usage"
C=$(conf err < <(tenant $A net_null0 1))
D=$T_TMP/err
"$SHIM" --config "$C" --tenant $A --role secondary -- dpdk-proc-info >"$D/nop.log" 2>&1
ok "a secondary with no primary is refused (69)" test $? -eq 69
ok "... with what to do" expect_line "$D/nop.log" \
	"tenantrt-shim: tenant \"$A\": no primary is running; start one first, or give --wait-primary SECONDS"
NOPRIMARY="tenantrt-shim: tenant \"$A\": no primary is running; start one first, or give --wait-primary SECONDS"
T0=$SECONDS
ok "--wait-primary 2 waits, then refuses (69, the same line)" \
	expect_stderr 69 "$NOPRIMARY" "$SHIM" --config "$C" --tenant $A --role secondary --wait-primary 2 -- true
ok "... after about 2 s" test $((SECONDS - T0)) -ge 2
ok "TENANTRT_* environment works like the flags (69, the same line)" \
	expect_stderr 69 "$NOPRIMARY" env TENANTRT_CONFIG="$C" TENANTRT_TENANT=$A TENANTRT_ROLE=secondary "$SHIM" -- true
ok "an unknown tenant is a usage error (64), naming the file" \
	expect_stderr 64 "tenantrt-shim: tenant \"nosuch\" is not in $C; give one of its tenants" \
	"$SHIM" --config "$C" --tenant nosuch -- true
printf 'host:\n  runtimeRoot: relative/path\ntenants: []\nbogus: 1\n' >"$D/bad.yaml"
ok "a bad config prints its diagnostics and exits 65" expect_stderr 65 \
	"$D/bad.yaml:2:16: host: runtimeRoot \"relative/path\": must be an absolute path
$D/bad.yaml:3:10: \"tenants\" is empty; list at least one tenant
$D/bad.yaml:4:1: unknown key \"bogus\"; known keys: host, tenants" \
	"$SHIM" --config "$D/bad.yaml" --tenant $A -- true
ok "no app is a usage error (64), with an example" \
	expect_stderr 64 "tenantrt-shim: no app: give it after \"--\", e.g. tenantrt-shim --tenant $A -- dpdk-testpmd" \
	"$SHIM" --config "$C" --tenant $A
ok "an app that does not exist: 66, one line" \
	expect_stderr 66 "tenantrt-shim: tenant \"$A\": app \"/nonexistent/app\" is not an executable file" \
	"$SHIM" --config "$C" --tenant $A -- /nonexistent/app
ok "... and nothing admitted" test ! -e "$D/run/$A"

echo "-- a runtimeRoot or an app the tenant's uid cannot reach"
# The tenant runs as its dynamic uid: a 0700 dir above its runtimeRoot
# (mktemp -d, /root) would fail late in EAL ("Error creating
# '.../dpdk': Permission denied"). The shim refuses it before admission.
D=$T_TMP/reach
L=$D/locked
mkdir -p "$L" && chmod 700 "$L"
C=$D/reach.yaml
{
	printf 'host:\n  runtimeRoot: %s/run\n  hugepageDir: %s/huge\n  hugepageSize: 2M\ntenants:\n' "$L" "$L"
	tenant $A net_null0 1   # (with 0, allowForeignBinaries draws a warning)
} >"$C"
# The uid it would run as: the plan shows it (and refuses too).
UID_A=$("$CLI" plan --config "$C" --tenant $A --json 2>/dev/null | sed -n 's/.*"uid": \([0-9]*\).*/\1/p' | head -1)
ok "the plan shows a dynamic uid for the tenant" test -n "$UID_A"
LINE="runtimeRoot $L/run: uid $UID_A cannot reach it: $L is 0700 root:root; make it searchable (chmod o+x $L) or choose another runtimeRoot"
HP0=$(hp_free)
ok "a runtimeRoot under a 0700 dir: refused with 78, in one line" \
	expect_stderr 78 "tenantrt-shim: tenant \"$A\": $LINE" \
	"$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${PMD[@]}"
ok "... leaving no runtime dir, mount, lease or uid record" \
	bash -c "test ! -e '$L/run/$A' -a ! -e '$L/huge/$A' && ! grep -q ' $L/' /proc/mounts &&
		 test -z \"\$(ls '$L/run/.ledger' | grep '^$A\.')\""
ok "... and HugePages_Free as it was" test "$(hp_free)" = "$HP0"
"$CLI" plan --config "$C" --tenant $A -- dpdk-testpmd >/dev/null 2>"$D/plan.err"
ok "tenantrt plan refuses it alike (78), in its last line" \
	bash -c "test $? -eq 78 && test \"\$(tail -n 1 '$D/plan.err')\" = 'tenantrt plan: tenant \"$A\": $LINE'"
"$CLI" validate --config "$C" >/dev/null 2>"$D/validate.err"
ok "tenantrt validate warns at host.runtimeRoot (and exits 0)" \
	bash -c "test $? -eq 0 && grep -qxF '$C:2:16: warning: host: runtimeRoot \"$L/run\": tenant \"$A\" runs as its dynamic uid, which cannot reach it: $L is 0700 root:root; make it searchable (chmod o+x $L) or choose another runtimeRoot' '$D/validate.err'"
chmod o+x "$L"
ok "made searchable (o+x), the same start runs" "$SHIM" --config "$C" --tenant $A -- true
ok "... and leaves nothing behind" no_leftovers "$L" $A
# The app: its dirs searchable, its file executable, for the tenant's uid.
mkdir -p "$D/priv" && chmod 700 "$D/priv"
cp "$BIN/exit3" "$D/priv/app"
HP0=$(hp_free)
ok "an app in a 0700 dir: refused with 78, in one line" \
	expect_stderr 78 "tenantrt-shim: tenant \"$A\": app $D/priv/app: uid $UID_A cannot reach it: $D/priv is 0700 root:root; make it searchable (chmod o+x $D/priv) or install it where uid $UID_A may run it" \
	"$SHIM" --config "$C" --tenant $A -- "$D/priv/app"
ok "... leaving nothing behind, HugePages_Free as it was" \
	bash -c "$(declare -f no_leftovers); no_leftovers '$L' $A && test \"\$(awk '/^HugePages_Free:/ {print \$2}' /proc/meminfo)\" = $HP0"
chmod 744 "$D/priv/app" && chmod 711 "$D/priv"
ok "an app only root may execute (0744): refused with 78" \
	expect_stderr 78 "tenantrt-shim: tenant \"$A\": app $D/priv/app: uid $UID_A cannot execute it: $D/priv/app is 0744 root:root; make it executable (chmod o+x $D/priv/app) or install it where uid $UID_A may run it" \
	"$SHIM" --config "$C" --tenant $A -- "$D/priv/app"
chmod 755 "$D/priv/app"
ok "made executable, it runs (its own exit 3 passes through)" \
	expect_rc 3 "$SHIM" --config "$C" --tenant $A -- "$D/priv/app"

# HugePages_Free (checked by suite_end) moves with whatever else runs on
# the host; this is the part that is ours alone.
ok "no hugetlbfs mount and no hugepage file of this suite is left" \
	bash -c "! grep -q ' $T_TMP/' /proc/mounts && test -z \"\$(find '$T_TMP' -name '*map_*' 2>/dev/null)\""
ok "nothing new landed in /var/run/dpdk" test "$(ls -A /var/run/dpdk 2>/dev/null | sort | tr '\n' ' ')" = "$VAR_RUN_BEFORE"
suite_end
