#!/usr/bin/env bash
# Isolation between tenants (issue 4), proven by attacks that fail.
#
# Tenant A runs dpdk-testpmd (net_null, io forwarding) under tenantrt-shim as
# its own uid. Tenant B, another uid, attacks it: through the shim, and
# directly with B's identity (tests/tools/iso_run applies B's isolation as
# the shim's child does). Each attack asserts the kernel's or DPDK's refusal
# (errno, EAL's error line, exit code), and A's traffic and memory are
# checked unchanged afterwards. Then the capabilities of a member with
# NICs that need some, measured against the plan and against DPDK.
#
# Needs root, hugepages, cgroups (hugetlb and cpuset) and 2 cpus.
# usage: suite_isolation.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
suite_begin "${1:-build}"

TOOLS=$T_BUILD/tests/tools
SHIM=$T_BUILD/tenantrt-shim
CLI=$T_BUILD/tenantrt
for f in "$SHIM" "$CLI" "$TOOLS/iso_run" "$TOOLS/sysprobe" "$TOOLS/malloc_grow"; do
	[ -x "$f" ] || { echo "suite_isolation: $f is missing; run 'make check'"; exit 1; }
done
if [ "$(nproc)" -lt 2 ]; then
	echo "suite_isolation: needs 2 cpus (a tenant on each)"; exit 1
fi

# Unique names: other suites run on this host at the same time.
A=isoa$$
B=isob$$
C=isoc$$
D=isod$$
E=isoe$$
# Below tenantrt's dynamic uids (60600-61099): no tenant without user:
# elsewhere on the host can hold one of these.
AU=$((50000 + ($$ % 2000) * 3))
BU=$((AU + 1))
CU=$((AU + 2))
ROOT=$T_TMP/root
CONF=$T_TMP/tenants.yaml
VETH=iv$$
PROBE=$TOOLS/sysprobe

cat >"$CONF" <<EOF
host:
  runtimeRoot: $ROOT
  hugepageSize: 2M
  cpus: "0-1"
tenants:
  - name: $A
    memory: {totalMb: 32, limitMb: 64}
    cpus: "0"
    nics: [net_null0]
    user: "$AU:$AU"
    group: {maxSecondaries: 1, allowForeignBinaries: true}
  - name: $B
    memory: {totalMb: 16, limitMb: 32}
    cpus: "1"
    nics: [net_null1]
    user: "$BU:$BU"
EOF

# Tenant A's testpmd under the shim, forwarding on net_null, stats each
# second on its stdout.
"$SHIM" --config "$CONF" --tenant "$A" -- dpdk-testpmd --forward-mode=io \
	--auto-start --stats-period=1 --total-num-mbufs=2048 \
	>"$T_TMP/a.out" 2>&1 &
ASHIM=$!
on_exit "kill_wait $ASHIM"
on_exit "for t in $A $B $C $D $E; do $TOOLS/iso_run teardown --runtime-root $ROOT --tenant \$t; done"

a_rx() { testpmd_rx "$T_TMP/a.out"; }
must_forward suite_isolation "tenant A's testpmd" "$T_TMP/a.out"
APID=$(pgrep -P "$ASHIM" -x dpdk-testpmd)
AHUGE=$ROOT/hugepages/$A
ARUN=$ROOT/$A/dpdk/$A
CG2=/sys/fs/cgroup/unified
[ -f /sys/fs/cgroup/cgroup.controllers ] && CG2=/sys/fs/cgroup
# Each tenant's cgroup, named after the runtimeRoot as the plan says.
cgname() { "$CLI" plan --config "$1" --tenant "$2" | awk '$1 == "cgroup" {print $2}'; }
AG=$(cgname "$CONF" "$A")
BG=$(cgname "$CONF" "$B")
a_hugefiles() { find "$AHUGE" -name "${A}map_*" | wc -l; }
a_cg_pages() { cat "$CG2/$AG/hugetlb.2MB.current"; }
A_FILES0=$(a_hugefiles)
A_CG0=$(a_cg_pages)
A_RX0=$(a_rx)
AFILE=$(find "$AHUGE" -name "${A}map_*" | head -1)

