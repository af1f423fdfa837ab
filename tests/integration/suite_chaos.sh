#!/usr/bin/env bash
# Chaos, bounded to about a minute (cycles start for TENANTRT_CHAOS_SECONDS,
# default 45, the last one ends within its bound):
# cycle after cycle, a group (dpdk-testpmd through the shared mbuf pool,
# or tenantrt-fwd) under the shim with the watchdog on, and a kill -9 at a
# random moment of a secondary's start (EAL init included) of a random
# victim: the secondary's app, its shim, or the primary's app. Within a
# bound each cycle must end in one of:
#   progress   the group forwards: its primary is running and its
#              counters move;
#   recovered  status reported the group stuck and the watchdog stopped it:
#              every shim exited 124;
#   ended      the primary was killed: its shim passed 137, its
#              secondaries' shims exited 69 (a primary that died).
# And after every cycle nothing of the tenant may be left: hugepages, mounts,
# cgroups, leases and health records, runtime and hugepage dirs.
#   bash tests/integration/suite_chaos.sh build
source "$(dirname "$0")/lib.sh"
suite_begin "${1:-build}"

[ "$(id -u)" -eq 0 ] || { echo "suite_chaos: needs root (hugetlbfs mounts)"; exit 1; }
command -v dpdk-testpmd >/dev/null || { echo "suite_chaos: dpdk-testpmd missing (apt-get install dpdk)"; exit 1; }

SECS=${TENANTRT_CHAOS_SECONDS:-45}
SHIM=$T_BUILD/tenantrt-shim
CLI=$T_BUILD/tenantrt
FWD=$T_BUILD/tenantrt-fwd
STALL=2
WATCHDOG=1
STOP=2
# stuck verdict (ring: 2 looks) + watchdog + SIGKILL, with room to spare
BOUND=$((STALL + 2 + WATCHDOG + STOP + 6))
PIDS=()
HP0=$(hp_free)

on_exit reap_all

bg() {
	local log=$1
	shift
	"$@" </dev/null >"$log" 2>&1 &
	BG=$!
	PIDS+=("$BG")
}
# json CONF: status --json as "member state appPid rx" lines
members() {
	"$CLI" status --config "$1" --json 2>/dev/null | python3 -c "
import json, sys
d = json.load(sys.stdin)
for t in d['tenants']:
    for m in t['members']:
        print(m['member'], m['state'], m['appPid'], m.get('counters', {}).get('rx', -1))" 2>/dev/null
}
member_field() { members "$1" | awk -v m="$2" -v f="$3" '$1 == m {print $f}'; }
leftovers() {   # leftovers DIR TENANT: what is left, one line each
	local d=$1 t=$2
	[ -e "$d/run/$t" ] && echo "runtime dir $d/run/$t"
	[ -e "$d/huge/$t" ] && echo "hugepage dir $d/huge/$t: $(ls "$d/huge/$t" | wc -l) files"
	grep " $d/" /proc/mounts | sed 's/^/mount /'
	ledger_left "$d/run/.ledger" | sed 's/^/ledger /'
	find /sys/fs/cgroup -maxdepth 4 -name "*$t*" 2>/dev/null | sed 's/^/cgroup /'
	[ "$(hp_free)" = "$HP0" ] || echo "HugePages_Free $(hp_free), was $HP0"
}

declare -A OUTCOMES=()
cycle=0
end=$((SECONDS + SECS))
echo "-- kill -9 at random moments, ${SECS} s (bound per cycle: ${BOUND} s)"
while [ "$SECONDS" -lt "$end" ] || [ "$cycle" -lt 3 ]; do
	cycle=$((cycle + 1))
	t=hc$$x$cycle
	D=$T_TMP/c$cycle
	mkdir -p "$D"
	C=$D/c.yaml
	cat >"$C" <<EOT
host:
  runtimeRoot: $D/run
  hugepageDir: $D/huge
tenants:
  - name: $t
    memory: {totalMb: 64, limitMb: 128}
    cpus: "0-1"
    cpuPolicy: shared
    nics: [net_null0, net_null1]
    group: {maxSecondaries: 2}
    health: {stall: $STALL, watchdog: $WATCHDOG, startup: 15}
