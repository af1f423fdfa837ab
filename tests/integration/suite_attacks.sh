#!/usr/bin/env bash
# Isolation by default (issue 10), proven by attacks that fail.
#
# A victim tenant V runs dpdk-testpmd under tenantrt-shim with no user:
# (so a dynamic uid). Two attacker tenants run a hostile app,
# tests/tools/attack, THROUGH THE SHIM exactly as planned: A without user:
# (its own dynamic uid) and R with `user: root`. Each case asserts the
# kernel's refusal (EROFS, EACCES, EPERM, ENOENT, ENOSPC) or the shim's, and
# at the end V is checked unchanged: its pid alive, its counters rising,
# its hugepage files, cgroup limit, lease, uid and group records the same,
# and the host's files untouched. What `user: root` still can do is
# asserted too: it is what the README says it still allows.
#
# Needs root, hugepages, cgroups, 2 cpus, CAP_SYS_ADMIN (the shim's mount
# namespaces).
# usage: suite_attacks.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
suite_begin "${1:-build}"

TOOLS=$T_BUILD/tests/tools
SHIM=$T_BUILD/tenantrt-shim
CLI=$T_BUILD/tenantrt
ATK=$TOOLS/attack
for f in "$SHIM" "$CLI" "$ATK"; do
	[ -x "$f" ] || { echo "suite_attacks: $f is missing; run 'make check'"; exit 1; }
done
[ "$(nproc)" -ge 2 ] || { echo "suite_attacks: needs 2 cpus"; exit 1; }

V=atkv$$
A=atka$$
R=atkr$$
G=atkg$$
F=atkf$$
ROOT=$T_TMP/root
LEDGER=$ROOT/.ledger
CONF=$T_TMP/tenants.yaml
NICVAR=TRATTACK_NIC_$$
# The device the group's {env:} NIC names: a PCI device must exist and be
# bound to the driver the YAML names (issue 11); this VM's virtio-rng, as
# suite_shim uses it. The apps here are no DPDK apps: nothing probes it.
FAKEBDF=0000:00:05.0
[ "$(basename "$(readlink /sys/bus/pci/devices/$FAKEBDF/driver 2>/dev/null)")" = virtio-pci ] ||
	{ echo "suite_attacks: needs $FAKEBDF on virtio-pci (this VM's virtio-rng), as suite_shim does"; exit 1; }
mkdir -p "$ROOT" && chmod 755 "$ROOT"

cat >"$CONF" <<EOF
host:
  runtimeRoot: $ROOT
  hugepageSize: 2M
  cpus: "0-1"
tenants:
  - name: $V
    memory: {totalMb: 32, limitMb: 64}
    cpus: "0"
    nics: [net_null0]
  - name: $A
    memory: {totalMb: 4, limitMb: 8}
    cpus: "1"
    cpuPolicy: shared
    nics: [net_null1]
    group: {maxSecondaries: 1, allowForeignBinaries: true}
  - name: $R
    memory: {totalMb: 4, limitMb: 8}
    cpus: "1"
    cpuPolicy: shared
    nics: [net_null1]
    user: root
  - name: $G
    memory: {totalMb: 4, limitMb: 8}
    cpus: "1"
    cpuPolicy: shared
    nics: [{env: $NICVAR, driver: virtio-pci}]
    group: {maxSecondaries: 1, allowForeignBinaries: true}
  - name: $F
    memory: {totalMb: 4, limitMb: 8}
    cpus: "1"
    cpuPolicy: shared
    nics: [net_null2]
EOF
export "$NICVAR=$FAKEBDF"

CG2=/sys/fs/cgroup/unified
[ -f /sys/fs/cgroup/cgroup.controllers ] && CG2=/sys/fs/cgroup

# --- helpers ---------------------------------------------------------------------