status_field() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# --- what A's member got ------------------------------------------------

echo "-- tenant A's member (pid $APID) as the kernel sees it"
ok "runs as the tenant's uid/gid $AU, no supplementary groups" \
	bash -c "grep -qE '^Uid:\s+$AU\s+$AU\s+$AU\s+$AU$' /proc/$APID/status &&
		 grep -qE '^Gid:\s+$AU\s+$AU\s+$AU\s+$AU$' /proc/$APID/status &&
		 grep -qE '^Groups:\s*$' /proc/$APID/status"
planned_caps() {
	"$CLI" plan --config "$1" --tenant "$2" | awk '$1 == "capabilities" {$1 = ""; print tolower($0)}' |
		tr ' ' '\n' | grep . | sort | paste -sd, -
}
caps_of() { "$TOOLS/iso_run" capnames "$(status_field "$1" "$2")" | tr ',' '\n' | grep . | sort | paste -sd, -; }
ok "plan for a vdev-only tenant: no capabilities" \
	test "$(planned_caps "$CONF" "$A")" = "none"
ok "CapEff, CapPrm, CapBnd, CapAmb all 0 as planned" \
	bash -c "for f in CapEff CapPrm CapBnd CapAmb CapInh; do
		   grep -qE \"^\$f:\s+0000000000000000$\" /proc/$APID/status || exit 1; done"
ok "no_new_privs and a seccomp filter (mode 2)" \
	bash -c "grep -qE '^NoNewPrivs:\s+1$' /proc/$APID/status && grep -qE '^Seccomp:\s+2$' /proc/$APID/status"
ok "testpmd forwards unchanged under the default seccomp profile" test "$A_RX0" -gt 0
ok "in the tenant's hugetlb and cpuset cgroups" \
	bash -c "grep -qx '0::/$AG/m0' /proc/$APID/cgroup &&
		 grep -qE '^[0-9]+:cpuset:/$AG/m0$' /proc/$APID/cgroup"
ok "hugetlb limit = 64 MiB, reservations too (mmap fails, no SIGBUS)" \
	bash -c "test \$(cat $CG2/$AG/hugetlb.2MB.max) = 67108864 &&
		 { [ ! -e $CG2/$AG/hugetlb.2MB.rsvd.max ] ||
		   test \$(cat $CG2/$AG/hugetlb.2MB.rsvd.max) = 67108864; }"
ok "held to cpu 0 (Cpus_allowed_list)" \
	bash -c "grep -qE '^Cpus_allowed_list:\s+0$' /proc/$APID/status"
ok "runtime dir and hugetlbfs are 0700, owned by uid $AU" \
	bash -c "test \"\$(stat -c '%a %u %g' $ROOT/$A)\" = '700 $AU $AU' &&
		 test \"\$(stat -c '%a %u %g' $AHUGE)\" = '700 $AU $AU' &&
		 test \"\$(stat -f -c %T $AHUGE)\" = hugetlbfs"
ok "status says the quota is hard" \
	bash -c "'$CLI' status --config '$CONF' | grep -E '^$A ' | grep -qE 'hugetlbfs\+cgroup'"
ok "dpdk-proc-info runs unchanged under the default profile, as A's secondary" \
	bash -c "'$SHIM' --config '$CONF' --tenant $A --role secondary -- dpdk-proc-info --stats 2>&1 |
		 tee /dev/stderr | grep -qE 'RX-packets: +[1-9]'"

# --- attacks through the shim, as tenant B --------------------------------

