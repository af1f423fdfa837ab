#!/usr/bin/env bash
# Health with real DPDK (issue 13, items 1, 2, 4 and 6): each member's
# state in `tenantrt status` (starting, running, stuck: since when, why),
# `status --check` failing (124) for a stuck group within its bound, the
# watchdog stopping it, planned and unplanned stops of a primary, a
# tenants.yaml edited under a running group, a member in another mount
# namespace, and `status --prometheus` through a real parser (promtool).
#
# A stuck group is made the way it happens: a testpmd secondary killed
# while both forward through the shared mbuf pool's ring (--mbcache=0; the
# health research froze 28 of 30 such groups), and an EAL lock word left
# held (written into the group's config, as a secondary killed inside
# rte_eal_memory_init leaves it).
#   bash tests/integration/suite_health.sh build
source "$(dirname "$0")/lib.sh"
suite_begin "${1:-build}"

[ "$(id -u)" -eq 0 ] || { echo "suite_health: needs root (hugetlbfs mounts)"; exit 1; }
command -v dpdk-testpmd >/dev/null || { echo "suite_health: dpdk-testpmd missing (apt-get install dpdk)"; exit 1; }

A=ha$$
SHIM=$T_BUILD/tenantrt-shim
CLI=$T_BUILD/tenantrt
FWD=$T_BUILD/tenantrt-fwd
PIDS=()
P_SHIM= P_APP= S1_SHIM= T_KILL=0 DOG_LOG=
STALL=2
# testpmd forwarding on every lcore through the shared pool.
X=(--total-num-mbufs=16384 --mbcache=0 --stats-period=1 --nb-cores=1)

on_exit reap_all

# conf NAME [health yaml] [group yaml] [lcores yaml]: a config of tenant $A
# with its own runtimeRoot; prints its path.
conf() {
	local name=$1 dir="$T_TMP/$1" lc=""
	[ -n "${4:-}" ] && lc="    lcores: {$4}"
	mkdir -p "$dir"
	cat >"$dir/$name.yaml" <<EOT
host:
  runtimeRoot: $dir/run
  hugepageDir: $dir/huge
tenants:
  - name: $A
    memory: {totalMb: 64, limitMb: 128}
    cpus: "0-1"
    cpuPolicy: shared
    nics: [net_null0, net_null1]
    group: {maxSecondaries: 3${3:+, $3}}
    health: {stall: $STALL${2:+, $2}}
$lc
EOT
	echo "$dir/$name.yaml"
}

bg() {
	local log=$1
	shift
	"$@" </dev/null >"$log" 2>&1 &
	BG=$!
	PIDS+=("$BG")
}
rc_of() { wait "$1"; RC=$?; }
gone() { ! kill -0 "$1" 2>/dev/null; }
forwarding() { grep -q "Port statistics" "$1"; }
# field CONF MEMBER KEY: a member's field from status --json ("" if none)
field() {
	"$CLI" status --config "$1" --json | python3 -c "
import json, sys
d = json.load(sys.stdin)
for t in d['tenants']:
    for m in t['members']:
        if m['member'] == $2:
            v = m.get('$3')
            print('' if v is None else v)" 2>/dev/null
}
state_is() { [ "$(field "$1" "$2" state)" = "$3" ]; }
app_of() {   # app_of CONF MEMBER: its app pid, once forked (10 s)
	local p="" end=$((SECONDS + 10))
	while p=$(field "$1" "$2" appPid) && { [ -z "$p" ] || [ "$p" = 0 ]; } && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
	echo "$p"
}
check_rc() { "$CLI" status --config "$1" --tenant $A --check >/dev/null; echo $?; }
no_leftovers() {   # no_leftovers DIR: nothing of $A left there nor in the cgroups
	local d=$1
	[ ! -e "$d/run/$A" ] && [ ! -e "$d/huge/$A" ] && ! grep -q " $d/" /proc/mounts &&
		[ -z "$(ledger_left "$d/run/.ledger")" ] &&
		[ -z "$(find /sys/fs/cgroup -maxdepth 4 -name "*$A*" 2>/dev/null)" ] ||
		{ ls -la "$d/run/.ledger" "$d/huge" "$d/run" 2>&1; grep " $d/" /proc/mounts;
		  find /sys/fs/cgroup -maxdepth 4 -name "*$A*"; return 1; }
}

