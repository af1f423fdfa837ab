#!/usr/bin/env bash
# The data path for real (root): tenantrt-fwd groups on virtual NICs in a
# network namespace this suite creates — veth pairs under net_af_packet
# (distribute; the primary does all port I/O) and net_tap (symmetric, link
# changes by interrupt). trpkt sends exactly N frames into one side and
# counts what comes out of the other.
source "$(dirname "$0")/lib.sh"
suite_begin "$1"

if [ "$(id -u)" -ne 0 ]; then
	echo "  skip  suite_datapath needs root (namespaces, hugetlbfs)"
	suite_end
	exit $?
fi

FWD=$T_BUILD/tenantrt-fwd
PKT=$T_BUILD/tests/tools/trpkt
NS=trdp$$
HUGE=$T_TMP/huge
RUN=$T_TMP/run
PIDS=()

mkdir -p "$HUGE" "$RUN"
mount -t hugetlbfs -o pagesize=2M,size=512M nodev "$HUGE"
on_exit "umount $HUGE"
# TENANTRT_KEEP_LOGS=DIR keeps the apps' logs for a post-mortem.
on_exit '[ -n "${TENANTRT_KEEP_LOGS:-}" ] && mkdir -p "$TENANTRT_KEEP_LOGS" && cp "$T_TMP"/*.log "$TENANTRT_KEEP_LOGS"/'
on_exit "rm -f $HUGE/*"
ip netns add "$NS"
on_exit "ip netns del $NS"
nsx() { ip netns exec "$NS" "$@"; }
for i in 0 1; do
	nsx ip link add a$i type veth peer name b$i
	for d in a$i b$i; do
		nsx sysctl -qw net.ipv6.conf.$d.disable_ipv6=1
		nsx ip link set $d up
	done
done
on_exit 'for p in "${PIDS[@]}"; do kill_wait $p; done'

# start NAME MEMBER MEMBERS DATAPATH EAL... : a tenantrt-fwd in the netns,
# logging to $T_TMP/NAME.log; its pid goes to PIDS and $LAST. One lcore,
# unless LCORES gives its --lcores; FWDARGS adds app options.
start() {
	local name=$1 member=$2 members=$3 dp=$4
	shift 4
	local role=primary extra=(-m 96)
	[ "$member" -gt 0 ] && role=secondary extra=()
	# ip netns exec and env exec: $! is the app's own pid.
	ip netns exec "$NS" env RUNTIME_DIRECTORY="$RUN" TENANTRT_TENANT="$T" \
		TENANTRT_ROLE=$role TENANTRT_MEMBER="$member" \
		TENANTRT_MEMBERS="$members" TENANTRT_DATAPATH="$dp" \
		"$FWD" --lcores="${LCORES:-$member@$((member % 2))}" --proc-type=$role \
		--file-prefix="$T" --huge-dir="$HUGE" --no-pci "${extra[@]}" "$@" \
		-- --stats 1 --adaptive ${FWDARGS:-} >"$T_TMP/$T.$name.log" 2>&1 &
	LAST=$!
	PIDS+=("$LAST")
}