echo "-- tenant B attacks through the shim (as uid $BU, B's cgroups, B's seccomp)"
asb() { # the shim's own notes (unmounted, removed) are not the probe's answer
	local rc
	"$SHIM" --config "$CONF" --tenant "$B" -- "$@" 2>"$T_TMP/b.err"
	rc=$?
	grep -vE '^tenantrt-shim: tenant "[^"]*": (unmounted|removed)' "$T_TMP/b.err" >&2
	return $rc
}
expect_out() { # expect_out "exact first line" command...
	local want=$1 out
	shift
	out=$("$@")
	echo "$out"
	[ "$(echo "$out" | head -1)" = "$want" ]
}
# Through the shim, B's member has its own mount namespace, where A's dirs
# are not even there (ENOENT); as B's uid alone, the directly run attacks
# below still meet A's 0700 (EACCES).
ok "open A's hugepage file: ENOENT (not in B's view)" expect_out "open: ENOENT (No such file or directory)" asb "$PROBE" open "$AFILE"
ok "unlink A's hugepage file: ENOENT" expect_out "unlink: ENOENT (No such file or directory)" asb "$PROBE" unlink "$AFILE"
ok "list A's hugetlbfs: ENOENT" expect_out "list: ENOENT (No such file or directory)" asb "$PROBE" list "$AHUGE"
ok "connect to A's mp_socket: ENOENT" expect_out "connect: ENOENT (No such file or directory)" asb "$PROBE" connect "$ARUN/mp_socket"
ok "connect to A's telemetry socket: ENOENT" \
	expect_out "connect: ENOENT (No such file or directory)" asb "$PROBE" connect "$ARUN/dpdk_telemetry.v2"
asB_uid() { "$TOOLS/iso_run" exec --tenant "$B" --uid "$BU" --gid "$BU" --caps none -- "$PROBE" "$@"; }
ok "... and as B's uid without the namespace: open A's hugepage file: EACCES" \
	expect_out "open: EACCES (Permission denied)" asB_uid open "$AFILE"
ok "... list A's hugetlbfs: EACCES" expect_out "list: EACCES (Permission denied)" asB_uid list "$AHUGE"
ok "... connect to A's mp_socket: EACCES" expect_out "connect: EACCES (Permission denied)" asB_uid connect "$ARUN/mp_socket"
ok "ptrace A's primary: EPERM" expect_out "ptrace: EPERM (Operation not permitted)" asb "$PROBE" ptrace "$APID"
ok "keyctl, denied by the default profile: EPERM" expect_out "keyctl: EPERM (Operation not permitted)" asb "$PROBE" keyctl
ok "unshare(CLONE_NEWUSER), denied: EPERM" expect_out "unshare: EPERM (Operation not permitted)" asb "$PROBE" unshare
ok "clone(CLONE_NEWUSER), the same namespace by another door: EPERM" \
	expect_out "clone-newuser: EPERM (Operation not permitted)" asb "$PROBE" clone-newuser
ok "plain threads still start (clone3 answers ENOSYS, glibc falls back)" expect_out "thread: ok" asb "$PROBE" thread
ok "B is held to its cpu 1" expect_out "getaffinity: 1" asb "$PROBE" getaffinity
ok "sched_setaffinity to A's cpu 0: EINVAL (cpuset)" expect_out "setaffinity: EINVAL (Invalid argument)" asb "$PROBE" setaffinity 0
ok "memfd hugepages (as --in-memory) past B's 32 MiB: ENOMEM (hugetlb cgroup)" \
	expect_out "memfd-huge: ENOMEM (Cannot allocate memory)" asb "$PROBE" memfd-huge 64
ok "memfd hugepages within B's quota: allowed (the limit is B's, not zero)" \
	expect_out "memfd-huge: ok" asb "$PROBE" memfd-huge 8
grow_ok() {
	local out got
	out=$("$@")
	echo "$out"
	got=$(echo "$out" | sed -n 's/^malloc_grow: got \([0-9]*\) MiB, then rte_malloc returned NULL$/\1/p')
	[ -n "$got" ] && [ "$got" -le "$GROW_MAX" ] && grep -qx 'malloc_grow: still running' <<<"$out"
}
GROW_MAX=32
ok "run-time rte_malloc growth stops at B's quota with NULL, B keeps running" grow_ok asb "$TOOLS/malloc_grow" 2
# B runs no primary now, so a secondary is refused for that first (69);
# maxSecondaries 0 with a primary running (64) is suite_shim's case.
b_secondary_refused() {
	"$SHIM" --config "$CONF" --tenant "$B" --role secondary -- "$PROBE" getaffinity 2>"$T_TMP/bsec.err"
	local rc=$? want="tenantrt-shim: tenant \"$B\": no primary is running; start one first, or give --wait-primary SECONDS"
	[ "$rc" = 69 ] && [ "$(cat "$T_TMP/bsec.err")" = "$want" ] ||
		{ echo "exit $rc, want 69; stderr:"; cat "$T_TMP/bsec.err"; return 1; }
}
ok "a secondary of B, which runs no primary: refused, exit 69, one line" b_secondary_refused