EOT
	if [ $((cycle % 3)) -eq 0 ]; then
		app="tenantrt-fwd"
		PAPP=("$FWD" --stats 0)
		SAPP=("$FWD" --stats 0)
	else
		app="testpmd"
		PAPP=(dpdk-testpmd --total-num-mbufs=16384 --mbcache=0 --stats-period=1 --nb-cores=1 --auto-start)
		SAPP=(dpdk-testpmd --total-num-mbufs=16384 --mbcache=0 --stats-period=1 --nb-cores=1)
	fi
	victims=(secondary-app secondary-shim primary-app)
	victim=${victims[$((RANDOM % 3))]}
	delay=$(printf '0.%03d' $((RANDOM % 500)))
	bg "$D/p.log" "$SHIM" --config "$C" --tenant "$t" --stop-timeout $STOP -- "${PAPP[@]}"
	P_SHIM=$BG
	up=no
	for _ in $(seq 150); do
		[ "$(member_field "$C" 0 2)" = running ] && { up=yes; break; }
		sleep 0.1
	done
	if [ "$up" = no ]; then
		ok "cycle $cycle ($app): the primary comes up" false
		kill -KILL "$P_SHIM"
		wait "$P_SHIM" 2>/dev/null
		continue
	fi
	P_APP=$(member_field "$C" 0 3)
	bg "$D/s.log" "$SHIM" --config "$C" --tenant "$t" --stop-timeout $STOP -- "${SAPP[@]}"
	S_SHIM=$BG
	sleep "$delay"
	case $victim in
	secondary-app)
		S_APP=$(pgrep -P "$S_SHIM" | head -1)
		[ -n "$S_APP" ] && kill -KILL "$S_APP" ;;
	secondary-shim) kill -KILL "$S_SHIM" ;;
	primary-app) kill -KILL "$P_APP" ;;
	esac
	t0=$SECONDS
	outcome="" saw_stuck=no last_rx=-1
	while [ $((SECONDS - t0)) -le "$BOUND" ]; do
		m=$(members "$C")
		echo "$m" | grep -q ' stuck ' && saw_stuck=yes
		if ! kill -0 "$P_SHIM" 2>/dev/null && ! kill -0 "$S_SHIM" 2>/dev/null; then
			wait "$P_SHIM" 2>/dev/null; prc=$?
			wait "$S_SHIM" 2>/dev/null; src=$?
			if [ "$victim" = primary-app ] && [ "$prc" -eq 137 ] && [ "$src" -eq 69 ]; then
				outcome=ended
			elif [ "$saw_stuck" = yes ] && [ "$prc" -eq 124 ] &&
			     { [ "$src" -eq 124 ] || [ "$victim" != primary-app ]; }; then
				outcome=recovered
			else
				outcome="unexpected end: primary shim $prc, secondary shim $src, saw stuck: $saw_stuck"
			fi
			break
		fi
		rx=$(echo "$m" | awk '$1 == 0 && $2 == "running" {print $4}')
		if [ -n "$rx" ] && [ "$rx" -ge 0 ] && [ "$victim" != primary-app ]; then
			if [ "$last_rx" -ge 0 ] && [ "$rx" -gt "$last_rx" ] && [ $((SECONDS - t0)) -ge $((STALL + 2)) ]; then
				outcome=progress
				break
			fi
			last_rx=$rx
		fi
		sleep 0.5
	done
	[ -n "$outcome" ] || outcome="neither progress nor recovery within $BOUND s (saw stuck: $saw_stuck)"
	OUTCOMES[$outcome]=$((${OUTCOMES[$outcome]:-0} + 1))
	case $outcome in
	progress|recovered|ended) ok "cycle $cycle ($app, kill -9 $victim after ${delay} s): $outcome" true ;;
	*) ok "cycle $cycle ($app, kill -9 $victim after ${delay} s): $outcome" bash -c "tail -5 '$D/p.log' '$D/s.log'; false" ;;
	esac
	# Stop what is left the way an operator would.
	kill -TERM "$P_SHIM" "$S_SHIM" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$P_SHIM" 2>/dev/null || kill -0 "$S_SHIM" 2>/dev/null || break
		sleep 0.1
	done
	wait "$P_SHIM" "$S_SHIM" 2>/dev/null
	ok "cycle $cycle: nothing left (hugepages, mounts, cgroups, leases, health records, dirs)" \
		bash -c "$(declare -f leftovers hp_free); HP0=$HP0; out=\$(leftovers '$D' '$t'); [ -z \"\$out\" ] || { echo \"\$out\"; false; }"
done
for o in "${!OUTCOMES[@]}"; do echo "   $o: ${OUTCOMES[$o]}"; done

suite_end
