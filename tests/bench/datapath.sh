#!/usr/bin/env bash
# `make bench` part: tenantrt's data path against DPDK's own apps doing the
# same job (issue 12's table), on a net_null pair (root: hugetlbfs mounts,
# a network namespace for the wake-up latency).
#
# Rows, each a ratio ours / anchor with its goal and verdict:
#   A  one lcore, MAC rewrite            vs testpmd --forward-mode=macswap
#   B  symmetric, 2 processes, rewrite   vs testpmd --num-procs=2 macswap
#   B' symmetric, 2 processes, no touch  vs symmetric_mp (dpdk-doc)
#   C  distribute, no data touch, flow affinity kept
#                                        vs client_server_mp (dpdk-doc)
#   D  scaling: 2 lcores / 1 lcore, one process (testpmd's beside it)
#   E  adaptive polling: idle CPU and first-packet latency after idle
#      gaps with frames injected on veths (net_af_packet: waiting on its
#      sockets, and capped 100 us sleeps) and on net_tap (RX interrupts),
#      against busy polling
# Method: every round runs each anchor, then ours, then the anchor again;
# a round's ratio is ours over the mean of the two anchor runs (the host
# drifts); the verdict is on the median of ROUNDS rounds. A rate is the TX
# packets/s of both ports from the ports' counters over WINDOW_MS
# (tests/tools/trstat, a passive secondary). Beside every round that spans
# two cpus: the ring probe (tests/tools/trring: an SP/SC rte_ring moving
# bursts of 32 pointers cpu 0 -> cpu 1; these VMs switch between a slow
# mode, ~100-350 M/s, and a fast one, ~1200 M/s, minutes apart) and the
# share of the two cpus taken by other work during the window.
#   TENANTRT_BENCH_ROUNDS (5)  TENANTRT_BENCH_WINDOW_MS (2000)
#   TENANTRT_BENCH_ONLY="A C": run only those rows
set -uo pipefail
build=$(cd "${1:-build}" && pwd)
FWD=$build/tenantrt-fwd
STAT=$build/tests/tools/trstat
RING=$build/tests/tools/trring
PKT=$build/tests/tools/trpkt
SAMPLES=$build/samples
ROUNDS=${TENANTRT_BENCH_ROUNDS:-5}
WIN=${TENANTRT_BENCH_WINDOW_MS:-2000}
WARM=1.5
ONLY=${TENANTRT_BENCH_ONLY:-A B C D E}
want() { [[ " $ONLY " == *" $1 "* ]]; }

for x in "$FWD" "$STAT" "$RING" "$PKT"; do
	[ -x "$x" ] || { echo "bench: $x is missing: run 'make bench'" >&2; exit 69; }
done
command -v dpdk-testpmd >/dev/null || { echo "bench: dpdk-testpmd missing: apt-get install dpdk" >&2; exit 69; }
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (hugetlbfs mount, netns)" >&2; exit 77; }
have_samples=1
for s in mp_server mp_client symmetric_mp; do
	[ -x "$SAMPLES/$s" ] || have_samples=0
done
[ "$have_samples" = 1 ] || echo "bench: no DPDK samples in $SAMPLES (tests/samples/build.sh $build): rows B' and C are skipped"

