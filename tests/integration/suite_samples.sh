#!/usr/bin/env bash
# DPDK's own samples as tenant apps. tests/samples/build.sh builds them from
# Debian's dpdk-doc (the 22.11 sources of the installed libdpdk) into
# BUILD/samples; nothing of them is in this tree. Each runs under
# tenantrt-shim the way a DPDK user writes it, APP [EAL options] --
# [app options], on net_null vdevs (the plan adds --no-pci), and each case
# asserts what the sample itself prints:
#   client_server_mp  a group of two binaries: mp_server primary, mp_client
#                     secondary (allowForeignBinaries); the client receives
#                     and forwards millions of packets a second, on a cpu
#                     of its own (placement)
#   symmetric_mp      a group of two: each process RXes and TXes on its
#                     own queue of both ports
#   simple_mp         primary and secondary exchange a message over its
#                     rings, driven through stdin
#   l2fwd             an independent primary forwarding a net_null pair
# and dpdk-testpmd for the command line itself: EAL options before the
# app's "--" reach EAL, an option tenants.yaml owns is refused.
# Bounded (about a minute and a half) and leak-free (HugePages_Free back).
#   bash tests/integration/suite_samples.sh build
source "$(dirname "$0")/lib.sh"
suite_begin "${1:-build}"

[ "$(id -u)" -eq 0 ] || { echo "suite_samples: needs root (hugetlbfs mounts)"; exit 1; }
command -v dpdk-testpmd >/dev/null || { echo "suite_samples: dpdk-testpmd missing (apt-get install dpdk)"; exit 1; }

SHIM=$T_BUILD/tenantrt-shim
CLI=$T_BUILD/tenantrt
S=$T_BUILD/samples
PIDS=()
# Tenant names carry the suite's pid: cgroups are named after the tenant
# host-wide, and other suites may be running tenants right now.
CS=cs$$ SY=sy$$ SM=sm$$ L2=l2$$ TP=tp$$

ok "the samples build from dpdk-doc (tests/samples/build.sh)" \
	bash "$(dirname "$0")/../samples/build.sh" "$T_BUILD"
for b in mp_server mp_client symmetric_mp simple_mp l2fwd; do
	[ -x "$S/$b" ] || { echo "suite_samples: $S/$b missing; cannot go on"; suite_end; exit 1; }
done

on_exit reap_all

# conf NAME: a config of one tenant (YAML on stdin) with its own
# runtimeRoot and hugepageDir, so no other tenant's warnings get in; prints
# its path. Every tenant gets cpus 0-1, as the samples were measured bare.
conf() {
	local dir="$T_TMP/$1"
	mkdir -p "$dir"
	{
		printf 'host:\n  runtimeRoot: %s/run\n  hugepageDir: %s/huge\n  cpus: "0-1"\ntenants:\n' "$dir" "$dir"
		cat
	} >"$dir/t.yaml"
	echo "$dir/t.yaml"
}
# bg LOG cmd...: start in the background (stdin /dev/null), pid in $BG.
bg() {
	local log=$1
	shift
	"$@" </dev/null >"$log" 2>&1 &
	BG=$!
	PIDS+=("$BG")
}
# stop PID: SIGINT, forwarded by the shim to its app (the samples print
# their counters and flush stdout on it), then wait; the status in $RC.
stop() {
	local i
	kill -INT "$1" 2>/dev/null
	for i in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill_wait "$1"
	wait "$1" 2>/dev/null
	RC=$?
}
inited() { grep -q "Finished Process Init" "$1"; }
# The app under a shim (its only child).
app_of() { pgrep -P "$1" | head -1; }
# no_leftovers DIR TENANT: runtime dir, mount, hugepage dir, leases gone;
# its dynamic uid's record stays, released (host/dynuid.h: it keeps the
# uid across restarts)
no_leftovers() {
	[ ! -e "$1/run/$2" ] && ! grep -q " $1/huge/$2 " /proc/mounts &&
		[ -z "$(ls "$1/run/.ledger" 2>/dev/null | grep "^$2\." | grep -vx "$2\.uid")" ] &&
		{ [ ! -e "$1/run/.ledger/$2.uid" ] || grep -qx 'state=released' "$1/run/.ledger/$2.uid"; }
}
# Strip the samples' clear-screen codes.
plain() { sed 's/\x1b\[2J//g; s/\x1b\[1;1H//g' "$1"; }

