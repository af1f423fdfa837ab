#!/usr/bin/env bash
# Process attacks (issue 10, items 4 and 5), each through tenantrt-shim
# exactly as planned, each asserting the kernel's or the shim's refusal and
# that the victim is unchanged:
#
#   fork bomb          stops at the tenant's pids.max (fork: EAGAIN)
#   memory hog         OOM-killed inside the tenant's memory cgroup; the
#                      tenant's other member, the victim and the host run on
#   double fork        the sleeper left behind dies with its member, the
#                      cgroup goes, the ledger frees the exclusive cpu
#   inherited fd       a root-only file on the caller's fd 7: EBADF
#   TIOCSTI            into the caller's terminal: EPERM, nothing typed
#   LD_PRELOAD         in the caller's environment: not in the app's
#   two runtimeRoots   the same tenant name twice: two cgroups, both run
#
# The victim V runs dpdk-testpmd (net_null, io forwarding) on cpu 0 as its
# own uid; the attacker X runs tests/tools/attack_proc on cpu 1.
#
# Needs root, hugepages, cgroups (pids and memory, v1 or v2), 2 cpus,
# `script` (util-linux) for a terminal.
# usage: suite_attacks_proc.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
suite_begin "${1:-build}"

TOOLS=$T_BUILD/tests/tools
SHIM=$T_BUILD/tenantrt-shim
CLI=$T_BUILD/tenantrt
ATT=$TOOLS/attack_proc
for f in "$SHIM" "$CLI" "$ATT"; do
	[ -x "$f" ] || { echo "suite_attacks_proc: $f is missing; run 'make check'"; exit 1; }
done
if [ "$(nproc)" -lt 2 ]; then
	echo "suite_attacks_proc: needs 2 cpus (a tenant on each)"; exit 1
fi
command -v script >/dev/null || { echo "suite_attacks_proc: needs script(1) (util-linux)"; exit 1; }

# Unique names and uids: other suites run on this host at the same time.
V=apv$$
X=apx$$
Y=apy$$
VU=$((62000 + ($$ % 1000) * 3))
XU=$((VU + 1))
YU=$((VU + 2))
ROOT=$T_TMP/root
CONF=$T_TMP/tenants.yaml
PUB=$T_TMP/pub        # where the attacker's uid may leave a file
mkdir -p "$PUB" && chmod 1777 "$PUB"

cat >"$CONF" <<EOF
host:
  runtimeRoot: $ROOT
  hugepageSize: 2M
  cpus: "0-1"
tenants:
  - name: $V
    memory: {totalMb: 16, limitMb: 32}
    cpus: "0"
    nics: [net_null0]
    user: "$VU:$VU"
  - name: $X
    memory: {totalMb: 2}
    cpus: "1"
    user: "$XU:$XU"
    group: {maxSecondaries: 1, allowForeignBinaries: true}
    limits: {pids: 64, memoryMb: 64}
    env: {pass: [KEEPME]}