# Configs B could slip in: refused before anything runs.
BAD=$T_TMP/bad.yaml
sed -e "/name: $B/,\$ s/^    user: .*/&\n    eal: [\"--legacy-mem\"]/" "$CONF" >"$BAD"
refused65() { # refused65 "message part" config
	local msg=$1 conf=$2 rc
	"$SHIM" --config "$conf" --tenant "$B" -- "$PROBE" getaffinity 2>"$T_TMP/bad.err"
	rc=$?
	cat "$T_TMP/bad.err"
	[ "$rc" = 65 ] && grep -qF -- "$msg" "$T_TMP/bad.err"
}
ok "B with --legacy-mem: refused, exit 65" \
	refused65 "tenant \"$B\": eal argument \"--legacy-mem\" is refused" "$BAD"
sed -e "/name: $B/,\$ s/^    user: .*/&\n    eal: [\"--file-prefix=$A\"]/" "$CONF" >"$BAD"
ok "B with A's --file-prefix (attach to A through the shim): refused, exit 65" \
	refused65 "tenant \"$B\": eal argument \"--file-prefix=$A\" is refused" "$BAD"
sed -e "s/^    nics: \[net_null[01]\]/    nics: [\"net_af_packet0,iface=$VETH\"]/" "$CONF" >"$BAD"
ok "B with A's NIC: refused, exit 65" \
	refused65 "tenant \"$B\": NIC net_af_packet0,iface=$VETH uses interface $VETH, already given to tenant \"$A\"" "$BAD"
# (A NIC held by a running tenant of another config is refused at
# admission, exit 69: suite_shim.sh proves it on a kernel interface.)

# --- attacks with B's identity, directly --------------------------------

# A member of B holds B's cgroups, hugetlbfs and runtime dir while iso_run
# runs DPDK as B (B's uid, no capabilities, default seccomp, B's cgroups).
"$SHIM" --config "$CONF" --tenant "$B" -- "$PROBE" sleep 120 >"$T_TMP/bhold.out" 2>&1 &
BSHIM=$!
on_exit "kill_wait $BSHIM; umount $ROOT/hugepages/$B"
wait_for 10 grep -q '^sleep: pid' "$T_TMP/bhold.out"
BHUGE=$ROOT/hugepages/$B
# In the leaf of B's running member (m0): B's cgroups, as a member has.
asB() { RUNTIME_DIRECTORY=$ROOT/$B "$TOOLS/iso_run" exec --runtime-root "$ROOT" --member 0 --tenant "$B" --uid "$BU" --gid "$BU" --caps none -- "$@"; }
BEAL=(--no-pci --lcores=0@1)

echo "-- tenant B attacks directly (as uid $BU with B's isolation, DPDK's own refusals)"
eal_refused() { # eal_refused "EAL line" command...
	local line=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "$out" | tail -8
	[ "$rc" -ne 0 ] && grep -qF -- "$line" <<<"$out"
}
ok "secondary with A's prefix and A's RUNTIME_DIRECTORY: Permission denied" \
	eal_refused "EAL: Error creating '$ROOT/$A/dpdk': Permission denied" \
	env RUNTIME_DIRECTORY="$ROOT/$A" "$TOOLS/iso_run" exec --runtime-root "$ROOT" --member 0 --tenant "$B" --uid "$BU" --gid "$BU" \
	--caps none -- dpdk-proc-info --file-prefix="$A" --no-pci -- --stats
ok "primary with A's prefix on A's hugetlbfs (would wipe A's files): refused" \
	eal_refused "EAL: FATAL: Cannot get hugepage information." \
	asB "$TOOLS/malloc_grow" --file-prefix="$A" --huge-dir="$AHUGE" -m 4 "${BEAL[@]}"
ok "a larger -m (128 MiB) in B's own 32 MiB mount: EAL Cannot init memory" \
	eal_refused "EAL: FATAL: Cannot init memory" \
	asB "$TOOLS/malloc_grow" --file-prefix="$B" --huge-dir="$BHUGE" -m 128 "${BEAL[@]}"