# One attack through the shim as tenant $1; prints the app's output (first
# line DONE or "refused: ENAME"), passes the shim's lines but its reclaim
# notes to stderr.
atk() {
	local t=$1 rc
	shift
	"$SHIM" --config "$CONF" --tenant "$t" -- "$ATK" "$@" >"$T_TMP/atk.out" 2>"$T_TMP/atk.err"
	rc=$?
	cat "$T_TMP/atk.out"
	grep -vE '^tenantrt-shim: tenant "[^"]*": (unmounted|removed)' "$T_TMP/atk.err" >&2
	return $rc
}
expect() { # expect "first line" TENANT OP ARGS...
	local want=$1 got
	shift
	got=$(atk "$@" | head -1)
	echo "got: $got"
	[ "$got" = "$want" ]
}
expect_one() { # expect_one "first line" "or this one" TENANT OP ARGS...
	local a=$1 b=$2 got
	shift 2
	got=$(atk "$@" | head -1)
	echo "got: $got"
	[ "$got" = "$a" ] || [ "$got" = "$b" ]
}
lists_only() { # lists_only TENANT DIR "names": all the tenant sees in DIR
	local got
	got=$(atk "$1" list "$2" | tail -n +2 | sort | paste -sd' ' -)
	echo "sees: $got"
	[ "$got" = "$3" ]
}
mounts_only_own() { # the member's mountinfo under the runtime root: its own two and the cover
	local got
	got=$(atk "$1" mounts | grep "^$ROOT" | sort | paste -sd' ' -)
	echo "mounts: $got"
	[ "$got" = "$ROOT $ROOT/$1 $ROOT/hugepages/$1" ]
}
shim_says() { # shim_says EXIT "line part" TENANT [--role R] -- APP ARGS
	local want=$1 line=$2 out rc
	shift 2
	out=$("$SHIM" --config "$CONF" --tenant "$@" 2>&1)
	rc=$?
	echo "$out"
	echo "exit $rc"
	[ "$rc" = "$want" ] && grep -qF -- "$line" <<<"$out"
}

# --- the victim --------------------------------------------------------------------

"$SHIM" --config "$CONF" --tenant "$V" -- dpdk-testpmd --forward-mode=io --auto-start \
	--stats-period=1 --total-num-mbufs=2048 >"$T_TMP/v.out" 2>&1 &
VSHIM=$!
on_exit "kill_wait $VSHIM"
v_rx() { testpmd_rx "$T_TMP/v.out"; }
must_forward suite_attacks "the victim's testpmd" "$T_TMP/v.out"
VPID=$(pgrep -P "$VSHIM" -x dpdk-testpmd)
VUID=$(awk '$1 == "Uid:" {print $2}' "/proc/$VPID/status")
# The victim's tenant group, above its member's leaf.
VCG=$CG2$(dirname "$(awk -F: '$1 == "0" {print $3}' "/proc/$VPID/cgroup")")
v_state() { # what no attack may change
	ls "$ROOT/hugepages/$V" | wc -l
	cat "$VCG/hugetlb.2MB.max"
	md5sum "$LEDGER/$V.0.lease" "$LEDGER/$V.uid" "$LEDGER/$V.group" | awk '{print $1}'
	stat -c '%a %u %g' "$ROOT/$V" "$ROOT/hugepages/$V"
	cat /proc/sys/kernel/core_pattern /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
	md5sum /etc/shadow /etc/passwd | awk '{print $1}'
	ls /etc | md5sum
}
V_STATE0=$(v_state)
V_RX0=$(v_rx)

echo "-- the victim (pid $VPID) runs as its own uid, in its own view"
ok "its hugetlb limit is in force: 64 MiB ($VCG)" test "$(cat "$VCG/hugetlb.2MB.max")" = 67108864
dynamic_ids() {
	[ "$VUID" -ge 60600 ] && [ "$VUID" -le 61099 ] &&
		grep -qE "^Gid:\s+$VUID\s+$VUID\s+$VUID\s+$VUID$" "/proc/$VPID/status" &&
		grep -qE '^Groups:\s*$' "/proc/$VPID/status" &&
		grep -qE '^CapEff:\s+0+$' "/proc/$VPID/status"
}
ok "no user: -> a dynamic uid $VUID in 60600-61099, its own gid, no groups, no caps" dynamic_ids
ok "the plan shows that uid, dynamic" \
	grep -qE "^  user +uid $VUID gid $VUID groups none \(dynamic\)$" <("$CLI" plan --config "$CONF" --tenant "$V")