# promtool from Debian's prometheus package, cached; else none.
PROMTOOL=$(command -v promtool)
promtool_get() {
	local cache=/var/cache/tenantrt-test/promtool
	[ -n "$PROMTOOL" ] && return 0
	if [ ! -x "$cache/usr/bin/promtool" ]; then
		local dl
		dl=$(mktemp -d)
		(cd "$dl" && apt-get download -q prometheus >/dev/null 2>&1) &&
			mkdir -p "$cache" && dpkg-deb -x "$dl"/prometheus_*.deb "$cache"
		rm -rf "$dl"
	fi
	[ -x "$cache/usr/bin/promtool" ] && PROMTOOL=$cache/usr/bin/promtool
}

echo "-- a member that never comes up: starting, then stuck; --check 124"
C=$(conf never "startup: 2")
D=$T_TMP/never
printf '#!/bin/sh\n# admitted, forked, but never an EAL: no config lock\nexec sleep 60\n' >"$D/noeal"
chmod +x "$D/noeal"
bg "$D/p.log" "$SHIM" --config "$C" --tenant $A --role primary --stop-timeout 1 -- "$D/noeal"
P_SHIM=$BG
P_APP=$(app_of "$C" 0)
ok "forked: starting, the app's pid, why" bash -c "
	[ '$(field "$C" 0 state)' = starting ] && [ '$(field "$C" 0 pid)' = '$P_APP' ] &&
	'$CLI' status --config '$C' | grep -q '^$A member 0: starting since .*: '"
ok "stuck once not up 2 s after its start (bound: startup + 1 s)" wait_for 4 state_is "$C" 0 stuck
"$CLI" status --config "$C" >"$D/st.txt"
ok "... the table says since when and why" \
	grep -Eq "^$A member 0: stuck since [0-9T:-]+Z: not up [0-9]+ s after its start: EAL has not taken its config lock yet" "$D/st.txt"
"$CLI" status --config "$C" --tenant $A --check >"$D/check.txt"
ok "--check exits 124 and says why in one line" \
	bash -c "test $? -eq 124 && grep -Eqx 'tenant \"$A\": member 0 stuck since [0-9T:-]+Z: not up [0-9]+ s after its start: EAL has not taken its config lock yet' '$D/check.txt'"
"$CLI" status --config "$C" --prometheus >"$D/stuck.prom"
ok "--prometheus: the member's state stuck, the tenant stuck" \
	bash -c "grep -qx 'tenantrt_member_state{tenant=\"$A\",member=\"0\",role=\"primary\",state=\"stuck\"} 1' '$D/stuck.prom' &&
		 grep -qx 'tenantrt_tenant_stuck{tenant=\"$A\"} 1' '$D/stuck.prom'"
kill -TERM "$P_SHIM"
rc_of "$P_SHIM"
ok "reclaimed" no_leftovers "$D"

# stuck_group CONF LOG_DIR: a testpmd primary and a forwarding secondary
# (--mbcache=0), the secondary killed 0.3 s after its start; up to 4 tries
# until the primary is stuck (the research froze 28 of 30). Sets P_SHIM,
# P_APP, T_KILL (SECONDS at the kill); returns 1 when no try froze it.
stuck_group() {
	local c=$1 d=$2 try s_shim s_app
	for try in 1 2 3 4; do
		bg "$d/p$try.log" "$SHIM" --config "$c" --tenant $A --stop-timeout 2 -- \
			dpdk-testpmd --auto-start "${X[@]}"
		P_SHIM=$BG
		wait_for 30 forwarding "$d/p$try.log" || return 1
		P_APP=$(app_of "$c" 0)
		bg "$d/s$try.log" "$SHIM" --config "$c" --tenant $A --stop-timeout 2 -- dpdk-testpmd "${X[@]}"
		s_shim=$BG
		s_app=$(app_of "$c" 1)
		sleep 0.3
		kill -KILL "$s_app"
		T_KILL=$SECONDS
		wait "$s_shim" 2>/dev/null
		if wait_for $((STALL + 4)) state_is "$c" 0 stuck; then
			return 0
		fi
		kill -TERM "$P_SHIM"
		wait "$P_SHIM" 2>/dev/null
	done
	return 1
}