EOF
cgname() { "$CLI" plan --config "$1" --tenant "$2" | awk '$1 == "cgroup" {print $2}'; }
XG=$(cgname "$CONF" "$X")
VG=$(cgname "$CONF" "$V")
# Where a controller's groups are: v2 if it offers it, else its v1 tree.
ctrl_root() {
	local v2=/sys/fs/cgroup/unified
	[ -f /sys/fs/cgroup/cgroup.controllers ] && v2=/sys/fs/cgroup
	if grep -qw "$1" "$v2/cgroup.controllers" 2>/dev/null; then echo "$v2"; else echo "/sys/fs/cgroup/$1"; fi
}
PIDS_ROOT=$(ctrl_root pids)
MEM_ROOT=$(ctrl_root memory)
CG_DIRS() { ls -d /sys/fs/cgroup/*/"$1" /sys/fs/cgroup/"$1" 2>/dev/null; }
on_exit "$CLI reap --config $CONF"

# The victim: testpmd forwarding on net_null, stats each second.
"$SHIM" --config "$CONF" --tenant "$V" -- dpdk-testpmd --forward-mode=io \
	--auto-start --stats-period=1 --total-num-mbufs=2048 >"$T_TMP/v.out" 2>&1 &
VSHIM=$!
on_exit "kill_wait $VSHIM"
v_rx() { testpmd_rx "$T_TMP/v.out"; }
must_forward suite_attacks_proc "the victim's testpmd" "$T_TMP/v.out"
VPID=$(pgrep -P "$VSHIM" -x dpdk-testpmd)
v_pages() { find "$ROOT/hugepages/$V" -name "${V}map_*" | wc -l; }
V_PAGES0=$(v_pages)
# The victim keeps forwarding: its counters grow past what they were.
v_grows() {
	local before=$1
	wait_for 5 bash -c "[ \"\$(grep -oE 'RX-packets: +[0-9]+ +RX-missed' '$T_TMP/v.out' | tail -1 | awk '{print \$2}')\" -gt $before ]"
}
ok "the victim's member sits in its own cgroup leaf" grep -qx "0::/$VG/m0" "/proc/$VPID/cgroup"

# X through the shim; stderr apart (the shim's own notes).
asx() { "$SHIM" --config "$CONF" --tenant "$X" "$@" 2>>"$T_TMP/x.err"; }
expect_line() { # expect_line "exact line" command...
	local want=$1 out
	shift
	out=$("$@")
	echo "$out"
	grep -qxF -- "$want" <<<"$out"
}

echo "-- the plan shows the limits, the cgroup and the whole environment"
ok "pids 64 and memory 64 MiB for the tenant, its cgroup named after the runtimeRoot" \
	bash -c "'$CLI' plan --config '$CONF' --tenant $X | grep -qx '  pids            64 for the tenant (pids.max)' &&
		 '$CLI' plan --config '$CONF' --tenant $X | grep -qx '  memory          64 MiB for the tenant, hugepages aside (memory.max)' &&
		 [[ '$XG' =~ ^tenantrt/[0-9a-f]{8}-$X\$ ]]"

# Limits hold the app from its first instruction: its first act is to read
# where it sits, before anything could have moved it. Its
# member's leaf in the v2 hierarchy (0::, where the child is born with
# clone3 CLONE_INTO_CGROUP) and in every v1 hierarchy of a controller the
# tenant's limits use (there the child moved itself before exec).
in_leaf_at_exec() {
	local out leaf c line
	out=$(asx -- "$ATT" cgroup) || return 1
	echo "$out"
	leaf=$(sed -n 's/^0:://p' <<<"$out")
	[[ $leaf =~ ^/$XG/m[0-9]+$ ]] || return 1
	for c in hugetlb cpuset pids memory; do
		[ -f "$(ctrl_root $c)/tasks" ] || continue   # in v2 (0::) or absent
		line=$(grep -E "^[0-9]+:([^:]*,)?$c(,[^:]*)?:" <<<"$out") || return 1
		[ "${line#*:*:}" = "$leaf" ] || { echo "$c: ${line#*:*:}, not $leaf"; return 1; }
	done
}
ok "the app is in its member's leaf in every hierarchy at exec" in_leaf_at_exec

# --- fork bomb ---------------------------------------------------------------

echo "-- fork bomb (pids.max 64)"
RX=$(v_rx)
bomb_stopped() {
	local out n
	out=$(asx -- "$ATT" fork-bomb)
	echo "$out"
	n=$(sed -n 's/^fork-bomb: EAGAIN (Resource temporarily unavailable) after \([0-9]*\) processes$/\1/p' <<<"$out")
	[ -n "$n" ] && [ "$n" -lt 64 ] && [ "$n" -gt 32 ]
}
ok "fork: EAGAIN before 64 processes (the kernel's pids.max)" bomb_stopped
ok "... the victim keeps forwarding" v_grows "$RX"
ok "... and its cgroup is gone with it" bash -c "! ls -d /sys/fs/cgroup/*/$XG /sys/fs/cgroup/$XG 2>/dev/null | grep -q ."

# --- memory hog ---------------------------------------------------------------

echo "-- memory hog (memory 64 MiB), next to a member of its own tenant"
# A primary of X holds the tenant's cgroup (and DPDK's lock, so the hog
# can join as its secondary).
"$SHIM" --config "$CONF" --tenant "$X" --role primary -- "$ATT" hold-primary 120 \
	>"$T_TMP/xhold.out" 2>>"$T_TMP/x.err" &
XSHIM=$!
on_exit "kill_wait $XSHIM"
wait_for 10 grep -q '^hold-primary: pid' "$T_TMP/xhold.out"
XHOLD=$(sed -n 's/^hold-primary: pid //p' "$T_TMP/xhold.out")
# What the tenant's group saw. v2 counts OOM kills in its subtree
# (memory.events); v1 counts them in the dead member's own leaf only (gone
# with it) and keeps no failcnt on this kernel, but keeps the group's peak:
# up to the limit, never past it.
oom_kills() {
	if [ -f "$MEM_ROOT/$XG/memory.events" ]; then
		awk '$1 == "oom_kill" {print $2}' "$MEM_ROOT/$XG/memory.events"
	else
		awk -v min=$((60 << 20)) '{print ($1 > min) ? 1 : 0}' \
			"$MEM_ROOT/$XG/memory.max_usage_in_bytes"
	fi
}
peak_ok() {
	[ ! -f "$MEM_ROOT/$XG/memory.max_usage_in_bytes" ] ||
		[ "$(cat "$MEM_ROOT/$XG/memory.max_usage_in_bytes")" -le $((64 << 20)) ]
}
OOM0=$(oom_kills)
RX=$(v_rx)
hog_killed() {
	local out rc
	out=$(asx --role secondary -- "$ATT" memory-hog 1024)
	rc=$?
	echo "$out" | tail -3
	echo "exit $rc"
	[ "$rc" = 137 ] && ! grep -q '^memory-hog: ok' <<<"$out"
}
ok "the hog dies of SIGKILL (exit 137) before it has 1 GiB" hog_killed
ok "... by the kernel, at its tenant's memory limit (v2: oom_kill grew; v1: the peak reached it)" \
	test "$(oom_kills)" -gt "$OOM0"
ok "... which the group never went past (64 MiB)" peak_ok
ok "... its tenant's other member still runs" kill -0 "$XHOLD"
ok "... the victim keeps forwarding" v_grows "$RX"
kill_wait "$XSHIM"

# --- double fork --------------------------------------------------------------

echo "-- double fork: a sleeper left behind"
# The attacker's own runtime dir is the one place its member may write (the
# host is read-only in its mount namespace); it goes with the tenant, so
# the sleeper's pid is also read from the app's line.
ok "the app leaves a sleeper in a new session and exits 0" \
	bash -c "'$SHIM' --config '$CONF' --tenant $X -- '$ATT' double-fork 120 '$ROOT/$X/sleeper' 2>>'$T_TMP/x.err' | tee '$T_TMP/df.out' | grep -q '^double-fork: ok, sleeper pid [0-9]*$'"
SLEEPER=$(sed -n 's/^double-fork: ok, sleeper pid //p' "$T_TMP/df.out" 2>/dev/null)
gone() { ! kill -0 "$1" 2>/dev/null; }
ok "... the sleeper (pid $SLEEPER) did not outlive the shim" bash -c "[ -n '$SLEEPER' ] && ! kill -0 '$SLEEPER' 2>/dev/null"
ok "... the tenant's cgroups are removed" bash -c "! ls -d /sys/fs/cgroup/*/$XG /sys/fs/cgroup/$XG 2>/dev/null | grep -q ."
# Another config on the same runtimeRoot: only the ledger can say no.
YCONF=$T_TMP/y.yaml
cat >"$YCONF" <<EOF
host:
  runtimeRoot: $ROOT
  hugepageSize: 2M
  cpus: "0-1"
tenants:
  - name: $Y
    memory: {totalMb: 2}
    cpus: "1"
    user: "$YU:$YU"
EOF
ok "... and the ledger gives its exclusive cpu 1 to another tenant at once" \
	expect_line "session: sid" bash -c "'$SHIM' --config '$YCONF' --tenant $Y -- '$ATT' session 2>/dev/null | cut -d' ' -f1-2"
# The same escape with its shim killed -9 (no member's end): the sleeper
# outlives it, in the tenant's cgroup, until the next reclaim kills it.
"$SHIM" --config "$CONF" --tenant "$X" -- "$ATT" double-fork 120 "$ROOT/$X/sleeper2" stay \
	>/dev/null 2>>"$T_TMP/x.err" &
XS=$!
wait_for 10 test -s "$ROOT/$X/sleeper2"
SLEEPER2=$(cat "$ROOT/$X/sleeper2")
kill -KILL "$XS"
wait "$XS" 2>/dev/null
ok "a shim killed -9 leaves its sleeper (pid $SLEEPER2) running, in the tenant's cgroup" \
	bash -c "kill -0 $SLEEPER2 && grep -q ':/$XG/m0\$' /proc/$SLEEPER2/cgroup"
ok "... until 'tenantrt reap' kills it with the tenant's cgroup" \
	bash -c "'$CLI' reap --config '$CONF'; for i in \$(seq 50); do kill -0 $SLEEPER2 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
ok "... and removes the cgroup" bash -c "! ls -d /sys/fs/cgroup/*/$XG /sys/fs/cgroup/$XG 2>/dev/null | grep -q ."

# --- inherited fd ---------------------------------------------------------------

echo "-- an inherited descriptor (the caller's fd 7, a root-only file)"
SECRET=$T_TMP/secret
echo "root-only" >"$SECRET"
chmod 600 "$SECRET"
ok "control: a process that inherits fd 7 reads it" \
	expect_line 'read-fd: ok, read "root-only"' "$ATT" read-fd 7 7<"$SECRET"
ok "the app: EBADF on fd 7" \
	expect_line "read-fd: EBADF (Bad file descriptor)" asx -- "$ATT" read-fd 7 7<"$SECRET"
RCONF=$T_TMP/r.yaml
sed -e "/name: $X/,\$ s/^    user: .*/    user: \"0:0\"/" "$CONF" >"$RCONF"   # X as uid 0
ok "... also as uid 0: closed, not merely unreadable" \
	expect_line "read-fd: EBADF (Bad file descriptor)" \
	bash -c "'$SHIM' --config '$RCONF' --tenant $X -- '$ATT' read-fd 7 7<'$SECRET' 2>/dev/null"

# --- TIOCSTI ------------------------------------------------------------------

echo "-- TIOCSTI into the caller's terminal (under script: a pty)"
in_pty() { script -qec "$*" /dev/null </dev/null | tr -d '\r'; }
if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ]; then
	ok "control: a process in the caller's session types into its terminal" \
		bash -c "out=\$(script -qec '$ATT tiocsti 0' /dev/null </dev/null | tr -d '\r'); echo \"\$out\";
			 grep -qx 'tiocsti: ok, INJECTED' <<<\"\$out\" && grep -qx 'queued: 2' <<<\"\$out\""