stat_of() { awk -v k="$2" '$1 == k {print $2}' "$RUN/tenantrt/$1" 2>/dev/null; }
is_active() { [ "$(stat_of "member-$1" state)" = active ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }

# Pages still mapped by a live process stay used after their files go;
# an empty mount means the group really gave every page back (this holds
# however other suites on the host move HugePages_Free meanwhile).
huge_empty() { [ "$(stat -f -c '%b %f' "$HUGE" | awk '{print $1 - $2}')" = 0 ]; }

stop_all() {
	local p
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill_wait "${PIDS[$i]}"; done
	PIDS=()
	rm -f "$HUGE"/* ; rm -rf "$RUN"/*
	ok "group $T stopped: every hugepage of its mount is free again" wait_for 5 huge_empty
}

# send_count IN OUT N FLOWS PPS RUNID [affinity]: receiver on OUT, N frames
# into IN; prints "received K" and the flows line, and succeeds when K == N
# (and, with affinity, no flow came through two lcores or out of order).
send_count() {
	local in=$1 out=$2 n=$3 flows=$4 pps=$5 id=$6
	ip netns exec "$NS" "$PKT" recv "$out" "$n" 1500 "$id" ${7:-} >"$T_TMP/recv.$id" &
	local rp=$!
	wait_for 5 grep -q ready "$T_TMP/recv.$id"
	nsx "$PKT" send "$in" "$n" "$flows" "$pps" "$id" >/dev/null
	wait "$rp"
	local rc=$?
	cat "$T_TMP/recv.$id"
	return $rc
}

# mempool_baseline MIN: the group's idle mbufs in use into $base, checked:
# a number, at least MIN, below the pool's size (a baseline that is not a
# number would make every later "back to the baseline" comparison vacuous).
mempool_baseline() {
	base=$(stat_of group mempool_in_use)
	size=$(stat_of group mempool_size)
	[[ "$base" =~ ^[0-9]+$ && "$size" =~ ^[0-9]+$ ]] && [ "$base" -ge "$1" ] && [ "$base" -lt "$size" ] ||
		{ echo "mempool_in_use '$base', mempool_size '$size', want $1 <= in use < size"; return 1; }
}

processed() { stat_of "member-$1" processed; }
# every lcore of member $1 ($2 of them) has a non-zero count under key $3
lcores_busy() {
	local v
	v=$(stat_of "member-$1" "$3")
	[ "$(echo "$v" | tr ',' '\n' | grep -c '^[1-9]')" = "$2" ] ||
		{ echo "member $1 $3: '$v', want $2 lcores above 0"; return 1; }
}
# marks_are ID N: receiver ID saw frames with N distinct (member, lcore)
# marks (tenantrt-fwd --mark)
marks_are() {
	[ "$(awk '$1 == "flows" {print $8}' "$T_TMP/recv.$1")" = "$2" ] ||
		{ echo "want $2 marks:"; cat "$T_TMP/recv.$1"; return 1; }
}
has_processed() { [ "${2:-0}" -lt "$(processed "$1")" ] 2>/dev/null; }

# framecnt: a deeper kernel ring rides out the scheduling gaps of a busy shared host
AFP="--vdev=net_af_packet0,iface=a0,framecnt=4096 --vdev=net_af_packet1,iface=a1,framecnt=4096"
TAP="--vdev=net_tap0,iface=dtap0 --vdev=net_tap1,iface=dtap1"

echo "-- distribute on veth (net_af_packet): primary + 2 secondaries"
T=trdpd$$
start p 0 3 mode=distribute $AFP; P0=$LAST
ok "primary is up and writes its stats" wait_for 10 is_active 0
start s1 1 3 mode=distribute $AFP
start s2 2 3 mode=distribute $AFP; S2=$LAST
ok "both secondaries are admitted" wait_for 10 eval 'is_active 1 && is_active 2'

ok "5000 frames in a0's peer, exactly 5000 out of a1's peer" send_count b0 b1 5000 64 10000 11
ok "...and back the other way" send_count b1 b0 3000 64 10000 12
sleep 1.2
ok "every member handled a share of the 64 flows" \
	eval '[ "$(processed 1)" -gt 0 ] && [ "$(processed 2)" -gt 0 ]'
# net_af_packet allocates mbufs per received burst and pre-fills no RX
# ring: an idle group holds none.
mempool_baseline 0 >/dev/null
ok "idle group's mempool baseline, below the pool: in use $base of $size" mempool_baseline 0
ok "... and it is none at all (af_packet pre-fills no RX ring)" test "$base" -eq 0

# A stream, a SIGKILL mid-way, then the survivors must carry everything.
ip netns exec "$NS" "$PKT" send b0 30000 64 10000 13 >/dev/null &
SP=$!
sleep 1
before=$(processed 2)
kill -KILL "$S2"
ok "the primary finds the killed secondary and frees its slot" \
	wait_for 5 eval '[ ! -e "$RUN/tenantrt/member-2" ]'
wait "$SP"
ok "after the kill, the rest keep forwarding: 2000 of 2000" send_count b0 b1 2000 64 10000 14
sleep 1.5
ok "no mbuf lost with the killed member (in use back to $base)" \
	wait_for 5 eval '[ "$(stat_of group mempool_in_use)" = "$base" ]'

echo "-- a member joining mid-stream gets traffic"
ip netns exec "$NS" "$PKT" send b0 30000 64 10000 15 >/dev/null &
SP=$!
sleep 0.5
start s2b 2 3 mode=distribute $AFP
ok "the new member 2 is admitted" wait_for 10 is_active 2
ok "and handles packets while the stream runs" wait_for 5 has_processed 2
wait "$SP"
ok "3000 of 3000 with the new member in place" send_count b0 b1 3000 64 10000 16
stop_all

echo "-- distribute, every lcore: primary on 2 lcores shares RX (af_packet qpairs=2), 2 secondaries x 2 lcores drain a ring each (tx=ring)"
T=trdpm$$
AFP2="--vdev=net_af_packet0,iface=a0,framecnt=4096,qpairs=2 --vdev=net_af_packet1,iface=a1,framecnt=4096,qpairs=2"
export FWDARGS=--mark
LCORES=0@0,1@1 start p 0 3 mode=distribute $AFP2; P0=$LAST
ok "primary up, both its lcores run" wait_for 10 eval 'is_active 0 && grep -q "2 of 2 lcores run" "$T_TMP/$T.p.log"'
LCORES=2@0,3@1 start s1 1 3 mode=distribute $AFP2; S1=$LAST
LCORES=4@0,5@1 start s2 2 3 mode=distribute $AFP2; S2=$LAST
ok "both secondaries admitted, each running 2 lcores" wait_for 10 eval \
	'is_active 1 && is_active 2 && grep -q "2 of 2 lcores run" "$T_TMP/$T.s1.log" && grep -q "2 of 2 lcores run" "$T_TMP/$T.s2.log"'
ok "8000 frames of 64 flows in, exactly 8000 out; each flow through one lcore, in order" \
	send_count b0 b1 8000 64 10000 41 affinity
ok "...and the other way: 4000 of 4000, each flow through one lcore, in order" \
	send_count b1 b0 4000 64 10000 42 affinity
ok "the flows went through all 4 member lcores" marks_are 41 4
sleep 1.2
ok "both primary lcores received (RX shared)" lcores_busy 0 2 lcore_rx
ok "both lcores of member 1 handled flows" lcores_busy 1 2 lcore_processed
ok "both lcores of member 2 handled flows" lcores_busy 2 2 lcore_processed
mempool_baseline 0 >/dev/null
ok "idle group's mempool baseline: in use $base of $size" mempool_baseline 0
ip netns exec "$NS" "$PKT" send b0 30000 64 10000 43 >/dev/null &
SP=$!
sleep 1
kill -KILL "$S2"
ok "the primary finds the killed 2-lcore member and frees its slot" \
	wait_for 5 eval '[ ! -e "$RUN/tenantrt/member-2" ]'
wait "$SP"
ok "after the kill, member 1's lcores carry every flow: 3000 of 3000, in order" \
	send_count b0 b1 3000 64 10000 44 affinity
ok "...through both of its lcores only" marks_are 44 2
sleep 1.5
# tx=ring: the hand records of both lcores make the recovery exact.
ok "no mbuf lost with the killed 2-lcore member (in use back to $base)" \
	wait_for 5 eval '[ "$(stat_of group mempool_in_use)" = "$base" ]'
ip netns exec "$NS" "$PKT" send b0 30000 64 10000 45 >/dev/null &
SP=$!
sleep 0.5
LCORES=4@0,5@1 start s2b 2 3 mode=distribute $AFP2
ok "a 2-lcore member joins mid-stream and is admitted" wait_for 10 is_active 2
ok "...and both its lcores handle packets while the stream runs" wait_for 5 lcores_busy 2 2 lcore_processed
wait "$SP"
ok "4000 of 4000 with it in place, each flow through one lcore, in order" \
	send_count b0 b1 4000 64 10000 46 affinity
unset FWDARGS
stop_all

echo "-- link state reaches secondaries"
T=trdpl$$
nsx ip link set b0 up
start p 0 2 mode=distribute $AFP; PL=$LAST
ok "primary up" wait_for 10 is_active 0
start s1 1 2 mode=distribute $AFP; SL=$LAST
ok "secondary admitted" wait_for 10 is_active 1
nsx ip link set b0 down
ok "polled link (af_packet): port 0 down reaches the secondary" \
	wait_for 5 grep -q "trdpl$$/1: port 0 link down" "$T_TMP/$T.s1.log"
nsx ip link set b0 up
ok "...and port 0 up" wait_for 5 grep -q "trdpl$$/1: port 0 link up" "$T_TMP/$T.s1.log"
ok "group stats file shows both links up" \
	wait_for 3 eval '[ "$(grep -c "link up" "$RUN/tenantrt/group")" = 2 ]'
kill -TERM "$PL"
ok "primary stopped first: it exits 0 after its secondary left" eval 'wait $PL'
ok "...and the secondary leaves cleanly, exit 69, no crash" eval 'wait $SL; [ $? = 69 ]'
ok "...saying why, in one line" grep -qxF "tenantrt-fwd: trdpl$$/1: the primary stopped, is gone, or dropped this member; exiting" "$T_TMP/$T.s1.log"
stop_all

echo "-- adaptive, idle, on net_af_packet (no RX interrupts): it waits on its sockets"
# The lcore (the main thread, lcore 0) blocked in epoll_wait (232) or
# epoll_pwait (281) while idle: woken by the first frame in a socket's RX
# ring. With --adaptive=US it sleeps instead (nanosleep 35 or
# clock_nanosleep 230). One sample can catch it running: several tries.
blocked_in() { # PID SYSCALL-NUMBER...
	local s n
	for _ in $(seq 40); do
		s=$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)
		for n in "${@:2}"; do [ "$s" = "$n" ] && return 0; done
		sleep 0.05
	done
	echo "pid $1 last seen in syscall '$s', not $*"
	return 1
}
T=trdpw$$
start p 0 1 mode=distribute $AFP; PW=$LAST
ok "a primary alone on af_packet is up" wait_for 10 is_active 0
sleep 1
ok "idle, it waits in epoll on its sockets, not in a sleep" blocked_in "$PW" 232 281
ok "the first frames after the idle period wake it: 500 of 500 forwarded" \
	send_count b0 b1 500 8 10000 51
sleep 1
ok "...and 500 of 500 the other way, after another idle second" send_count b1 b0 500 8 10000 52
stop_all
T=trdpc$$
FWDARGS=--adaptive=100 start p 0 1 mode=distribute $AFP; PC=$LAST
ok "with --adaptive=100, up" wait_for 10 is_active 0
sleep 1
ok "idle, it sleeps (at most 100 us at a time) instead of waiting" blocked_in "$PC" 35 230
ok "and forwards: 500 of 500" send_count b0 b1 500 8 10000 53
stop_all

tap_ready() {
	nsx ip link show dtap1 >/dev/null 2>&1 || return 1
	for d in dtap0 dtap1; do
		nsx sysctl -qw net.ipv6.conf.$d.disable_ipv6=1
		nsx ip link set $d up
	done
}

echo "-- distribute on net_tap: members send on their own TX queue"
T=trdpo$$
start p 0 3 mode=distribute $TAP
ok "tap ports exist" wait_for 10 tap_ready
ok "primary up" wait_for 10 is_active 0
start s1 1 3 mode=distribute $TAP
start s2 2 3 mode=distribute $TAP; S2=$LAST
ok "both secondaries admitted" wait_for 10 eval 'is_active 1 && is_active 2'
ok "4000 frames into dtap0, exactly 4000 out of dtap1" send_count dtap0 dtap1 4000 64 10000 31
sleep 1.2
ok "the members sent them themselves (tx on their own queue)" eval \
	'[ "$(awk '"'"'$1=="port" && $2==1 {print $6}'"'"' "$RUN/tenantrt/member-1")" -gt 0 ]'
# net_tap fills each RX queue with mbufs at start: an idle group holds
# some, never the whole pool.
mempool_baseline 1 >/dev/null
ok "idle group's mempool baseline: in use $base of $size, more than none" mempool_baseline 1
ip netns exec "$NS" "$PKT" send dtap0 30000 64 10000 32 >/dev/null &
SP=$!
sleep 1
kill -KILL "$S2"
ok "the killed member is found" wait_for 5 eval '[ ! -e "$RUN/tenantrt/member-2" ]'
wait "$SP"
ok "the rest keep forwarding: 2000 of 2000" send_count dtap0 dtap1 2000 64 10000 33
sleep 1.5
# A member sending on its own queue can die inside rte_eth_tx_burst, when
# neither it nor the primary can tell which mbufs the PMD took: at most
# that one burst is lost (runtime/tr_shm.h). tx=ring is exact (above).
ok "mbufs in use back to the baseline $base, within one burst (32)" \
	wait_for 5 eval '[ "$(stat_of group mempool_in_use)" -le $((base + 32)) ]'
stop_all

echo "-- symmetric on net_tap: primary + 1 secondary, each its queue pair"
T=trdps$$
start p 0 2 mode=symmetric $TAP
ok "tap ports exist" wait_for 10 tap_ready
ok "primary up" wait_for 10 is_active 0
start s1 1 2 mode=symmetric $TAP; S1=$LAST
ok "secondary admitted" wait_for 10 is_active 1
ok "4000 frames into dtap0, exactly 4000 out of dtap1" send_count dtap0 dtap1 4000 64 10000 21
sleep 1.2
ok "both members received on their own queue" \
	eval '[ "$(processed 0)" -gt 0 ] && [ "$(processed 1)" -gt 0 ]'
nsx ip link set dtap0 down
ok "net_tap: port 0 down reaches the secondary" \
	wait_for 5 grep -q "trdps$$/1: port 0 link down" "$T_TMP/$T.s1.log"
nsx ip link set dtap0 up
ok "...and port 0 up" wait_for 5 grep -q "trdps$$/1: port 0 link up" "$T_TMP/$T.s1.log"
q0=$(processed 0)
kill -KILL "$S1"
ok "the primary finds the killed secondary" \
	wait_for 5 eval '[ ! -e "$RUN/tenantrt/member-1" ]'
ok "its queue pair is taken over: 3000 of 3000 still forwarded" send_count dtap0 dtap1 3000 64 10000 22
sleep 1.2
ok "...by the primary" eval '[ "$(processed 0)" -ge $((q0 + 3000)) ]'
stop_all

echo "-- distribute on net_tap, every lcore: a secondary on 2 lcores, each on its own TX queue (queues=4)"
# 22.11's net_tap takes at most 4 queue pairs in a group (runtime/ports.c):
# member 1 of 2 owns pairs 1 and 3, one per lcore.
T=trdpt$$
export FWDARGS=--mark
start p 0 2 mode=distribute,queues=4 $TAP
ok "tap ports exist" wait_for 10 tap_ready
ok "primary up" wait_for 10 is_active 0
LCORES=2@0,3@1 start s1 1 2 mode=distribute,queues=4 $TAP; S1=$LAST
ok "secondary admitted, both its lcores run" wait_for 10 eval \
	'is_active 1 && grep -q "2 of 2 lcores run" "$T_TMP/$T.s1.log"'
ok "6000 frames of 64 flows, exactly 6000 out; each flow through one lcore, in order" \
	send_count dtap0 dtap1 6000 64 10000 51 affinity
ok "the flows went through both member lcores" marks_are 51 2
sleep 1.2
ok "each lcore of the member sent on its own TX queue" lcores_busy 1 2 lcore_processed
ok "...and the member counts what it sent itself" eval \
	'[ "$(awk '"'"'$1=="port" && $2==1 {print $6}'"'"' "$RUN/tenantrt/member-1")" -ge 6000 ]'
mempool_baseline 1 >/dev/null
ok "idle group's mempool baseline: in use $base of $size" mempool_baseline 1
ip netns exec "$NS" "$PKT" send dtap0 30000 64 10000 52 >/dev/null &
SP=$!
sleep 1
kill -KILL "$S1"
ok "the killed 2-lcore member is found" wait_for 5 eval '[ ! -e "$RUN/tenantrt/member-1" ]'
wait "$SP"
ok "the primary alone carries on: 2000 of 2000, in order" \
	send_count dtap0 dtap1 2000 64 10000 53 affinity
sleep 1.5
# Killed inside rte_eth_tx_burst, each of its lcores may lose the burst in
# hand (runtime/tr_shm.h): at most 2 x 32.
ok "mbufs in use back to the baseline $base, within one burst per lcore (2 x 32)" \
	wait_for 5 eval '[ "$(stat_of group mempool_in_use)" -le $((base + 64)) ]'
unset FWDARGS
stop_all

echo "-- symmetric on net_tap, every lcore: primary and secondary on 2 lcores each, a queue pair per lcore"
T=trdpy$$
LCORES=0@0,1@1 start p 0 2 mode=symmetric $TAP
ok "tap ports exist" wait_for 10 tap_ready
ok "primary up, both lcores run" wait_for 10 eval 'is_active 0 && grep -q "2 of 2 lcores run" "$T_TMP/$T.p.log"'
LCORES=2@0,3@1 start s1 1 2 mode=symmetric $TAP; S1=$LAST
ok "secondary admitted, both lcores run" wait_for 10 eval 'is_active 1 && grep -q "2 of 2 lcores run" "$T_TMP/$T.s1.log"'
ok "8000 frames of 256 flows into dtap0, exactly 8000 out of dtap1" send_count dtap0 dtap1 8000 256 10000 61
sleep 1.2
ok "all 4 lcores received on their own queue pair" eval 'lcores_busy 0 2 lcore_rx && lcores_busy 1 2 lcore_rx'
q0=$(processed 0)
kill -KILL "$S1"
ok "the primary finds the killed 2-lcore secondary" \
	wait_for 5 eval '[ ! -e "$RUN/tenantrt/member-1" ]'
ok "both its queue pairs are taken over: 3000 of 3000 still forwarded" send_count dtap0 dtap1 3000 256 10000 62
sleep 1.2
ok "...by the primary" eval '[ "$(processed 0)" -ge $((q0 + 3000)) ]'
stop_all

echo "-- refusals"
T=trdpr$$
start r 0 2 mode=symmetric $AFP; R=$LAST
ok "symmetric on net_af_packet is refused (exit 78)" eval "wait $R; [ \$? = 78 ]"
ok "...saying why and what to do, in one line" grep -qxF \
	"tenantrt-fwd: tenant $T: port 0 uses net_af_packet, which cannot do I/O in a secondary process (DPDK 22.11): use datapath mode distribute, or net_tap/net_ring/net_null or a PCI NIC" \
	"$T_TMP/$T.r.log"
PIDS=()
# expect_refusal WANT LINE cmd...: exit WANT, stderr exactly LINE
expect_refusal() {
	local want=$1 line=$2 rc
	shift 2
	"$@" 2>"$T_TMP/refusal.err"
	rc=$?
	[ "$rc" -eq "$want" ] && [ "$(cat "$T_TMP/refusal.err")" = "$line" ] ||
		{ echo "exit $rc, want $want; stderr:"; cat "$T_TMP/refusal.err"; echo "want: $line"; return 1; }
}
ok "no TENANTRT_TENANT: exit 64 and the fix, in one line" expect_refusal 64 \
	"tenantrt-fwd: TENANTRT_TENANT is not set: run the app under tenantrt-shim or set TENANTRT_TENANT=<tenant>" \
	env -u TENANTRT_TENANT "$FWD" --no-pci -l 0 --file-prefix=trdpx$$ --huge-dir="$HUGE"
ok "bad TENANTRT_DATAPATH: exit 64, naming what it takes" expect_refusal 64 \
	"tenantrt-fwd: TENANTRT_DATAPATH=mode=fast: expected mode=distribute|symmetric,burst=1..512,ring=<power of two 64..65536>,queues=0..16,tx=auto|own|ring" \
	env TENANTRT_TENANT=x TENANTRT_DATAPATH=mode=fast "$FWD" --no-pci -l 0
stop_all
suite_end
