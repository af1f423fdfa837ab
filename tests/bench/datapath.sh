#!/usr/bin/env bash
# Data-path benchmarks (root: hugetlbfs mount). Each figure is the median of
# ROUNDS rounds; a ratio compares tenantrt-fwd with its anchor run in the
# same round, one after the other on the same cores. Rates come from the
# ports' counters over a fixed window, read by tests/tools/trstat.
#   TENANTRT_BENCH_ROUNDS (5)  TENANTRT_BENCH_WINDOW_MS (3000)
set -uo pipefail
build=$(cd "${1:-build}" && pwd)
FWD=$build/tenantrt-fwd
STAT=$build/tests/tools/trstat
RING=$build/tests/tools/trring
ROUNDS=${TENANTRT_BENCH_ROUNDS:-5}
WIN=${TENANTRT_BENCH_WINDOW_MS:-3000}
WARM=1.5
# TENANTRT_BENCH_ONLY="a c": run only those parts
ONLY=${TENANTRT_BENCH_ONLY:-a b c d e}
want() { [[ " $ONLY " == *" $1 "* ]]; }

for x in "$FWD" "$STAT" "$RING"; do
	[ -x "$x" ] || { echo "bench: $x is missing: run 'make bench'" >&2; exit 69; }
done
command -v dpdk-testpmd >/dev/null || { echo "bench: dpdk-testpmd missing: apt-get install dpdk" >&2; exit 69; }
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (hugetlbfs mount)" >&2; exit 77; }