fi
tiocsti_refused() { # CONFIG
	local out
	out=$(in_pty "'$SHIM' --config '$1' --tenant $X -- '$ATT' tiocsti 0 2>/dev/null")
	echo "$out"
	grep -qx 'tiocsti: EPERM (Operation not permitted)' <<<"$out" &&
		grep -qx 'tiocsti-hi: EPERM (Operation not permitted)' <<<"$out" &&
		grep -qx 'queued: 0' <<<"$out"
}
ok "the app: EPERM for TIOCSTI, also with bit 32 of cmd set; nothing typed" tiocsti_refused "$CONF"
UCONF=$T_TMP/u.yaml
sed -e "/name: $X/,\$ s/^    env: .*/&\n    security: {seccomp: unconfined}/" "$CONF" >"$UCONF"
ok "... without seccomp too: setsid() left it no controlling terminal" tiocsti_refused "$UCONF"
ok "... the app has a session of its own and no terminal" \
	bash -c "script -qec '$SHIM --config $CONF --tenant $X -- $ATT session 2>/dev/null' /dev/null </dev/null | tr -d '\r' |
		 grep -qE '^session: sid ([0-9]+) pid \1 tty none$'"

# --- the environment ----------------------------------------------------------

echo "-- the caller's environment"
ok "LD_PRELOAD in the caller's environment does not reach the app" \
	expect_line "env LD_PRELOAD: <unset>" env LD_PRELOAD=/nonexistent/evil.so "$SHIM" --config "$CONF" --tenant "$X" -- "$ATT" env LD_PRELOAD