recorded() {
	grep -qx "uid=$VUID" "$LEDGER/$V.uid" && grep -qx 'state=live' "$LEDGER/$V.uid" &&
		[ "$(stat -c '%a %u' "$LEDGER" "$LEDGER/$V.uid" | paste -sd' ' -)" = "700 0 600 0" ]
}
ok "recorded live in root's ledger ($LEDGER/$V.uid: 0600 in 0700)" recorded
own_dirs() {
	[ "$(stat -c '%a %u' "$ROOT/$V" "$ROOT/hugepages/$V" | paste -sd' ' -)" = "700 $VUID 700 $VUID" ] &&
		[ "$(stat -f -c %T "$ROOT/$V")" = tmpfs ] &&
		[ "$(stat -f -c %T "$ROOT/hugepages/$V")" = hugetlbfs ] &&
		findmnt -no OPTIONS "$ROOT/$V" | grep -q 'size=16384k,nr_inodes=1024' &&
		findmnt -no OPTIONS "$ROOT/hugepages/$V" | grep -q 'nr_inodes=40'
}
ok "its runtime dir (own tmpfs, 16 MiB, 1024 inodes) and hugetlbfs (32 pages + 8 inodes) are its own, 0700" own_dirs
ok "the group record is root's (.ledger), not in the tenant's runtime dir" \
	test -f "$LEDGER/$V.group" -a ! -e "$ROOT/$V/tenantrt-manifest"
own_ns() {
	[ "$(readlink "/proc/$VPID/ns/mnt")" != "$(readlink "/proc/$VSHIM/ns/mnt")" ] &&
		[ "$(readlink "/proc/$VPID/ns/ipc")" != "$(readlink "/proc/$VSHIM/ns/ipc")" ]
}
ok "its own mount and IPC namespaces" own_ns
ok "status: its uid (dynamic) and its view (the shim's namespaces)" \
	grep -qE "^$V +0 +uid $VUID \(dynamic\) +own mount and IPC namespaces" <("$CLI" status --config "$CONF")

# A root process of the host for the attackers to signal (signal 0 only).
sleep 300 &
HOSTPID=$!
on_exit "kill $HOSTPID"

# --- the host ----------------------------------------------------------------------