echo "-- a group stuck on its mbuf pool's ring: seen within the bound"
C=$(conf ring)
D=$T_TMP/ring
ok "a killed secondary left the primary stuck (within 4 tries)" stuck_group "$C" "$D"
T_CHECK=$(
	while [ "$(check_rc "$C")" != 124 ] && [ $((SECONDS - T_KILL)) -lt 20 ]; do sleep 0.2; done
	echo $((SECONDS - T_KILL))
)
ok "--check fails with 124 within stall + 3 s of the kill ($T_CHECK s)" test "$T_CHECK" -le $((STALL + 3))
"$CLI" status --config "$C" >"$D/st.txt"
ok "status says which ring, since when" \
	grep -Eq "^$A member 0: stuck since [0-9T:-]+Z: ring MP_mb_pool_0: an? (enqueue|dequeue) never finished \(head [0-9]+, tail [0-9]+\), for [0-9]+ s" "$D/st.txt"
ok "... while its pid is alive (a pid check alone sees nothing wrong)" kill -0 "$P_APP"
ok "... and its counters stand still" bash -c "
	a=\$('$CLI' status --config '$C' --json | grep -o '\"rx\": [0-9]*' | head -1); sleep 1.5
	b=\$('$CLI' status --config '$C' --json | grep -o '\"rx\": [0-9]*' | head -1); [ -n \"\$a\" ] && [ \"\$a\" = \"\$b\" ]"
kill -TERM "$P_SHIM"
rc_of "$P_SHIM"
ok "SIGTERM does not stop a stuck testpmd: SIGKILL after the stop timeout (137)" test "$RC" -eq 137
ok "reclaimed" no_leftovers "$D"

echo "-- an EAL lock left held: stuck after 10 s (legitimate holds: at most 0.4 s a GiB)"
C=$(conf lock)
D=$T_TMP/lock
bg "$D/p.log" "$SHIM" --config "$C" --tenant $A --stop-timeout 2 -- dpdk-testpmd --auto-start "${X[@]}"
P_SHIM=$BG
ok "primary forwarding" wait_for 30 forwarding "$D/p.log"
ok "running" wait_for 5 state_is "$C" 0 running
CFGFILE=$D/run/$A/dpdk/$A/config
# memory_hotplug_lock (offset 32) = 4: one reader that never left, as a
# secondary killed inside rte_eal_memory_init leaves it.
printf '\x04\x00\x00\x00' | dd of="$CFGFILE" bs=1 seek=32 conv=notrunc status=none
T0=$SECONDS
sleep 5
ok "still running 5 s into the hold" state_is "$C" 0 running
ok "stuck within 10 + 2 s" wait_for 8 state_is "$C" 0 stuck
ok "... naming the lock" bash -c "'$CLI' status --config '$C' | grep -q 'member 0: stuck since .*: EAL lock memory_hotplug_lock (memory maps) held by 1 reader, for 1[0-9] s'"
printf '\x00\x00\x00\x00' | dd of="$CFGFILE" bs=1 seek=32 conv=notrunc status=none
ok "released: running again" wait_for 4 state_is "$C" 0 running
kill -TERM "$P_SHIM"
rc_of "$P_SHIM"
ok "a healthy primary stops on SIGTERM (0)" test "$RC" -eq 0
ok "reclaimed" no_leftovers "$D"

echo "-- the watchdog stops a stuck group; every member exits 124"
C=$(conf dog "watchdog: 1")
D=$T_TMP/dog
# dog_try N: a primary and a forwarding secondary, a second secondary
# killed 0.3 s after its start; 0 when the group froze (then the shims are
# left to the watchdog), 1 when it survived (it is stopped here).
dog_try() {
	bg "$D/p$1.log" "$SHIM" --config "$C" --tenant $A --stop-timeout 2 -- dpdk-testpmd --auto-start "${X[@]}"
	P_SHIM=$BG
	wait_for 30 forwarding "$D/p$1.log" || return 1
	bg "$D/s$1.log" "$SHIM" --config "$C" --tenant $A --stop-timeout 2 -- dpdk-testpmd "${X[@]}"
	S1_SHIM=$BG
	wait_for 30 forwarding "$D/s$1.log" || return 1
	bg "$D/k$1.log" "$SHIM" --config "$C" --tenant $A --stop-timeout 2 -- dpdk-testpmd "${X[@]}"
	local k_shim=$BG k_app
	k_app=$(app_of "$C" 2)
	sleep 0.3
	kill -KILL "$k_app"
	T_KILL=$SECONDS
	wait "$k_shim" 2>/dev/null
	if wait_for $((STALL + 4)) bash -c "$(declare -f field state_is); CLI='$CLI'; state_is '$C' 0 stuck || state_is '$C' 1 stuck || ! kill -0 $P_SHIM"; then
		DOG_LOG=$1
		return 0
	fi
	kill -TERM "$P_SHIM"
	wait "$P_SHIM" "$S1_SHIM" 2>/dev/null
	return 1
}
for try in 1 2 3 4; do dog_try $try && break; done
ok "a killed secondary froze the group (within 4 tries)" test -n "${DOG_LOG:-}"
ok "every member's shim has ended within watchdog + stop timeout + 4 s of the verdict" \
	wait_for $((1 + 2 + 4)) bash -c "! kill -0 $P_SHIM 2>/dev/null && ! kill -0 $S1_SHIM 2>/dev/null"
rc_of "$P_SHIM"
ok "primary's shim: 124" test "$RC" -eq 124
rc_of "$S1_SHIM"
ok "the surviving secondary's shim: 124" test "$RC" -eq 124
ok "a watchdog said why, in one line" grep -Eq "^tenantrt-shim: tenant \"$A\": watchdog: member [0-9] found stuck [0-9]+ s ago \(.*never finished.*\); stopping the group: SIGTERM to every member, SIGKILL after 2 s$" "$D/p$DOG_LOG.log" "$D/s$DOG_LOG.log"
ok "... and each shim why it exits 124" bash -c "grep -qx 'tenantrt-shim: tenant \"$A\": the watchdog stopped the stuck group; exit 124' '$D/p$DOG_LOG.log' &&
	grep -qx 'tenantrt-shim: tenant \"$A\": the watchdog stopped the stuck group; exit 124' '$D/s$DOG_LOG.log'"
ok "nothing leaked: hugepages, mounts, cgroups, leases, health records, runtime files" no_leftovers "$D"

echo "-- a planned stop: the primary's shim gets SIGTERM, its secondaries exit 0"
C=$(conf planned)
D=$T_TMP/planned
MP=(--total-num-mbufs=8192 --stats-period=60 --rxq=3 --txq=3 --num-procs=3)
bg "$D/p.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${MP[@]}" --proc-id=0
P_SHIM=$BG
ok "primary up" wait_for 30 grep -q "start packet forwarding" "$D/p.log"
bg "$D/s1.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${MP[@]}" --proc-id=1
S1_SHIM=$BG
ok "secondary 1 up" wait_for 30 grep -q 'start packet forwarding' "$D/s1.log"
bg "$D/s2.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd "${MP[@]}" --proc-id=2
S2_SHIM=$BG
ok "secondary 2 up" wait_for 30 grep -q 'start packet forwarding' "$D/s2.log"
P_APP=$(app_of "$C" 0)
S1_APP=$(app_of "$C" 1)
ok "every member running" wait_for 5 bash -c "$(declare -f field state_is); CLI='$CLI'; state_is '$C' 0 running && state_is '$C' 1 running && state_is '$C' 2 running"
"$CLI" status --config "$C" --tenant $A --check >/dev/null
ok "--check passes for a running group (0)" test $? -eq 0
ok "the primary's port counters, through telemetry" wait_for 5 bash -c "$(declare -f field); CLI='$CLI'; field '$C' 0 counters | grep -q rx"
"$CLI" status --config "$C" --prometheus >"$D/metrics.prom"
if promtool_get; then
	ok "--prometheus passes 'promtool check metrics' (Debian's prometheus $($PROMTOOL --version 2>&1 | head -1 | awk '{print $3}'))" \
		bash -c "'$PROMTOOL' check metrics <'$D/metrics.prom'"
	ok "... and a stuck tenant's output too" bash -c "'$PROMTOOL' check metrics <'$T_TMP/never/stuck.prom'"
	printf '# HELP x x\n# TYPE x counter\nx{tenant="a"} 1\n' >"$D/bad.prom"
	ok "(promtool does fail: a counter without _total)" bash -c "! '$PROMTOOL' check metrics <'$D/bad.prom' >/dev/null 2>&1"
else
	ok "promtool (Debian's prometheus package) could be had to check --prometheus" false
fi
ok "--prometheus: states, hugepages, counters of the primary's ports (telemetry)" bash -c "
	grep -qx 'tenantrt_member_state{tenant=\"$A\",member=\"1\",role=\"secondary\",state=\"running\"} 1' '$D/metrics.prom' &&
	grep -qx 'tenantrt_hugepages_quota_bytes{tenant=\"$A\"} 134217728' '$D/metrics.prom' &&
	grep -qx 'tenantrt_hugepage_size_bytes{tenant=\"$A\"} 2097152' '$D/metrics.prom' &&
	grep -Eqx 'tenantrt_member_rx_packets_total\{tenant=\"$A\",member=\"0\",role=\"primary\"\} [0-9]+' '$D/metrics.prom' &&
	grep -qx '# TYPE tenantrt_member_rx_packets_total counter' '$D/metrics.prom'"
kill -TERM "$P_SHIM"
rc_of "$P_SHIM"
ok "the primary's clean stop: 0" test "$RC" -eq 0
rc_of "$S1_SHIM"
ok "secondary 1 exits 0, not 69" test "$RC" -eq 0
ok "... saying the primary stopped on purpose" grep -Eqx \
	"tenantrt-shim: tenant \"$A\": primary \(pid $P_APP\) stopped on purpose; secondary \(pid $S1_APP\) stopped with it \(status [0-9]+\); exit 0" "$D/s1.log"
rc_of "$S2_SHIM"
ok "secondary 2 exits 0" test "$RC" -eq 0
ok "reclaimed, the stop mark with it" no_leftovers "$D"

echo "-- the same with tenantrt-fwd (which exits 69 when its primary goes): SIGINT"
C=$(conf fwd)
D=$T_TMP/fwd
bg "$D/p.log" "$SHIM" --config "$C" --tenant $A -- "$FWD" --adaptive --stats 0
P_SHIM=$BG
ok "fwd primary up (its stats file)" wait_for 30 test -e "$D/run/$A/tenantrt/group"
bg "$D/s1.log" "$SHIM" --config "$C" --tenant $A -- "$FWD" --adaptive --stats 0
S1_SHIM=$BG
ok "fwd secondary running (its heartbeat)" wait_for 15 state_is "$C" 1 running
kill -INT "$P_SHIM"
rc_of "$P_SHIM"
ok "primary 0" test "$RC" -eq 0
rc_of "$S1_SHIM"
ok "secondary 0, whatever the app said" test "$RC" -eq 0
ok "reclaimed" no_leftovers "$D"

echo "-- tenants.yaml edited under a running group: refused in one line, the group unchanged"
C=$(conf edit "" "allowForeignBinaries: true")
D=$T_TMP/edit
bg "$D/p.log" "$SHIM" --config "$C" --tenant $A -- dpdk-testpmd --total-num-mbufs=8192 --stats-period=60
P_SHIM=$BG
ok "primary up" wait_for 30 grep -q "start packet forwarding" "$D/p.log"
P_APP=$(app_of "$C" 0)
cp "$C" "$D/sfs.yaml"
sed -i 's/maxSecondaries: 3/maxSecondaries: 3, singleFileSegments: true/' "$D/sfs.yaml"
"$SHIM" --config "$D/sfs.yaml" --tenant $A -- dpdk-testpmd --total-num-mbufs=8192 --stats-period=60 >"$D/sfs.log" 2>&1
ok "singleFileSegments: true in the edited file: refused (69)" test $? -eq 69
ok "... in one line" bash -c "test \$(grep -vc ': warning: ' '$D/sfs.log') -eq 1 && grep -qx 'tenantrt-shim: tenant \"$A\": group.singleFileSegments is true here but the running group'\"'\"'s primary runs without --single-file-segments; DPDK would silently use the primary'\"'\"'s layout; restart the group to apply the edit, or set it back' '$D/sfs.log'"
cp "$C" "$D/lcores.yaml"
printf '    lcores: {perPrimary: 1}\n' >>"$D/lcores.yaml"
"$SHIM" --config "$D/lcores.yaml" --tenant $A -- dpdk-testpmd --total-num-mbufs=8192 --stats-period=60 >"$D/lc.log" 2>&1
ok "perPrimary 1 in the edited file: refused (69)" test $? -eq 69
ok "... in one line naming the overlap" bash -c "test \$(grep -vc ': warning: ' '$D/lc.log') -eq 1 && grep -qx 'tenantrt-shim: tenant \"$A\": lcores.perPrimary/perSecondary are 1/2 here but 2/2 in the running group: this secondary'\"'\"'s lcore ids 1,2 would overlap the primary'\"'\"'s 0,1; restart the group to apply the edit, or set them back' '$D/lc.log'"
cp "$C" "$D/nics.yaml"
sed -i 's/nics: \[net_null0, net_null1\]/nics: [net_null0]/' "$D/nics.yaml"
"$SHIM" --config "$D/nics.yaml" --tenant $A -- dpdk-testpmd --total-num-mbufs=8192 --stats-period=60 >"$D/nics.log" 2>&1
ok "other devices in the edited file: refused (69)" \
	bash -c "test $? -eq 69 && grep -q 'devices (--vdev=net_null0 --no-pci) differ from the primary' '$D/nics.log'"
ok "the primary runs on, the same pid, the only member" bash -c "
	kill -0 $P_APP && [ \"\$('$CLI' status --config '$C' --json | grep -o '\"member\": ' | wc -l)\" -eq 1 ]"
"$SHIM" --config "$C" --tenant $A -- dpdk-proc-info --stats >"$D/ok.log" 2>&1
ok "a secondary from the group's own file still joins" test $? -eq 0
kill -TERM "$P_SHIM"
wait "$P_SHIM"
ok "reclaimed" no_leftovers "$D"

echo "-- a member in another mount namespace than its group"
C=$(conf mnt)
D=$T_TMP/mnt
bg "$D/p.log" unshare -m --propagation private "$SHIM" --config "$C" --tenant $A -- \
	dpdk-testpmd --total-num-mbufs=8192 --stats-period=60
P_SHIM=$BG
ok "a primary in its own mount namespace (its hugetlbfs mounted there only)" \
	wait_for 30 grep -q "start packet forwarding" "$D/p.log"
ok "... not in this one" bash -c "! grep -q ' $D/huge/$A ' /proc/mounts"
"$SHIM" --config "$C" --tenant $A -- dpdk-testpmd --total-num-mbufs=8192 --stats-period=60 >"$D/s.log" 2>&1
ok "a secondary from here is refused before EAL (69)" test $? -eq 69
ok "... saying why in one line" bash -c "test \$(grep -vc ': warning: ' '$D/s.log') -eq 1 && grep -Eqx 'tenantrt-shim: tenant \"$A\": this shim does not see the group'\"'\"'s hugetlbfs at $D/huge/$A \(device [0-9]+:[0-9]+ here, [0-9]+:[0-9]+ for the primary\): it runs in another mount namespace than its primary, and DPDK would map ordinary files there; give every member the group'\"'\"'s mounts \(one pod, the same volumes\)' '$D/s.log'"
ok "... having made no file where the hugetlbfs is not" test -z "$(ls -A "$D/huge/$A")"
# What the refusal prevents: a secondary started by hand here fails in
# EAL (the group's runtime dir is the primary's tmpfs, not seen here).
RUNTIME_DIRECTORY=$D/run/$A timeout 30 dpdk-testpmd --file-prefix=$A --proc-type=secondary \
	--huge-dir="$D/huge/$A" --lcores=6@0 --vdev=net_null0 --vdev=net_null1 --no-pci -- \
	--stats-period 60 >"$D/raw.log" 2>&1
ok "(by hand, without the shim: EAL fails)" grep -q 'Cannot init EAL' "$D/raw.log"
# Where the runtime dir is no tmpfs of the shim's (a container without
# CAP_SYS_ADMIN), such a secondary gets further and leaves ordinary files
# named like the group's pages under the hugetlbfs mountpoint: as here.
for i in 0 1; do head -c 1048576 /dev/zero >"$D/huge/$A/${A}map_$i"; done
kill -TERM "$P_SHIM"
rc_of "$P_SHIM"
ok "the primary's shim, last out, removes them too, saying so" bash -c "test $RC -eq 0 &&
	grep -Eq '^tenantrt-shim: tenant \"$A\": removed [0-9]+ ordinary files named like hugepages \([0-9]+ MiB\) under $D/huge/$A: a member outside the group.s mounts made them$' '$D/p.log'"
ok "nothing left" no_leftovers "$D"

suite_end