rm -f "$BHUGE/${B}map_"*  # a failed primary init leaves its pages behind
b_events() { awk '$1 == "max" {print $2}' "$CG2/$BG/hugetlb.2MB.events"; }
B_EV0=$(b_events)
ok "--in-memory (memfd) growth stops at B's 32 MiB cgroup limit, B keeps running" \
	grow_ok asB "$TOOLS/malloc_grow" --file-prefix="$B" --in-memory -m 8 "${BEAL[@]}" -- 2
ok "... and it was the hugetlb cgroup that said no (events max grew)" \
	test "$(b_events)" -gt "$B_EV0"
ok "--in-memory -m 128 past the cgroup: EAL Cannot init memory" \
	eal_refused "EAL: FATAL: Cannot init memory" \
	asB "$TOOLS/malloc_grow" --file-prefix="$B" --in-memory -m 128 "${BEAL[@]}"
ok "EAL lcore on A's cpu 0: EAL Cannot set affinity (cpuset)" \
	eal_refused "EAL: FATAL: Cannot set affinity" \
	asB "$TOOLS/malloc_grow" --file-prefix="$B" --in-memory -m 8 --no-pci --lcores=0@0
ok "ptrace A's primary without the filter: still EPERM (other uid, no CAP_SYS_PTRACE)" \
	expect_out "ptrace: EPERM (Operation not permitted)" \
	"$TOOLS/iso_run" exec --runtime-root "$ROOT" --member 0 --tenant "$B" --uid "$BU" --gid "$BU" --caps none --seccomp unconfined -- "$PROBE" ptrace "$APID"
ok "keyctl without the filter: allowed (so the filter is what denied it)" \
	expect_out "keyctl: ok" \
	"$TOOLS/iso_run" exec --runtime-root "$ROOT" --member 0 --tenant "$B" --uid "$BU" --gid "$BU" --caps none --seccomp unconfined -- "$PROBE" keyctl
BHOLD=$(sed -n 's/^sleep: pid //p' "$T_TMP/bhold.out")
ok "ptrace of B's own member, without the filter: allowed (same uid)" \
	expect_out "ptrace: ok" \
	"$TOOLS/iso_run" exec --runtime-root "$ROOT" --member 0 --tenant "$B" --uid "$BU" --gid "$BU" --caps none --seccomp unconfined -- "$PROBE" ptrace "$BHOLD"
ok "... with the default profile: EPERM (so seccomp alone stops ptrace)" \
	expect_out "ptrace: EPERM (Operation not permitted)" \
	"$TOOLS/iso_run" exec --runtime-root "$ROOT" --member 0 --tenant "$B" --uid "$BU" --gid "$BU" --caps none -- "$PROBE" ptrace "$BHOLD"
gone() { ! kill -0 "$1" 2>/dev/null; }
disown "$BSHIM"  # no "Killed" job notice in the output
kill -KILL "$BSHIM"
ok "B's member dies with its killed shim (parent-death signal kept across the uid change)" \
	wait_for 5 gone "$BHOLD"
ok "tenantrt reap then removes B's cgroups and mount" \
	bash -c "'$CLI' reap --config '$CONF' && [ ! -d $CG2/$BG ] && ! mountpoint -q '$BHUGE'"

# --- A after all of it --------------------------------------------------

echo "-- tenant A after the attacks"
sleep 1.5
ok "A's testpmd still runs" kill -0 "$APID"
ok "A's port counters kept increasing ($A_RX0 -> later)" test "$(a_rx)" -gt "$A_RX0"
ok "A's hugepage files unchanged ($A_FILES0)" test "$(a_hugefiles)" = "$A_FILES0"
ok "A's hugetlb cgroup usage unchanged ($A_CG0 bytes)" test "$(a_cg_pages)" = "$A_CG0"
kill_wait "$ASHIM"
ok "A's cgroups removed with its last member" \
	bash -c "[ ! -d $CG2/$AG ] && [ ! -d /sys/fs/cgroup/cpuset/$AG ]"