tmp=$(mktemp -d /tmp/tenantrt-bench.XXXXXX)
PIDS=()
NS=
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
	rm -f "$tmp"/huge/*
	umount "$tmp/huge" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/huge" "$tmp/run"
mount -t hugetlbfs -o pagesize=2M,size=1G nodev "$tmp/huge"
export RUNTIME_DIRECTORY=$tmp/run

n=0
eal() { echo "--no-pci --file-prefix=$1 --huge-dir=$tmp/huge --log-level=lib.eal:error --vdev=net_null0 --vdev=net_null1"; }
# meter PREFIX: TX packets/s of every port over the window
meter() { "$STAT" --lcores=7@0 --proc-type=secondary $(eal "$1") -- "$WIN" 2>/dev/null | awk '{print $6}'; }
# stop PID...: INT (testpmd, mp_server flush and close), TERM (mp_client
# has no INT handler; a background job may have INT ignored), then KILL.
stop() {
	local p sig
	for sig in INT TERM; do
		for p in "$@"; do kill -$sig "$p" 2>/dev/null; done
		for p in "$@"; do
			for _ in $(seq 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		done
	done
	for p in "$@"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	PIDS=()
	rm -f "$tmp"/huge/*
	rm -rf "$tmp"/run/*
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mpps() { awk -v x="$1" 'BEGIN {printf "%.1f", x/1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "nan"}'; }
mean2() { awk -v x="$1" -v y="$2" 'BEGIN {print (x + y) / 2}'; }
# fwd_env ROLE MEMBER MEMBERS DATAPATH: the environment the shim would give
fwd_env() { echo "TENANTRT_TENANT=bench TENANTRT_ROLE=$1 TENANTRT_MEMBER=$2 TENANTRT_MEMBERS=$3 TENANTRT_DATAPATH=$4"; }
# others%: the share of cpus 0-1 used by anything but our processes
mine() {
	local s=0 p
	for p in "${PIDS[@]}"; do
		s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo $s
}
snap() { echo "$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat) $(mine) $(date +%s%N)"; }
others_pct() {
	set -- $1 $2
	awk -v b=$(($4 - $1)) -v m=$(($5 - $2)) -v ns=$(($6 - $3)) -v n="$(nproc)" -v hz="$(getconf CLK_TCK)" \
		'BEGIN {v = 100 * (b - m) / hz / (n * ns / 1e9); printf "%.0f", v < 0 ? 0 : v}'
}
# measure PREFIX: warm up, then R = rate, O = others% during the window
R=0
O=0
measure() {
	local s0 s1
	sleep "$WARM"
	s0=$(snap)
	R=$(meter "$1")
	s1=$(snap)
	O=$(others_pct "$s0" "$s1")
	[ -n "$R" ] || R=0
}
# probe: the ring probe's M pointers/s and mode, into P
P=
probe() {
	local r
	n=$((n + 1))
	r=$("$RING" --lcores=0@0,1@1 --no-pci --file-prefix=trg$n --huge-dir="$tmp/huge" -m 16 \
		--log-level=lib.eal:error -- 1 32 2>/dev/null | awk '{printf "%.0f", $2}')
	rm -f "$tmp"/huge/*
	P="ring ${r:-?} M/s ($(awk -v r="${r:-0}" 'BEGIN {print (r >= 600 ? "fast" : "slow")}') mode)"
}

# --- the cases: each leaves its rate in R ---------------------------------
tp1() { # testpmd, one forwarding lcore on cpu 1 (main lcore on cpu 0, idle)
	n=$((n + 1))
	dpdk-testpmd --lcores=0@0,1@1 --main-lcore=0 $(eal tp$n) -m 256 -- \
		--forward-mode="$1" --nb-cores=1 --rxq=1 --txq=1 --stats-period=100 >/dev/null 2>&1 &
	PIDS=($!); measure tp$n; stop "${PIDS[@]}"
}
tp2() { # testpmd, two forwarding lcores (cpus 0 and 1), a queue pair each
	n=$((n + 1))
	dpdk-testpmd --lcores=2@0,0@0,1@1 --main-lcore=2 $(eal tp$n) -m 256 -- \
		--forward-mode="$1" --nb-cores=2 --rxq=2 --txq=2 --stats-period=100 >/dev/null 2>&1 &
	PIDS=($!); measure tp$n; stop "${PIDS[@]}"
}
tp2p() { # testpmd --num-procs=2: one process per cpu, a queue pair each
	n=$((n + 1))
	local a=(--forward-mode="$1" --nb-cores=1 --rxq=2 --txq=2 --num-procs=2 --stats-period=100)
	dpdk-testpmd --lcores=0@0,2@0 --main-lcore=2 --proc-type=primary $(eal tp$n) -m 256 -- \
		"${a[@]}" --proc-id=0 >/dev/null 2>&1 &
	PIDS=($!); sleep 1.2
	dpdk-testpmd --lcores=1@1,3@1 --main-lcore=3 --proc-type=secondary $(eal tp$n) -- \
		"${a[@]}" --proc-id=1 >/dev/null 2>&1 &
	PIDS+=($!); measure tp$n; stop "${PIDS[1]}" "${PIDS[0]}"
}
symmp() { # DPDK's symmetric_mp: one process per cpu
	n=$((n + 1))
	"$SAMPLES/symmetric_mp" --lcores=0@0 --proc-type=primary $(eal sm$n) -m 256 -- \
		-p 0x3 --num-procs=2 --proc-id=0 >/dev/null 2>&1 &
	PIDS=($!); sleep 1.2
	"$SAMPLES/symmetric_mp" --lcores=1@1 --proc-type=secondary $(eal sm$n) -- \
		-p 0x3 --num-procs=2 --proc-id=1 >/dev/null 2>&1 &
	PIDS+=($!); measure sm$n; stop "${PIDS[1]}" "${PIDS[0]}"
}
csmp() { # DPDK's client_server_mp: server (RX, round-robin) on cpu 0, one client (TX) on cpu 1
	n=$((n + 1))
	"$SAMPLES/mp_server" --lcores=0@0 $(eal cs$n) -m 256 -- -p 0x3 -n 1 >/dev/null 2>&1 &
	PIDS=($!); sleep 1.2
	"$SAMPLES/mp_client" --lcores=1@1 --proc-type=secondary $(eal cs$n) -- -n 0 >/dev/null 2>&1 &
	PIDS+=($!); measure cs$n; stop "${PIDS[1]}" "${PIDS[0]}"
}
fwd1() { # tenantrt-fwd, one process: LCORES MODE ARGS...
	local lc=$1 mode=$2
	shift 2
	n=$((n + 1))
	env $(fwd_env primary 0 1 "$mode") "$FWD" --lcores="$lc" $(eal fw$n) -m 256 -- --quiet "$@" >/dev/null 2>&1 &
	PIDS=($!); measure fw$n; stop "${PIDS[@]}"
}
fwd2p() { # tenantrt-fwd, primary on cpu 0 and a secondary on cpu 1: MODE ARGS...
	local mode=$1
	shift
	n=$((n + 1))
	env $(fwd_env primary 0 2 "$mode") "$FWD" --lcores=0@0 --proc-type=primary $(eal fw$n) -m 256 -- --quiet "$@" >/dev/null 2>&1 &
	PIDS=($!); sleep 1.2
	env $(fwd_env secondary 1 2 "$mode") "$FWD" --lcores=1@1 --proc-type=secondary $(eal fw$n) -- --quiet "$@" >/dev/null 2>&1 &
	PIDS+=($!); measure fw$n; stop "${PIDS[1]}" "${PIDS[0]}"
}

# row NAME ANCHOR-FN OURS-FN [probe]: one round of a row; the ratio goes to
# the row's list, the line to the output
declare -A RATIOS
round() {
	local row=$1 anchor=$2 ours=$3 cross=${4:-}
	local a1 a2 b o1 o2 o3 r
	$anchor; a1=$R; o1=$O
	$ours; b=$R; o2=$O
	$anchor; a2=$R; o3=$O
	r=$(ratio "$b" "$(mean2 "$a1" "$a2")")
	RATIOS[$row]="${RATIOS[$row]:-} $r"
	P=
	[ -n "$cross" ] && probe
	echo "    round $rr: anchor $(mpps "$a1") / $(mpps "$a2") Mpps, ours $(mpps "$b") Mpps, ratio $r (others $o1/$o2/$o3 %)${P:+, $P}"
}
verdict() { # VALUE GOAL: "goal met" when VALUE >= GOAL
	awk -v v="$1" -v g="$2" 'BEGIN {print (v != "nan" && v >= g) ? "goal met" : "NOT MET"}'
}
row_median() { echo "${RATIOS[$1]:-}" | tr ' ' '\n' | grep -v '^$' | median; }
TABLE=()
add_row() { TABLE+=("$(printf '| %s | %s | %s | %s | %s |' "$@")"); }

echo "   rounds: $ROUNDS, window ${WIN} ms after ${WARM} s warm-up; rates are TX packets/s of both net_null ports"
for rr in $(seq "$ROUNDS"); do
	echo "  -- round $rr of $ROUNDS (load $(cut -d' ' -f1 /proc/loadavg))"
	if want A; then
		echo "   A one lcore (cpu 1), MAC rewrite: testpmd macswap | tenantrt-fwd (SSE rewrite)"
		round A "tp1 macswap" "fwd1 1@1 mode=distribute"
	fi
	if want B; then
		echo "   B symmetric, a process on each cpu, MAC rewrite: testpmd --num-procs=2 macswap | tenantrt-fwd symmetric"
		round B "tp2p macswap" "fwd2p mode=symmetric" probe
		if [ "$have_samples" = 1 ]; then
			echo "   B' symmetric, a process on each cpu, no data touch: symmetric_mp | tenantrt-fwd symmetric --no-touch"
			round B2 symmp "fwd2p mode=symmetric --no-touch" probe
		fi
	fi
	if want C && [ "$have_samples" = 1 ]; then
		echo "   C distribute, RX on cpu 0, TX on cpu 1, no data touch: client_server_mp | tenantrt-fwd distribute --no-touch (flow affinity kept)"
		round C csmp "fwd2p mode=distribute --no-touch" probe
	fi
	if want D; then
		echo "   D scaling, one process: tenantrt-fwd 1 lcore (cpu 1) | 2 lcores (cpus 0, 1), MAC rewrite; testpmd macswap 1 | 2 cores beside"
		fwd1 1@1 mode=symmetric; f1=$R
		fwd1 0@0,1@1 mode=symmetric; f2=$R
		fwd1 1@1 mode=symmetric; f3=$R
		tp1 macswap; t1=$R
		tp2 macswap; t2=$R
		r=$(ratio "$f2" "$(mean2 "$f1" "$f3")")
		rt=$(ratio "$t2" "$t1")
		RATIOS[D]="${RATIOS[D]:-} $r"
		RATIOS[Dtp]="${RATIOS[Dtp]:-} $rt"
		probe
		echo "    round $rr: tenantrt-fwd $(mpps "$f1") / $(mpps "$f3") -> $(mpps "$f2") Mpps = ${r}x; testpmd $(mpps "$t1") -> $(mpps "$t2") Mpps = ${rt}x; $P"
	fi
done

if want A; then
	m=$(row_median A)
	add_row "one lcore, MAC rewrite" "testpmd macswap" "${m}x" ">= 1.0x" "$(verdict "$m" 1.0)"
fi
if want B; then
	m=$(row_median B)
	add_row "symmetric, 2 processes, MAC rewrite" "testpmd --num-procs=2 macswap" "${m}x" ">= 1.0x" "$(verdict "$m" 1.0)"
	if [ "$have_samples" = 1 ]; then
		m=$(row_median B2)
		add_row "symmetric, 2 processes, no data touch" "symmetric_mp" "${m}x" ">= 1.0x" "$(verdict "$m" 1.0)"
	fi
fi
if want C && [ "$have_samples" = 1 ]; then
	m=$(row_median C)
	v=$(verdict "$m" 1.0)
	[ "$v" = "goal met" ] && [ "$(verdict "$m" 1.3)" = "goal met" ] && v="goal met (stretch 1.3x too)"
	add_row "distribute, no data touch, flow affinity kept" "client_server_mp" "${m}x" ">= 1.0x (stretch 1.3x)" "$v"
fi
if want D; then
	m=$(row_median D)
	add_row "tenantrt-fwd, 2 lcores / 1 lcore" "testpmd 2 cores / 1: $(row_median Dtp)x" "${m}x" ">= 1.6x" "$(verdict "$m" 1.6)"
fi

# --- E: adaptive polling: idle CPU and wake-up latency, injected traffic ------
if want E; then
	echo "   E adaptive polling, one tenantrt-fwd (lcore on cpu 1) on two ports in a netns; 5 s idle: its CPU share;"
	echo "     then 100 frames, one every 30 ms (it goes idle in each gap), each timed from send on one veth/tap end"
	echo "     to arrival at the other (trpkt lat on cpu 0, spinning on its socket): the first-packet latency after idle"
	NS=trbench$$
	ip netns add "$NS"
	nsx() { ip netns exec "$NS" "$@"; }
	for i in 0 1; do
		nsx ip link add a$i type veth peer name b$i
		for d in a$i b$i; do nsx sysctl -qw net.ipv6.conf.$d.disable_ipv6=1; nsx ip link set $d up; done
	done
	cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
	tap_up() {
		nsx ip link show dtap1 >/dev/null 2>&1 || return 1
		for d in dtap0 dtap1; do nsx sysctl -qw net.ipv6.conf.$d.disable_ipv6=1; nsx ip link set $d up; done
	}
	declare -A IDLE LAT
	# adaptive: waits where the queues can wake it (tap's RX interrupts,
	# af_packet's sockets); capped: --adaptive=100, sleeps of at most
	# 100 us, never a wait.
	for pm in af_packet.busy af_packet.adaptive af_packet.capped tap.busy tap.adaptive; do
		pmd=${pm%.*} mode=${pm#*.}
		{
			n=$((n + 1))
			if [ $pmd = af_packet ]; then
				vd=(--vdev=net_af_packet0,iface=a0 --vdev=net_af_packet1,iface=a1); in=b0 out=b1
			else
				vd=(--vdev=net_tap0,iface=dtap0 --vdev=net_tap1,iface=dtap1); in=dtap0 out=dtap1
			fi
			extra=(); [ $mode = adaptive ] && extra=(--adaptive); [ $mode = capped ] && extra=(--adaptive=100)
			ip netns exec "$NS" env $(fwd_env primary 0 1 mode=distribute) "$FWD" --lcores=1@1 --no-pci \
				--file-prefix=fwe$n --huge-dir="$tmp/huge" -m 64 --log-level=lib.eal:error "${vd[@]}" \
				-- --quiet "${extra[@]}" >"$tmp/e.log" 2>&1 &
			PIDS=($!)
			for _ in $(seq 50); do
				[ $pmd = tap ] && tap_up && break
				[ $pmd = af_packet ] && [ -e "$tmp/run/tenantrt/member-0" ] && break
				sleep 0.1
			done
			sleep 1
			t0=$(cpu_of "${PIDS[0]}"); sleep 5; t1=$(cpu_of "${PIDS[0]}")
			IDLE[$pmd.$mode]=$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", 100*t/hz/5}')
			LAT[$pmd.$mode]=$(nsx taskset -c 0 "$PKT" lat "$in" "$out" 100 30 $n 2>/dev/null)
			stop "${PIDS[@]}"
			echo "    $pmd $mode: idle ${IDLE[$pmd.$mode]} % of a cpu; ${LAT[$pmd.$mode]:-latency: no answer}"
		}
	done
	ip netns del "$NS"
	NS=
	lat() { echo "${LAT[$1]}" | awk -v k="$2" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}'; }
	for pm in af_packet.adaptive af_packet.capped tap.adaptive; do
		pmd=${pm%.*}
		b50=$(lat $pmd.busy p50); a50=$(lat $pm p50)
		b90=$(lat $pmd.busy p90); a90=$(lat $pm p90); amax=$(lat $pm max)
		w50=$(awk -v a="$a50" -v b="$b50" 'BEGIN {if (a == "" || b == "") print "nan"; else print a - b}')
		w90=$(awk -v a="$a90" -v b="$b90" 'BEGIN {if (a == "" || b == "") print "nan"; else print a - b}')
		idle=${IDLE[$pm]}
		case $pm in
		af_packet.adaptive) how="waits on its sockets (--adaptive)" ;;
		af_packet.capped) how="capped sleeps (--adaptive=100)" ;;
		*) how="waits for RX interrupts (--adaptive)" ;;
		esac
		v=$(awk -v i="$idle" -v w="$w90" 'BEGIN {print (w != "nan" && i <= 2 && w <= 100) ? "goal met" : "NOT MET"}')
		add_row "adaptive, $pmd, $how: idle CPU / added first-packet latency p50, p90 (max)" \
			"busy polling: ${IDLE[$pmd.busy]} % / p50 ${b50:-?} us, p90 ${b90:-?} us" \
			"$idle % / +$w50, +$w90 us (max ${amax:-?} us)" "<= 2 % / <= 100 us (p90)" "$v"
	done
fi

echo "  => issue 12 data-path rows, median of $ROUNDS rounds (ratio = ours / anchor; each anchor run before and after ours):"
echo "     | measure | anchor | ours | goal | verdict |"
echo "     |---|---|---|---|---|"
for l in "${TABLE[@]}"; do echo "     $l"; done