tmp=$(mktemp -d /tmp/tenantrt-bench.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
	sleep 0.5
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
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
# run_* helpers leave their measurement in R (no subshell: PIDS stay ours)
R=
# meter PREFIX: tx packets/s of every port over the window
meter() { "$STAT" --lcores=7@0 --proc-type=secondary $(eal "$1") -- "$WIN" 2>/dev/null | awk '{print $6}'; }
stop() {
	local p
	for p in "$@"; do kill -INT "$p" 2>/dev/null; done
	for p in "$@"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	PIDS=()
	rm -f "$tmp"/huge/* ; rm -rf "$tmp"/run/*
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mpps() { awk -v x="$1" 'BEGIN {printf "%.2f", x/1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.3f", a/b; else print "nan"}'; }
# fwd_env ROLE MEMBER MEMBERS DATAPATH: the environment the shim would give
# (used as `env $(fwd_env ...) APP &` so that $! is the app itself).
fwd_env() { echo "TENANTRT_TENANT=bench TENANTRT_ROLE=$1 TENANTRT_MEMBER=$2 TENANTRT_MEMBERS=$3 TENANTRT_DATAPATH=$4"; }

# --- (a) one process, one forwarding lcore -----------------------------------
if want a; then
echo "(a) one process, one lcore on cpu 1, net_null pair: tenantrt-fwd vs dpdk-testpmd --forward-mode=macswap"
echo "    each round: testpmd, tenantrt-fwd, testpmd again; the anchor is the mean of the two testpmd runs (the host's load drifts)"
run_a_tp() {
	n=$((n + 1))
	dpdk-testpmd --lcores=0@0,1@1 --main-lcore=0 $(eal tpa$n) -m 256 -- \
		--forward-mode=macswap --nb-cores=1 --rxq=1 --txq=1 --stats-period=100 >/dev/null 2>&1 &
	PIDS=($!); sleep "$WARM"; R=$(meter tpa$n); stop "${PIDS[@]}"
}
run_a_fwd() {
	n=$((n + 1))
	env $(fwd_env primary 0 1 mode=distribute) "$FWD" --lcores=1@1 $(eal fwa$n) -m 256 -- --quiet >/dev/null 2>&1 &
	PIDS=($!); sleep "$WARM"; R=$(meter fwa$n); stop "${PIDS[@]}"
}
rs=()
for r in $(seq "$ROUNDS"); do
	run_a_tp; a1=$R; run_a_fwd; b=$R; run_a_tp; a2=$R
	a=$(awk -v x="$a1" -v y="$a2" 'BEGIN {print (x + y) / 2}')
	rs+=("$(ratio "$b" "$a")")
	echo "    round $r: testpmd $(mpps "$a1")/$(mpps "$a2") Mpps, tenantrt-fwd $(mpps "$b") Mpps, ratio $(ratio "$b" "$a") (load $(cut -d' ' -f1 /proc/loadavg))"
done
echo "  => tenantrt-fwd / testpmd macswap: median $(printf '%s\n' "${rs[@]}" | median)x (goal >= 1.0)"
fi

# --- (b) symmetric, two processes --------------------------------------------
if want b; then
echo "(b) symmetric, two processes (cpu 0 and cpu 1), 2 queue pairs per port: tenantrt-fwd vs dpdk-testpmd --num-procs=2"
echo "    each round: testpmd pair, tenantrt-fwd pair, testpmd pair again (anchor = mean of the two)"
run_b_tp() {
	n=$((n + 1))
	local tp=(--forward-mode=macswap --nb-cores=1 --rxq=2 --txq=2 --num-procs=2 --stats-period=100)
	dpdk-testpmd --lcores=0@0,2@0 --main-lcore=2 --proc-type=primary $(eal tpb$n) -m 256 -- \
		"${tp[@]}" --proc-id=0 >/dev/null 2>&1 &
	PIDS=($!); sleep 1
	dpdk-testpmd --lcores=1@1,3@1 --main-lcore=3 --proc-type=secondary $(eal tpb$n) -- \
		"${tp[@]}" --proc-id=1 >/dev/null 2>&1 &
	PIDS+=($!); sleep "$WARM"; R=$(meter tpb$n); stop "${PIDS[1]}" "${PIDS[0]}"
}
run_b_fwd() {
	n=$((n + 1))
	env $(fwd_env primary 0 2 mode=symmetric) "$FWD" --lcores=0@0 --proc-type=primary $(eal fwb$n) -m 256 -- --quiet >/dev/null 2>&1 &
	PIDS=($!); sleep 1
	env $(fwd_env secondary 1 2 mode=symmetric) "$FWD" --lcores=1@1 --proc-type=secondary $(eal fwb$n) -- --quiet >/dev/null 2>&1 &
	PIDS+=($!); sleep "$WARM"; R=$(meter fwb$n); stop "${PIDS[1]}" "${PIDS[0]}"
}
rs=()
for r in $(seq "$ROUNDS"); do
	run_b_tp; a1=$R; run_b_fwd; b=$R; run_b_tp; a2=$R
	a=$(awk -v x="$a1" -v y="$a2" 'BEGIN {print (x + y) / 2}')
	rs+=("$(ratio "$b" "$a")")
	echo "    round $r: testpmd x2 $(mpps "$a1")/$(mpps "$a2") Mpps, tenantrt-fwd x2 $(mpps "$b") Mpps, ratio $(ratio "$b" "$a") (load $(cut -d' ' -f1 /proc/loadavg))"
done
echo "  => symmetric tenantrt-fwd / testpmd multi-process: median $(printf '%s\n' "${rs[@]}" | median)x (goal >= 0.95)"
fi

# --- (c) distribute: primary on cpu 0, one secondary on cpu 1 ------------------
if want c; then
echo "(c) distribute, primary (cpu 0) + one secondary (cpu 1), net_null pair; ceiling: SP/SC rte_ring, burst 32, cpu 0 -> cpu 1"
sf() { awk -v k="$2" '$1 == k {print $2}' "$tmp/run/tenantrt/$1"; }
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TCK=$(getconf CLK_TCK)
dl=(); rg=(); cp=(); cs=(); dr=()
for r in $(seq "$ROUNDS"); do
	n=$((n + 1))
	env $(fwd_env primary 0 2 mode=distribute) "$FWD" --lcores=0@0 --proc-type=primary $(eal fwc$n) -m 256 -- --quiet >/dev/null 2>&1 &
	PIDS=($!); sleep 1
	env $(fwd_env secondary 1 2 mode=distribute) "$FWD" --lcores=1@1 --proc-type=secondary $(eal fwc$n) -- --quiet >/dev/null 2>&1 &
	PIDS+=($!)
	for _ in $(seq 100); do [ -e "$tmp/run/tenantrt/member-1" ] && break; sleep 0.1; done
	sleep "$WARM"
	# Cycles from the CPU time each process really got (the host is
	# shared: wall-clock cycles would count time spent descheduled).
	hz=$(sf member-0 tsc_hz); w0=$(date +%s%N)
	p0=$(cpu_of "${PIDS[0]}"); r0=$(awk '$1=="port"{s+=$4} END{print s}' "$tmp/run/tenantrt/member-0")
	s0=$(cpu_of "${PIDS[1]}"); q0=$(sf member-1 processed); d0=$(sf member-1 ring_drop)
	d=$(meter fwc$n)
	sleep 1.1 # the stats files are rewritten every second
	p1=$(cpu_of "${PIDS[0]}"); r1=$(awk '$1=="port"{s+=$4} END{print s}' "$tmp/run/tenantrt/member-0")
	s1=$(cpu_of "${PIDS[1]}"); q1=$(sf member-1 processed); d1=$(sf member-1 ring_drop)
	w=$(( ($(date +%s%N) - w0) / 1000000 ))
	stop "${PIDS[1]}" "${PIDS[0]}"
	"$RING" --lcores=0@0,1@1 --no-pci --file-prefix=trg$n --huge-dir="$tmp/huge" -m 16 --log-level=lib.eal:error -- 2 32 >"$tmp/ring" 2>/dev/null
	rm -f "$tmp"/huge/*
	c=$(awk '{print $2}' "$tmp/ring")
	cpp=$(awk -v t=$((p1 - p0)) -v hz="$hz" -v tck="$TCK" -v p=$((r1 - r0)) 'BEGIN {printf "%.0f", p ? t/tck*hz/p : 0}')
	cps=$(awk -v t=$((s1 - s0)) -v hz="$hz" -v tck="$TCK" -v p=$((q1 - q0)) 'BEGIN {printf "%.0f", p ? t/tck*hz/p : 0}')
	up=$(awk -v t=$((p1 - p0)) -v tck="$TCK" -v w="$w" 'BEGIN {printf "%.0f", 100*t/tck/(w/1000)}')
	us=$(awk -v t=$((s1 - s0)) -v tck="$TCK" -v w="$w" 'BEGIN {printf "%.0f", 100*t/tck/(w/1000)}')
	drp=$(awk -v d=$((d1 - d0)) -v r=$((r1 - r0)) 'BEGIN {printf "%.1f", r ? 100*d/r : 0}')
	dl+=("$d"); rg+=("$c"); cp+=("$cpp"); cs+=("$cps"); dr+=("$drp")
	echo "    round $r: delivered $(mpps "$d") Mpps, ring drops ${drp}% of RX, cycles/pkt primary $cpp secondary $cps (cpu got: ${up}% / ${us}%), ring ceiling $c Mptr/s"
done
md=$(printf '%s\n' "${dl[@]}" | median); mc=$(printf '%s\n' "${rg[@]}" | median)
mp=$(printf '%s\n' "${cp[@]}" | median); ms=$(printf '%s\n' "${cs[@]}" | median)
echo "  => delivered $(mpps "$md") Mpps (median), ring drops $(printf '%s\n' "${dr[@]}" | median)% of RX, cycles/packet: primary $mp (RX + hash + enqueue), secondary $ms (dequeue + rewrite + TX); ceiling $mc M pointers/s"
if [ "${ms%.*}" -gt "${mp%.*}" ]; then
	echo "     the secondary limits: it pays the cache misses on mbufs and headers the primary's core last wrote, and frees them to its own mempool cache"
else
	echo "     the primary limits: it receives and hashes every packet for both"
fi
fi

# --- (e) adaptive polling: CPU used while idle --------------------------------
if want e; then
echo "(e) idle CPU, one tenantrt-fwd on an idle net_ring port pair, 5 s: busy polling vs --adaptive"
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for mode in busy adaptive; do
	n=$((n + 1))
	extra=(); [ $mode = adaptive ] && extra=(--adaptive)
	env $(fwd_env primary 0 1 mode=distribute) "$FWD" --lcores=1@1 --no-pci --file-prefix=fwe$n \
		--huge-dir="$tmp/huge" -m 64 --log-level=lib.eal:error --vdev=net_ring0 --vdev=net_ring1 \
		-- --quiet "${extra[@]}" >/dev/null 2>&1 &
	PIDS=($!); sleep 1.5
	t0=$(cpu_of "${PIDS[0]}"); sleep 5; t1=$(cpu_of "${PIDS[0]}")
	stop "${PIDS[@]}"
	pct=$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", 100*t/hz/5}')
	echo "    $mode: ${pct}% of a cpu"
	eval "idle_$mode=$pct"
done
echo "  => adaptive polling saves $((idle_busy - idle_adaptive)) points of a cpu when idle (${idle_busy}% -> ${idle_adaptive}%)"
fi

# --- (d) start-up of a group: through tenantrt-shim vs the same EAL args ------
if want d; then
SHIM=$build/tenantrt-shim
CLI=$build/tenantrt
if [ -x "$SHIM" ] && [ -x "$CLI" ]; then
	echo "(d) start-up of a group (primary -m 64 + one secondary, net_null pair) until the secondary is admitted: tenantrt-shim vs the planned EAL args run directly"
	cfg=$tmp/tenants.yaml
	cat >"$cfg" <<YAML
host:
  runtimeRoot: $tmp/rt
  hugepageDir: $tmp/hp
  cpus: "0-1"
tenants:
  - name: trbench
    memory:
      totalMb: 64
    cpus: "0-1"
    cpuPolicy: shared
    lcores:
      perPrimary: 1
      perSecondary: 1
    nics:
      - net_null0
      - net_null1
    group:
      maxSecondaries: 1
    datapath:
      mode: distribute
YAML
	now_ms() { echo $(($(date +%s%N) / 1000000)); }
	# until LOG shows the member's start line (printed after tr_init)
	wait_line() { for _ in $(seq 1000); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.01; done; return 1; }
	planned() { "$CLI" plan --config "$cfg" --tenant trbench --role "$1" --member "$2" -- "$FWD" --quiet 2>/dev/null |
		awk '/^command:/ {getline; print}'; }
	pcmd=$(planned primary 0); scmd=$(planned secondary 1)
	if [ -z "$pcmd" ] || [ -z "$scmd" ]; then
		echo "    skipped: 'tenantrt plan' gave no command for $cfg"
	else
		rs=(); sh_ms=(); di_ms=()
		for r in $(seq "$ROUNDS"); do
			# direct: what the shim would have set up, done by hand
			hd=$(echo "$pcmd" | sed 's/.*--huge-dir=\([^ ]*\).*/\1/')
			mkdir -p "$hd" "$tmp/rt/trbench"
			mount -t hugetlbfs -o pagesize=2M,size=256M nodev "$hd"
			t0=$(now_ms)
			env $pcmd >"$tmp/dp.log" 2>&1 &
			PIDS=($!)
			for _ in $(seq 500); do [ -e "$tmp/rt/trbench/dpdk/trbench/mp_socket" ] && break; sleep 0.01; done
			env $(echo "$scmd" | sed 's/--quiet$/--stats 100/') >"$tmp/ds.log" 2>&1 &
			PIDS+=($!)
			wait_line "$tmp/ds.log" "trbench/1: secondary" && d=$(($(now_ms) - t0)) || d=nan
			stop "${PIDS[1]}" "${PIDS[0]}"
			rm -f "$hd"/*; umount "$hd"; rm -rf "$tmp/rt/trbench"
			t0=$(now_ms)
			"$SHIM" --config "$cfg" --tenant trbench --role primary -- "$FWD" --quiet >"$tmp/sp.log" 2>&1 &
			PIDS=($!)
			"$SHIM" --config "$cfg" --tenant trbench --role secondary --wait-primary 10 -- "$FWD" --stats 100 >"$tmp/ss.log" 2>&1 &
			PIDS+=($!)
			wait_line "$tmp/ss.log" "trbench/1: secondary" && s=$(($(now_ms) - t0)) || s=nan
			for p in "${PIDS[1]}" "${PIDS[0]}"; do kill -TERM "$p" 2>/dev/null
				for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; wait "$p" 2>/dev/null; done
			PIDS=()
			sh_ms+=("$s"); di_ms+=("$d"); rs+=("$(ratio "$s" "$d")")
			echo "    round $r: direct ${d} ms, through the shim ${s} ms, ratio $(ratio "$s" "$d")"
		done
		echo "  => start-up: direct $(printf '%s\n' "${di_ms[@]}" | median) ms, shim $(printf '%s\n' "${sh_ms[@]}" | median) ms (median), shim/direct $(printf '%s\n' "${rs[@]}" | median)x"
	fi
fi
fi