for who in "$A:no user" "$R:user root"; do
	T=${who%%:*}
	K=${who#*:}
	if [ "$T" = "$R" ]; then W=EROFS; else W=EACCES; fi
	echo "-- $K ($T) against the host"
	ok "$K: write its own hugetlb limit: $W" expect "refused: $W" "$T" own-cgroup hugetlb ../hugetlb.2MB.max
	ok "$K: write its own cpuset: $W" expect "refused: $W" "$T" own-cgroup cpuset cpuset.cpus
	ok "$K: move itself to the root cgroup: $W" expect "refused: $W" "$T" open-write "$CG2/cgroup.procs"
	# The tenant's netns gets a fresh sysfs mounted read-only (issue 11):
	# there EROFS comes before the permission check even for a non-root uid.
	ok "$K: write nr_hugepages: EROFS or $W" expect_one "refused: EROFS" "refused: $W" "$T" \
		open-write /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
	ok "$K: write kernel.core_pattern: $W" expect "refused: $W" "$T" open-write /proc/sys/kernel/core_pattern
	ok "$K: create a file in /etc: EROFS" expect "refused: EROFS" "$T" create /etc
	ok "$K: create a file in /tmp: EROFS" expect "refused: EROFS" "$T" create /tmp
	ok "$K: create a file in /dev/shm: EROFS" expect "refused: EROFS" "$T" create /dev/shm
	ok "$K: its own runtime dir stays writable" expect DONE "$T" create "$ROOT/$T"
	ok "$K: its own hugetlbfs stays writable" expect DONE "$T" create "$ROOT/hugepages/$T"
	ok "$K: see the ledger: ENOENT" expect "refused: ENOENT" "$T" stat "$LEDGER"
	ok "$K: forge a lease in it: ENOENT" expect "refused: ENOENT" "$T" create "$LEDGER"
	ok "$K: see the victim's runtime dir: ENOENT" expect "refused: ENOENT" "$T" stat "$ROOT/$V"
	ok "$K: see the victim's hugetlbfs: ENOENT" expect "refused: ENOENT" "$T" stat "$ROOT/hugepages/$V"
	ok "$K: the runtime root shows only its own dirs" lists_only "$T" "$ROOT" "$T hugepages"
	ok "$K: its mount table names no other tenant" mounts_only_own "$T"
	ok "$K: signal the victim's testpmd: EPERM" expect "refused: EPERM" "$T" kill "$VPID"
	ok "$K: unmount its view: EPERM" expect "refused: EPERM" "$T" umount "$ROOT"
	ok "$K: remount / read-write: EPERM" expect "refused: EPERM" "$T" remount-rw
done
ok "no user: read /etc/shadow: EACCES" expect "refused: EACCES" "$A" read /etc/shadow
ok "no user: signal a root process of the host: EPERM" expect "refused: EPERM" "$A" kill "$HOSTPID"
# What `user: root` still allows (README): uid 0 owns root's files and
# processes; only the read-only view and the missing capabilities hold it.
caps_are() { # caps_are TENANT "CapEff" "Securebits"
	local out
	out=$(atk "$1" caps)
	echo "$out"
	grep -qE "^CapEff:\s+$2$" <<<"$out" && grep -qE "^Securebits:\s+$3$" <<<"$out"
}
ok "no user: no capability, no securebits needed (not uid 0)" caps_are "$A" 0000000000000000 0x0
ok "user root: no capability, and NOROOT + NO_SETUID_FIXUP locked (0xf): no exec or setuid gives any back" \
	caps_are "$R" 0000000000000000 0xf
ok "user root STILL reads /etc/shadow (uid 0 owns it)" expect DONE "$R" read /etc/shadow
ok "user root STILL signals a root process of the host (signal 0 here)" expect DONE "$R" kill "$HOSTPID"

KEY=$(printf '0x%08x' $((0x7e000000 + $$)))
atk "$A" shm "$KEY" 4 >"$T_TMP/shm.out" 2>&1 &
SHMJOB=$!
wait_for 10 grep -q DONE "$T_TMP/shm.out"
no_host_key() { ! ipcs -m | grep -qi "$KEY"; }
ok "a member's SysV shm (key $KEY) stays in its own IPC namespace: the host sees none" no_host_key
wait "$SHMJOB"

# --- the group record ----------------------------------------------------------

echo "-- a primary rewrites what used to be the group manifest"
"$SHIM" --config "$CONF" --tenant "$G" --role primary -- "$ATK" fake-primary "$G" 60 \
	"$ROOT/$G/tenantrt-manifest" version=1 "device=--vdev=net_af_packet0,iface=lo" \
	"huge_dir=$ROOT/hugepages/$G" >"$T_TMP/g.out" 2>&1 &
GSHIM=$!
on_exit "kill_wait $GSHIM"
wait_for 10 grep -q '^rewrite ' "$T_TMP/g.out"
ok "the primary's app rewrote the old manifest file in its own runtime dir" grep -q ': DONE$' "$T_TMP/g.out"
sec_g() { # the secondary's output (its NIC variable unset), its exit status last
	env -u "$NICVAR" "$SHIM" --config "$CONF" --tenant "$G" --role secondary -- "$ATK" caps 2>&1
	echo "exit $?"
}
adopts_recorded() {
	local out eff
	out=$(sec_g)
	echo "$out"
	eff=$(sed -n 's/^CapEff:\s*//p' <<<"$out")
	grep -qF "using the primary's devices ($FAKEBDF)" <<<"$out" && ! grep -q af_packet <<<"$out" &&
		[ -n "$eff" ] && [ $((0x$eff & 0x3000)) -eq 0 ] && grep -qx 'exit 0' <<<"$out"
}
ok "the next secondary takes the devices root recorded ($FAKEBDF), not the forged af_packet: no NET_RAW/NET_ADMIN" \
	adopts_recorded
cp "$LEDGER/$G.group" "$T_TMP/g.group"
sed -i 's/^device=.*/device=--vdev=net_af_packet0,iface=lo/' "$LEDGER/$G.group"
refuses_forged() {
	local out
	out=$(sec_g)
	echo "$out"
	grep -qx 'exit 69' <<<"$out" &&
		grep -qF 'the group record names device "net_af_packet0,iface=lo", which tenants.yaml does not give this tenant' <<<"$out"
}
ok "a record naming a device the tenant's YAML does not give: refused (69), even in root's ledger" refuses_forged
cp "$T_TMP/g.group" "$LEDGER/$G.group"
kill_wait "$GSHIM"
ok "the group record goes with the tenant" test ! -e "$LEDGER/$G.group"

# --- shared space --------------------------------------------------------------

echo "-- filling the runtime root, flooding inodes"
"$SHIM" --config "$CONF" --tenant "$A" --role primary -- "$ATK" fill-primary "$A" 60 >"$T_TMP/fill.out" 2>&1 &
FSHIM=$!
on_exit "kill_wait $FSHIM"
wait_for 20 grep -q '^pid ' "$T_TMP/fill.out"
filled() {
	local kb
	kb=$(sed -n 's/^wrote \([0-9]*\) kB$/\1/p' "$T_TMP/fill.out")
	cat "$T_TMP/fill.out"
	grep -qx 'refused: ENOSPC' "$T_TMP/fill.out" && [ -n "$kb" ] && [ "$kb" -le 16384 ]
}
ok "no user: fill its runtime dir: ENOSPC at its own tmpfs's 16 MiB" filled
ok "the runtime root itself is not writable to a tenant: EROFS" expect "refused: EROFS" "$R" create "$ROOT"
ok "another tenant still admits and runs while A's dir is full" expect DONE "$R" caps
ok "A's next member is refused before it would die of SIGBUS (69, says why)" \
	shim_says 69 'a DPDK member needs about 2048 kB there (it would die of SIGBUS)' \
	"$A" --role secondary -- "$ATK" caps
kill_wait "$FSHIM"
ok "a member that dies of SIGBUS: exit 135 and one line saying what it means" \
	shim_says 135 'the app died of SIGBUS (exit 135)' "$R" -- "$ATK" sigbus
flooded() { # flooded DIR MAX: ENOSPC after at most MAX files
	local out n
	out=$(atk "$A" inodes "$1" 100000)
	echo "$out"
	n=$(sed -n 's/^created //p' <<<"$out")
	[ "$(head -1 <<<"$out")" = 'refused: ENOSPC' ] && [ -n "$n" ] && [ "$n" -le "$2" ]
}
ok "no user: flood its runtime dir's inodes: ENOSPC within 1024" flooded "$ROOT/$A" 1024
ok "no user: flood its hugetlbfs's inodes: ENOSPC at its quota + 8 (4 pages: 12)" \
	flooded "$ROOT/hugepages/$A" 12

# A hugetlbfs provided from outside without size= or nr_inodes= (as a
# Kubernetes emptyDir may be): admission counts its pages by walking it,
# under the ledger lock. 100,000 empty files there must not slow others.
mkdir -p "$ROOT/hugepages/$F"
mount -t hugetlbfs -o pagesize=2M,mode=0700 nodev "$ROOT/hugepages/$F"
on_exit "umount -l $ROOT/hugepages/$F; rmdir $ROOT/hugepages/$F"
admit_us() {
	TENANTRT_SHIM_TIMING=1 "$SHIM" --config "$CONF" --tenant "$R" -- "$ATK" caps 2>&1 |
		sed -n 's/.* admit \([0-9]*\) .*/\1/p'
}
"$SHIM" --config "$CONF" --tenant "$F" -- "$ATK" sleep 120 >"$T_TMP/f.out" 2>&1 &
FLSHIM=$!
on_exit "kill_wait $FLSHIM"
wait_for 10 grep -q '^pid ' "$T_TMP/f.out"
T0=$(admit_us)
python3 -c "
import os
d = '$ROOT/hugepages/$F'
for i in range(100000):
    os.close(os.open(d + '/flood.%d' % i, os.O_CREAT | os.O_WRONLY, 0o600))"
T1=$(admit_us)
echo "   admission of another tenant: ${T0} us before, ${T1} us with 100,000 files in $F's hugetlbfs"
# (Measured: 0.4 ms then 117 ms before the walk was bounded; 0.4 then 0.5 ms after.)
ok "100,000 empty files in a tenant's hugetlbfs: another's admission stays under 20 ms (${T1} us)" \
	test -n "$T1" -a "${T1:-0}" -lt 20000
kill_wait "$FLSHIM"
find "$ROOT/hugepages/$F" -name 'flood.*' -delete

# --- status, paths and names, the ELF parser ----------------------------------------

echo "-- status against a FIFO, hostile paths and names, a crafted app"
"$SHIM" --config "$CONF" --tenant "$A" -- "$ATK" fake-primary "$A" 60 /dev/null >"$T_TMP/fifo.out" 2>&1 &
FIFOSHIM=$!
on_exit "kill_wait $FIFOSHIM"
wait_for 10 grep -q '^rewrite ' "$T_TMP/fifo.out"
# As its app could (the host path is the same tmpfs): a FIFO where status
# reads member 0's counters.
mkdir -p "$ROOT/$A/tenantrt" && mkfifo "$ROOT/$A/tenantrt/member-0"
chown -R "$(stat -c %u "$ROOT/$A")" "$ROOT/$A/tenantrt"
ok "a FIFO planted as a member's stats file does not hang status" \
	timeout 10 "$CLI" status --config "$CONF"
kill_wait "$FIFOSHIM"

refused65() { # refused65 "message part" CONFIG
	local out rc
	out=$("$CLI" validate --config "$2" 2>&1)
	rc=$?
	echo "$out"
	[ "$rc" = 65 ] && grep -qF -- "$1" <<<"$out"
}
bad() { # bad NAME SED-SCRIPT: the config changed, its path printed
	sed -e "$2" "$CONF" >"$T_TMP/$1.yaml"
	echo "$T_TMP/$1.yaml"
}
ok "runtimeRoot /etc: refused (65)" \
	refused65 'runtimeRoot "/etc" is a system directory' "$(bad etc "s#runtimeRoot: .*#runtimeRoot: /etc#")"
ok "a non-canonical runtimeRoot: refused (65)" \
	refused65 'is not canonical' "$(bad canon "s#runtimeRoot: .*#runtimeRoot: $ROOT/../root/#")"
ok "a hugepageDir inside a tenant's runtime dir: refused (65)" \
	refused65 "is inside tenant \"$V\"'s runtime dir" \
	"$(bad inside "s#^  runtimeRoot: .*#&\n  hugepageDir: $ROOT/$V/huge#")"
ok "a tenant named hugepages: refused (65)" \
	refused65 'tenant "hugepages": name is reserved' "$(bad name "s#name: $F#name: hugepages#")"
ok "SYS_ADMIN kept by a tenant: refused (65)" \
	refused65 'security.capabilities SYS_ADMIN is never kept' \
	"$(bad sysadmin "s#^    user: root#&\n    security: {capabilities: [SYS_ADMIN]}#")"
root_warned_once() {
	local out
	out=$("$CLI" validate --config "$CONF" 2>&1)
	echo "$out"
	[ "$(grep -cE "^$CONF:[0-9]+:[0-9]+: warning: tenant \"$R\": user \"root\" runs its app as host uid 0" <<<"$out")" = 1 ]
}
ok "user: root: one positioned warning" root_warned_once
"$ATK" make-elf "$T_TMP/evil" >/dev/null
survives_elf() { # the shim reads the app's notes before admission: it must get past them
	"$CLI" plan --config "$CONF" --tenant "$R" -- "$T_TMP/evil" >/dev/null || return 1
	local out
	out=$("$SHIM" --config "$CONF" --tenant "$R" -- "$T_TMP/evil" 2>&1)
	echo "$out (exit $?: the app's own, it does not run)"
	grep -qF "tenant \"$R\": removed runtime dir" <<<"$out"
}
ok "a 2 GiB sparse app whose build-id note size wraps in 32 bits: plan and shim go on" survives_elf

# --- the victim after all of it ---------------------------------------------------------

echo "-- the victim after the attacks"
sleep 1.5
ok "its testpmd still runs (pid $VPID)" kill -0 "$VPID"
ok "its RX counter kept rising ($V_RX0 -> $(v_rx))" test "$(v_rx)" -gt "$V_RX0"
same_state() { diff <(echo "$V_STATE0") <(v_state); }
ok "its hugepage files, cgroup limit, lease, uid and group records, dirs; core_pattern, nr_hugepages, /etc: unchanged" \
	same_state
kill_wait "$VSHIM"
released() {
	grep -qx 'state=released' "$LEDGER/$V.uid" && [ ! -e "$ROOT/$V" ] &&
		! mountpoint -q "$ROOT/hugepages/$V"
}
ok "its uid is handed back when it is reclaimed (record released), its mounts gone" released

suite_end