echo "-- client_server_mp: mp_server primary, mp_client secondary (another binary) (at ${SECONDS}s)"
C=$(conf cs <<EOT
  - name: $CS
    memory: { totalMb: 64 }
    cpus: "0-1"
    cpuPolicy: shared
    lcores: { perPrimary: 2, perSecondary: 1 }   # the server's 2nd lcore prints its stats
    nics: [net_null0, net_null1]
    group: { maxSecondaries: 1, allowForeignBinaries: true }
EOT
)
D=$T_TMP/cs
"$CLI" plan --config "$C" --tenant $CS --json -- "$S/mp_server" -- -p 0x3 -n 1 >"$D/p.json" 2>/dev/null
"$CLI" plan --config "$C" --tenant $CS --role secondary --json -- "$S/mp_client" -- -n 0 >"$D/s.json" 2>/dev/null
ok "plan: the server's main lcore on cpu 0, the client's on cpu 1, the stats lcore beside the server" \
	python3 -c "import json; p=json.load(open('$D/p.json')); s=json.load(open('$D/s.json'));
assert p['lcores']==[{'id':0,'cpu':0},{'id':1,'cpu':0}] and s['lcores']==[{'id':2,'cpu':1}], (p['lcores'], s['lcores'])
assert p['app_args']==['-p','0x3','-n','1'] and s['app_args']==['-n','0'] and p['user_eal']==[], p"
bg "$D/server.log" "$SHIM" --config "$C" --tenant $CS --role primary -- "$S/mp_server" -- -p 0x3 -n 1
SRV=$BG
ok "mp_server comes up under the shim" wait_for 30 inited "$D/server.log"
# The client looks the server's rings up at start: after its init only.
bg "$D/client.log" "$SHIM" --config "$C" --tenant $CS --role secondary -- "$S/mp_client" -- -n 0
CLNT=$BG
ok "mp_client joins as a secondary" wait_for 30 inited "$D/client.log"
ok "... admitted as another binary, with the warning" grep -qxF \
	"tenantrt-shim: warning: tenant \"$CS\": mp_client is not the primary's binary; function pointers (rte_hash, mempool ops) do not cross binaries" \
	"$D/client.log"
CAPP=$(app_of "$CLNT")
ok "... its app runs lcore 2 on cpu 1 (/proc/PID/cmdline), away from the server's cpu 0" \
	bash -c "tr '\0' '\n' </proc/$CAPP/cmdline | grep -qx -- '--lcores=2@1'"
sleep 5.5   # the server's first stats table comes 4 s after its start, then one a second
stop "$CLNT"
stop "$SRV"
ok "mp_server exits 0 on SIGINT through the shim" test "$RC" -eq 0
# Rates from the server's own tables, one a second: client 0's rx between
# two tables (the best second: the client stops first). With both main lcores on
# cpu 0 (the old placement) the client got 48,768 packets in all.
plain "$D/server.log" | awk '/^Client  0 - rx:/ {gsub(",", ""); r[++n] = $5}
	/^Port 0 - rx:/ {tx[n + 1] = $7}
	END {for (i = 2; i <= n; i++) if (r[i] - r[i - 1] > m) m = r[i] - r[i - 1]; print n, m + 0, r[n], tx[n]}' >"$D/rates"
read -r TABLES CRATE CRX PTX <"$D/rates"
echo "   server tables: $TABLES; client 0 received $CRX, at most $CRATE in one second; port 0 sent $PTX"
ok "the server printed at least two stats tables" test "$TABLES" -ge 2
ok "client 0 receives more than 1 Mpps (its own cpu)" test "$CRATE" -gt 1000000
ok "... and what it sends leaves through the ports (port 0 tx > 0)" test "${PTX:-0}" -gt 0
ok "the group leaves nothing behind" no_leftovers "$D" $CS