ok "nor LD_LIBRARY_PATH, nor the caller's PATH" \
	bash -c "env LD_LIBRARY_PATH=/tmp/evil PATH=/tmp/evil:\$PATH '$SHIM' --config '$CONF' --tenant $X -- '$ATT' env LD_LIBRARY_PATH 2>/dev/null | grep -qx 'env LD_LIBRARY_PATH: <unset>' &&
		 env PATH=/tmp/evil:\$PATH '$SHIM' --config '$CONF' --tenant $X -- '$ATT' env PATH 2>/dev/null | grep -qx 'env PATH: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'"
ok "what env.pass names does (KEEPME)" \
	expect_line "env KEEPME: yes" env KEEPME=yes "$SHIM" --config "$CONF" --tenant "$X" -- "$ATT" env KEEPME
LCONF=$T_TMP/l.yaml
sed -e "s/env: {pass: \[KEEPME\]}/env: {pass: [LD_PRELOAD]}/" "$CONF" >"$LCONF"
ok "control: env.pass LD_PRELOAD is warned about, and then it does pass" \
	bash -c "out=\$(env LD_PRELOAD= '$SHIM' --config '$LCONF' --tenant $X -- '$ATT' env LD_PRELOAD 2>&1); echo \"\$out\";
		 grep -q 'warning: tenant \"$X\": env.pass LD_PRELOAD lets whoever starts the shim choose' <<<\"\$out\" &&
		 grep -qx 'env LD_PRELOAD: ' <<<\"\$out\""