# --- a kernel without hugetlb reservation limits (before 5.7) --------------

if [ -e "$CG2/hugetlb.2MB.rsvd.max" ] || [ -e "$CG2/tenantrt/hugetlb.2MB.rsvd.max" ]; then
	echo "-- the fault-time limit alone, as on kernels without hugetlb rsvd"
	"$TOOLS/iso_run" setup --runtime-root "$ROOT" --tenant "$E" --limit-mb 32 --cpus 1
	echo max >"$CG2/$("$TOOLS/iso_run" cgname --runtime-root "$ROOT" --tenant "$E")/hugetlb.2MB.rsvd.max"
	asE() { "$TOOLS/iso_run" exec --runtime-root "$ROOT" --tenant "$E" --uid "$BU" --gid "$BU" --caps none -- "$@"; }
	GROW_MAX=32
	ok "DPDK catches the SIGBUS of its own page faults: growth ends in NULL, app runs on" \
		grow_ok asE "$TOOLS/malloc_grow" --file-prefix="$E" --in-memory -m 8 --no-pci --lcores=0@1 -- 2
	ok "a plain memfd user past the limit dies of SIGBUS alone (exit 135)" \
		bash -c "'$TOOLS/iso_run' exec --runtime-root '$ROOT' --tenant $E --uid $BU --gid $BU --caps none -- '$PROBE' memfd-huge 64; [ \$? = 135 ]"
	"$TOOLS/iso_run" teardown --runtime-root "$ROOT" --tenant "$E"
fi

# --- capabilities a NIC needs: plan, kernel, DPDK -------------------------

echo "-- capabilities for NICs that need some (net_af_packet on a veth)"
ip link add "${VETH}a" type veth peer name "${VETH}b" || exit 1
on_exit "ip link del ${VETH}a"
ip link set "${VETH}a" up && ip link set "${VETH}b" up
CCONF=$T_TMP/c.yaml
cat >"$CCONF" <<EOF
host:
  runtimeRoot: $ROOT
  hugepageSize: 2M
  cpus: "0-1"
tenants:
  - name: $C
    memory: {socketMb: [16], limitMb: 32}
    cpus: "1"
    cpuPolicy: shared
    nics: ["net_af_packet0,iface=${VETH}a"]
    user: "$CU:$CU"
    supplementaryGroups: ["$((CU + 1000))"]
  - name: $D
    memory: {totalMb: 4}
    cpus: "1"
    cpuPolicy: shared
    nics: [net_null2]
    user: "$CU:$CU"
    security: {seccomp: $T_TMP/profile}
EOF
# Root-only, as an operator would keep it: read before the uid changes.
printf '%s\n' '# all of the default profile but keyctl' 'deny @default' 'allow keyctl' >"$T_TMP/profile"
chmod 600 "$T_TMP/profile"
"$SHIM" --config "$CCONF" --tenant "$C" -- dpdk-testpmd --forward-mode=io --auto-start \
	--stats-period=1 --total-num-mbufs=2048 >"$T_TMP/c.out" 2>&1 &
CSHIM=$!
on_exit "kill_wait $CSHIM"
wait_for 20 grep -q 'RX-packets' "$T_TMP/c.out"
CPID=$(pgrep -P "$CSHIM" -x dpdk-testpmd)
CPLAN=$(planned_caps "$CCONF" "$C")
echo "   planned: $CPLAN"
ok "CapEff of the running member = the plan ($CPLAN)" \
	test -n "$CPID" -a -n "$CPLAN" -a "$(caps_of "$CPID" CapEff)" = "$CPLAN"
same_caps() { # same_caps PID FIELD... : each field decodes to the plan
	local pid=$1 f
	shift
	[ -n "$pid" ] || return 1
	for f in "$@"; do
		echo "$f: $(caps_of "$pid" "$f")"
		[ "$(caps_of "$pid" "$f")" = "$CPLAN" ] || return 1
	done
}
ok "CapPrm = CapBnd = CapAmb = the plan" same_caps "$CPID" CapPrm CapBnd CapAmb
ok "supplementary groups: exactly the configured one" \
	grep -qE "^Groups:\s+$((CU + 1000))\s*$" "/proc/$CPID/status"