echo "-- symmetric_mp: two processes, one queue pair of each port each (at ${SECONDS}s)"
C=$(conf sy <<EOT
  - name: $SY
    memory: { totalMb: 192 }                     # 64 K mbufs: 154 MB in use
    cpus: "0-1"
    cpuPolicy: shared
    lcores: { perPrimary: 1, perSecondary: 1 }
    nics: [net_null0, net_null1]
    group: { maxSecondaries: 1 }
    datapath: { mode: symmetric }
EOT
)
D=$T_TMP/sy
A=(-p 0x3 --num-procs=2)
bg "$D/p0.log" "$SHIM" --config "$C" --tenant $SY --role primary -- "$S/symmetric_mp" -- "${A[@]}" --proc-id=0
P0=$BG
ok "symmetric_mp primary comes up" wait_for 30 inited "$D/p0.log"
bg "$D/p1.log" "$SHIM" --config "$C" --tenant $SY --role secondary -- "$S/symmetric_mp" -- "${A[@]}" --proc-id=1
P1=$BG
ok "symmetric_mp secondary (member 1, --proc-id=1) joins" wait_for 30 inited "$D/p1.log"
sleep 2
stop "$P1"
R1=$RC
stop "$P0"
R0=$RC
ok "both exit 0 on SIGINT through their shims" test "$R0$R1" = 00
# "Port N: RX - n, TX - n, Drop - n", for this process's queue of port N
counts() { awk -v p="$2" '$1 == "Port" && $2 == p":" {gsub(",", ""); print $5, $8}' "$1"; }
moved() { local rx tx; read -r rx tx < <(counts "$1" "$2"); [ "${rx:-0}" -gt 1000 ] && [ "${tx:-0}" -gt 1000 ]; }
for f in p0 p1; do
	echo "   $f: $(grep '^Port' "$D/$f.log" | tr '\n' ' ')"
	ok "process $f received and sent on its queue of port 0" moved "$D/$f.log" 0
	ok "process $f received and sent on its queue of port 1" moved "$D/$f.log" 1
done
ok "the group leaves nothing behind" no_leftovers "$D" $SY

echo "-- simple_mp: a message each way over its rings, its command line on stdin (at ${SECONDS}s)"
C=$(conf sm <<EOT
  - name: $SM
    memory: { totalMb: 32 }
    cpus: "0-1"
    cpuPolicy: shared
    lcores: { perPrimary: 2, perSecondary: 2 }   # main: the command line; worker: receives
    nics: []
    group: { maxSecondaries: 1 }
EOT
)
D=$T_TMP/sm
mkfifo "$D/in0" "$D/in1"
# stdin from a fifo this shell keeps open (no EOF: simple_mp hangs at EOF
# without "quit"); fd 7 and 8 are not passed on to the apps.
"$SHIM" --config "$C" --tenant $SM --role primary -- "$S/simple_mp" <"$D/in0" >"$D/p0.log" 2>&1 7>&- 8>&- &
M0=$!
PIDS+=("$M0")
exec 7>"$D/in0"
ok "simple_mp primary comes up" wait_for 30 inited "$D/p0.log"
"$SHIM" --config "$C" --tenant $SM --role secondary -- "$S/simple_mp" <"$D/in1" >"$D/p1.log" 2>&1 7>&- 8>&- &
M1=$!
PIDS+=("$M1")
exec 8>"$D/in1"
ok "simple_mp secondary joins" wait_for 30 inited "$D/p1.log"
echo "send hello_from_primary" >&7
echo "send hello_from_secondary" >&8
sleep 1
echo quit >&8
echo quit >&7
exec 7>&- 8>&-
for p in "$M1" "$M0"; do
	for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
done
wait "$M1"; R1=$?
wait "$M0"; R0=$?
ok "both exit 0 after 'quit' on stdin" test "$R0$R1" = 00
ok "the primary's receiver (lcore 1) got the secondary's message" \
	grep -qxF "core 1: Received 'hello_from_secondary'" "$D/p0.log"
ok "the secondary's receiver (lcore 3) got the primary's message" \
	grep -qxF "core 3: Received 'hello_from_primary'" "$D/p1.log"
ok "the group leaves nothing behind" no_leftovers "$D" $SM

echo "-- l2fwd: an independent primary, one lcore per port (at ${SECONDS}s)"
C=$(conf l2 <<EOT
  - name: $L2
    memory: { totalMb: 64 }
    cpus: "0-1"
    cpuPolicy: shared
    lcores: { perPrimary: 2 }
    nics: [net_null0, net_null1]
EOT
)
D=$T_TMP/l2
# "-- -p 0x3" is what broke before the DPDK habit was accepted: the app
# got "-- -p 0x3" and said "All available ports are disabled".
bg "$D/l2.log" "$SHIM" --config "$C" --tenant $L2 -- "$S/l2fwd" -- -p 0x3 -T 1
L2P=$BG
ok "l2fwd comes up and forwards on both lcores" wait_for 30 bash -c "[ \$(grep -c 'entering main loop' '$D/l2.log') -eq 2 ]"
sleep 3.5
stop "$L2P"
ok "l2fwd exits 0 on SIGINT ('Bye...')" bash -c "[ $RC -eq 0 ] && grep -qx 'Bye...' '$D/l2.log'"
plain "$D/l2.log" | awk '/^Total packets sent:/ {s[++n] = $4} /^Total packets received:/ {r = $4}
	END {for (i = 2; i <= n; i++) if (s[i] - s[i - 1] > m) m = s[i] - s[i - 1]; print n, m + 0, r}' >"$D/rates"