# --- two runtimeRoots, one tenant name ------------------------------------------

echo "-- the same tenant name under two runtimeRoots, side by side"
T2=apt$$
twin_conf() { # twin_conf N: a config of its own runtimeRoot
	cat >"$T_TMP/twin$1.yaml" <<EOF
host:
  runtimeRoot: $T_TMP/twin$1
  hugepageSize: 2M
  cpus: "0-1"
tenants:
  - name: $T2
    memory: {totalMb: 16, limitMb: 32}
    cpus: "1"
    cpuPolicy: shared
    nics: [net_null0]
    user: "$YU:$YU"
EOF
	echo "$T_TMP/twin$1.yaml"
}
C0=$(twin_conf 0)
C1=$(twin_conf 1)
G0=$(cgname "$C0" "$T2")
G1=$(cgname "$C1" "$T2")
ok "two cgroup names ($G0, $G1)" test -n "$G0" -a -n "$G1" -a "$G0" != "$G1"
for i in 0 1; do
	"$SHIM" --config "$T_TMP/twin$i.yaml" --tenant "$T2" -- dpdk-testpmd --forward-mode=io \
		--auto-start --stats-period=1 --total-num-mbufs=2048 >"$T_TMP/twin$i.out" 2>&1 &
	eval "TS$i=\$!"
	on_exit "kill_wait $!"
done
twin_forwards() { grep -qE 'RX-packets: +[1-9]' "$T_TMP/twin$1.out"; }
ok "both primaries start and forward (no \"Cannot init memory\")" \
	bash -c "for i in \$(seq 200); do grep -qE 'RX-packets: +[1-9]' '$T_TMP/twin0.out' && grep -qE 'RX-packets: +[1-9]' '$T_TMP/twin1.out' && exit 0; sleep 0.1; done;
		 tail -n 5 '$T_TMP/twin0.out' '$T_TMP/twin1.out'; exit 1"
TP0=$(pgrep -P "$TS0" -x dpdk-testpmd)
TP1=$(pgrep -P "$TS1" -x dpdk-testpmd)
ok "... each in its own group" \
	bash -c "grep -qx '0::/$G0/m0' /proc/$TP0/cgroup && grep -qx '0::/$G1/m0' /proc/$TP1/cgroup"
HUGE_ROOT=$(ctrl_root hugetlb)
in_quota() { local b; b=$(cat "$HUGE_ROOT/$1/hugetlb.2MB.current"); echo "$1: $b"; [ "$b" -gt 0 ] && [ "$b" -le $((32 << 20)) ]; }
ok "... each charged its own hugepages, within its own 32 MiB" bash -c "$(declare -f in_quota); HUGE_ROOT=$HUGE_ROOT; in_quota $G0 && in_quota $G1"
kill_wait "$TS0"
kill_wait "$TS1"
ok "... and both groups go with them" \
	bash -c "! ls -d /sys/fs/cgroup/*/$G0 /sys/fs/cgroup/*/$G1 /sys/fs/cgroup/$G0 /sys/fs/cgroup/$G1 2>/dev/null | grep -q ."

# --- the victim after all of it --------------------------------------------------

echo "-- the victim after the attacks"
ok "its testpmd still runs" kill -0 "$VPID"
ok "its counters still grow" v_grows "$(v_rx)"
ok "its hugepage files unchanged ($V_PAGES0)" test "$(v_pages)" = "$V_PAGES0"
ok "its pids limit untouched (256, the default)" test "$(cat "$PIDS_ROOT/$VG/pids.max")" = 256
kill_wait "$VSHIM"
ok "its cgroups removed with its last member" bash -c "! ls -d /sys/fs/cgroup/*/$VG /sys/fs/cgroup/$VG 2>/dev/null | grep -q ."

suite_end