ok "its port came up (net_af_packet works with them)" grep -q 'Port 0: ' "$T_TMP/c.out"
ok "socketMb on node 0: memory policy bound to node 0 (numa_maps), cpuset.mems 0" \
	bash -c "grep -q ' bind:0 ' /proc/$CPID/numa_maps && grep -qE '^Mems_allowed_list:\s+0$' /proc/$CPID/status &&
		 test \"\$(cat /sys/fs/cgroup/cpuset/$(cgname "$CCONF" "$C")/cpuset.mems 2>/dev/null || cat $CG2/$(cgname "$CCONF" "$C")/cpuset.mems)\" = 0"
kill_wait "$CSHIM"

echo "-- a seccomp profile file (security.seccomp: a root-only file)"
asd() { "$SHIM" --config "$CCONF" --tenant "$D" -- "$@" 2>"$T_TMP/d.err"; }
ok "keyctl, allowed by the profile: ok" expect_out "keyctl: ok" asd "$PROBE" keyctl
ok "unshare, denied by the profile's @default: EPERM" \
	expect_out "unshare: EPERM (Operation not permitted)" asd "$PROBE" unshare
echo 'deny no_such_call' >>"$T_TMP/profile"
ok "a bad profile: refused before start, exit 78, FILE:LINE named" \
	bash -c "'$SHIM' --config '$CCONF' --tenant $D -- '$PROBE' keyctl 2>'$T_TMP/d.err'; rc=\$?; cat '$T_TMP/d.err';
		 [ \$rc = 78 ] && grep -qF '$T_TMP/profile:4: unknown syscall \"no_such_call\"' '$T_TMP/d.err'"

# The minimal set, measured: DPDK's own refusal without it.
echo "-- the minimal capabilities per NIC kind, measured with DPDK's refusals"
mincap() { # mincap CAPS "EAL/PMD line or empty for success" vdev
	local caps=$1 line=$2 vdev=$3 out
	# Non-interactive testpmd starts its ports, forwards, then reads
	# stdin: EOF ends it cleanly ("Bye...").
	out=$(RUNTIME_DIRECTORY=$T_TMP/mc timeout 30 "$TOOLS/iso_run" exec --runtime-root "$ROOT" --tenant "$C" --uid "$CU" --gid "$CU" \
		--caps "$caps" -- dpdk-testpmd --file-prefix="$C" --in-memory -m 16 --no-pci --lcores=0@1,1@1 \
		--vdev="$vdev" -- --total-num-mbufs=2048 --forward-mode=io --auto-start </dev/null 2>&1)
	echo "$out" | grep -vE '^EAL: (Detected|Multi|Phys|Selected)' | head -12
	if [ -n "$line" ]; then
		grep -qF -- "$line" <<<"$out"
	else
		grep -q '^Port 0: ' <<<"$out" && grep -qx 'Bye...' <<<"$out" &&
			! grep -qE 'probe failed|Fail to start port' <<<"$out"
	fi
}
mkdir -p "$T_TMP/mc" && chown "$CU:$CU" "$T_TMP/mc"
ok "net_af_packet without capabilities: the PMD cannot open its socket" \
	mincap none "vdev_probe(): failed to initialize net_af_packet0 device" "net_af_packet0,iface=${VETH}a"
ok "net_af_packet with CAP_NET_RAW only: the port cannot start (promiscuous mode)" \
	mincap cap_net_raw "Fail to start port 0: Operation not permitted" "net_af_packet0,iface=${VETH}a"
ok "net_af_packet with CAP_NET_RAW and CAP_NET_ADMIN: works" \
	mincap cap_net_raw,cap_net_admin "" "net_af_packet0,iface=${VETH}a"
ok "net_tap without capabilities: TUNSETIFF Operation not permitted" \
	mincap none "Unable to set TUNSETIFF for ${VETH}t: Operation not permitted" "net_tap0,iface=${VETH}t"
ok "net_tap with CAP_NET_ADMIN only: works" \
	mincap cap_net_admin "" "net_tap0,iface=${VETH}t"
ok "net_null as a non-root uid: no capability at all" \
	mincap none "" "net_null0"

suite_end