read -r TABLES SRATE RX <"$D/rates"
echo "   l2fwd tables: $TABLES; at most $SRATE sent in one second; $RX received in all"
ok "l2fwd printed at least two stats tables" test "$TABLES" -ge 2
ok "l2fwd sends more than 1 Mpps" test "$SRATE" -gt 1000000
ok "l2fwd leaves nothing behind" no_leftovers "$D" $L2

echo "-- dpdk-testpmd: APP [EAL options] -- [app options] (at ${SECONDS}s)"
C=$(conf tp <<EOT
  - name: $TP
    memory: { totalMb: 64 }
    cpus: "0-1"
    cpuPolicy: shared
    nics: [net_null0]
EOT
)
D=$T_TMP/tp
mkfifo "$D/in"
"$SHIM" --config "$C" --tenant $TP -- dpdk-testpmd --log-level=lib.eal:debug -- -i --total-num-mbufs=2048 \
	<"$D/in" >"$D/tp.log" 2>&1 7>&- &
TPS=$!
PIDS+=("$TPS")
exec 7>"$D/in"
ok "testpmd comes up interactive (-i after the user's -- is the app's)" \
	wait_for 30 grep -q "testpmd> " "$D/tp.log"
TPA=$(app_of "$TPS")
tr '\0' '\n' <"/proc/$TPA/cmdline" >"$D/argv"
"$CLI" plan --config "$C" --tenant $TP -- dpdk-testpmd --log-level=lib.eal:debug -- -i --total-num-mbufs=2048 2>/dev/null |
	sed -n '/^argv:/,/^env/p' | sed '1d;$d; s/^  //' >"$D/planned"
ok "the app's argv is the plan's: the user's EAL option before the one --, the app's after it" \
	bash -c "diff '$D/planned' '$D/argv' && [ \$(grep -cx -- '--' '$D/argv') -eq 1 ] &&
		 [ \$(grep -nx -- '--log-level=lib.eal:debug' '$D/argv' | cut -d: -f1) -eq \$((\$(grep -nx -- '--' '$D/argv' | cut -d: -f1) - 1)) ] &&
		 [ \"\$(sed -n '/^--\$/,\$p' '$D/argv' | tr '\n' ' ')\" = '-- -i --total-num-mbufs=2048 ' ]"
ok "... and EAL took it: its debug lines are in the log" grep -q "EAL: Module /sys/module/vfio" "$D/tp.log"
echo quit >&7
exec 7>&-
for _ in $(seq 100); do kill -0 "$TPS" 2>/dev/null || break; sleep 0.1; done
wait "$TPS"
ok "testpmd exits 0 on 'quit'" test $? -eq 0
"$SHIM" --config "$C" --tenant $TP -- dpdk-testpmd -l 0-1 -- -i >"$D/refused.log" 2>&1
ok "an EAL option tenants.yaml owns (-l) is refused with 64" test $? -eq 64
ok "... in one line naming the setting that owns it" bash -c "[ \"\$(cat '$D/refused.log')\" = \
	'tenantrt-shim: tenant \"$TP\": EAL option -l is tenantrt'\"'\"'s: set lcores.perPrimary/perSecondary and cpus in tenants.yaml' ]"
"$SHIM" --config "$C" --tenant $TP -- dpdk-testpmd --file-prefix=other -- -i >"$D/refused2.log" 2>&1
RC=$?
ok "--file-prefix is refused too (64), saying it is the tenant's name" bash -c "[ $RC -eq 64 ] &&
	grep -qxF 'tenantrt-shim: tenant \"$TP\": EAL option --file-prefix is tenantrt'\"'\"'s (the tenant'\"'\"'s name); remove it' '$D/refused2.log'"
ok "testpmd's tenant leaves nothing behind" no_leftovers "$D" $TP

suite_end
