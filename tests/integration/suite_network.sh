#!/usr/bin/env bash
# Network and device containment (issue 11), on veth pairs and network
# namespaces this suite creates (never the host's NIC: 0000:00:03.0 / eth0
# are only read, through the shim's checks and `tenantrt plan`).
#
#   - a tenant with an af_packet NIC gets its own netns (owned by a user
#     namespace of its ids), its interface moved in; from there it cannot
#     see, sniff, inject into or change another tenant's interface or the
#     host's (ENODEV, ENXIO, no frame captured, the victim's counters read
#     inside its netns unchanged), nor move links or create/delete host
#     links through rtnetlink (IFLA_TARGET_NETNSID, IFLA_NET_NS_PID)
#   - interfaces come back with their name, MTU, MAC and flags after a
#     normal stop, kill -9 of the app, kill -9 of the shim + `tenantrt reap`
#     or the next admission; under a fallback name on a clash
#   - PCIDEVICE_* naming the host's NIC, a device outside the allow-list,
#     one not bound to vfio-pci, one that does not exist: refused in one
#     line, exit 78, nothing admitted; an interface with host addresses too
#   - a vdev-only tenant's netns is empty; network: host opts out
#   - in a netns a container gives, the shim uses it, says so, and shuts
#     rtnetlink for af_packet
#   - DPDK (testpmd) works on af_packet and net_tap inside
#
# Needs root. Run under the hugepage lock:
#   flock /tmp/tenantrt-hugepages.lock bash tests/integration/suite_network.sh build
source "$(dirname "$0")/lib.sh"
suite_begin "${1:-build}"

[ "$(id -u)" -eq 0 ] || { echo "suite_network: needs root (namespaces, mounts)"; exit 1; }
SHIM=$T_BUILD/tenantrt-shim
CLI=$T_BUILD/tenantrt
NET=$T_BUILD/tests/tools/trnet
for f in "$SHIM" "$CLI" "$NET"; do
	[ -x "$f" ] || { echo "suite_network: $f is missing; run 'make check'"; exit 1; }
done

# Unique per run: other suites run on this host meanwhile. Interface names
# stay within 15 characters.
P=$(($$ % 100000))
A=nta$P
B=ntb$P
V=ntv$P
AU=$((62000 + ($$ % 1000) * 4))
BU=$((AU + 1))
AIF=na$P      # tenant A's interface; its peer ${AIF}p stays on the host
BIF=nb$P      # tenant B's; its peer ${BIF}p lives in netns $NS
HIF=nh$P      # a host victim pair, both ends on the host
NS=ntn$P      # the far side of B's cable
CNS=ntc$P     # a "container" netns the shim is run in
ROOT=$T_TMP/run
CONF=$T_TMP/tenants.yaml
BIN=$T_TMP/bin
mkdir -p "$BIN"

# Apps that skip the EAL arguments the shim puts before theirs.
skip='while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done; shift'
printf '#!/bin/sh\n%s\nls /sys/class/net | tr "\\n" " "; echo\n' "$skip" >"$BIN/lsnet"
printf '#!/bin/sh\n%s\nreadlink /proc/self/ns/net /proc/self/ns/user\n' "$skip" >"$BIN/nsids"
# The tenant changes everything a reclaim must undo, then waits.
cat >"$BIN/mangle" <<EOF
#!/bin/sh
$skip
ip link set $AIF down && ip link set $AIF mtu 1400 address 02:de:ad:00:00:01 promisc on &&
	ip link set $AIF name evil$P && ip link set evil$P up && echo mangled
exec sleep 60
EOF
chmod +x "$BIN"/*

nsx() { ip netns exec "$NS" "$@"; }
veth() { # veth NAME PEER [PEER-NETNS]: up, no IPv6 (no background frames)
	if [ -n "${3:-}" ]; then
		ip link add "$1" type veth peer name "$2" netns "$3"
		ip netns exec "$3" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
		ip netns exec "$3" ip link set "$2" up
	else
		ip link add "$1" type veth peer name "$2"
		sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
		ip link set "$2" up
	fi
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	ip link set "$1" up
}
ip netns add "$NS"
ip netns add "$CNS"
on_exit "ip netns del $NS; ip netns del $CNS"
veth "$AIF" "${AIF}p"
veth "$BIF" "${BIF}p" "$NS"
veth "$HIF" "${HIF}p"
on_exit "ip link del ${AIF}p; ip link del $BIF; ip link del $HIF; ip link del ${AIF}x"
on_exit "'$CLI' reap --runtime-root '$ROOT'"

cat >"$CONF" <<EOF
host:
  runtimeRoot: $ROOT
  hugepageDir: $T_TMP/huge
  hugepageSize: 2M
tenants:
  - name: $A
    memory: {totalMb: 32, limitMb: 64}
    cpus: "0-1"
    cpuPolicy: shared
    nics: ["net_af_packet0,iface=$AIF"]
    user: "$AU:$AU"
  - name: $B
    memory: {totalMb: 16}
    cpus: "0-1"
    cpuPolicy: shared
    nics: ["net_af_packet1,iface=$BIF"]
    user: "$BU:$BU"
  - name: $V
    memory: {totalMb: 16}
    cpus: "0-1"
    cpuPolicy: shared
    nics: [net_null0]
    user: "$BU:$BU"
EOF

PIDS=()
on_exit 'for p in "${PIDS[@]}"; do kill_wait $p; done'
# bg LOG cmd...: in the background, its pid in $BG.
bg() { local log=$1; shift; "$@" </dev/null >"$log" 2>&1 & BG=$!; PIDS+=("$BG"); }
app_pid() { # tenant -> its member 0's app pid (status --json)
	local pid="" end=$((SECONDS + 10))
	while [ -z "$pid" ] && [ "$SECONDS" -lt "$end" ]; do
		pid=$("$CLI" status --config "$CONF" --json | tr -d '\n' | grep -o "\"name\": \"$1\".*" |
			grep -o '"member": 0, "role": "[a-z]*", "pid": [0-9]*' | head -1 | awk '$NF != 0 {print $NF}')
		[ -n "$pid" ] || sleep 0.1
	done
	echo "$pid"
}
# as TENANT OP...: trnet OP through the shim, as the tenant; its output only.
as() { local t=$1; shift; "$SHIM" --config "$CONF" --tenant "$t" -- "$NET" "$@" 2>"$T_TMP/as.err"; }
expect_out() { # expect_out "exact first line" cmd...
	local want=$1 out
	shift
	out=$("$@")
	echo "$out"
	[ "$(echo "$out" | head -1)" = "$want" ]
}
on_host() { [ -e "/sys/class/net/$1" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
link_of() { "$NET" link "$1" "$2" | awk '{$1 = ""; print}'; }   # state without the name

# --- the plan ---------------------------------------------------------------

echo "-- what tenantrt plan says"
"$CLI" plan --config "$CONF" --tenant "$A" >"$T_TMP/plan.txt" 2>&1
ok "A: its own netns, owned by a user namespace of its ids" \
	grep -q "^  namespace       own, made at admission, pinned at $ROOT/.ledger/netns/$A; owned by a user namespace of the tenant's ids$" "$T_TMP/plan.txt"
ok "A: $AIF is checked and moved in" \
	bash -c "grep -q '^  moved in        $AIF\$' '$T_TMP/plan.txt' &&
		 grep -qE '^  iface $AIF +ok +on the host \(ifindex [0-9]+, up, veth\): moved into' '$T_TMP/plan.txt'"
ok "A: NET_RAW + NET_ADMIN, in that user namespace" grep -qx "  capabilities    CAP_NET_ADMIN CAP_NET_RAW" "$T_TMP/plan.txt"
"$CLI" plan --config "$CONF" --tenant "$V" >"$T_TMP/planv.txt" 2>&1
ok "a net_null tenant: an empty netns of its own, no capability" \
	bash -c "grep -q '^  namespace       own, made at admission' '$T_TMP/planv.txt' &&
		 ! grep -q 'owned by a user namespace' '$T_TMP/planv.txt' && grep -qx '  capabilities    none' '$T_TMP/planv.txt'"

# --- the victim B, and what A sees ----------------------------------------------

echo "-- tenant B (victim) runs; tenant A (attacker) looks around"
B_HOST_IDX=$(cat "/sys/class/net/$BIF/ifindex")
bg "$T_TMP/b.log" "$SHIM" --config "$CONF" --tenant "$B" -- "$NET" sleep 300
B_SHIM=$BG
wait_for 20 grep -q '^sleep: pid' "$T_TMP/b.log"
BPID=$(app_pid "$B")
BNS=/proc/$BPID/ns/net
# A move takes the new netns's IPv6 defaults: B's interface would send
# router solicitations, with backoff, all through the counters check below.
nsenter --net="$BNS" sysctl -qw "net.ipv6.conf.$BIF.disable_ipv6=1"
ok "B's interface left the host ..." bash -c "! [ -e /sys/class/net/$BIF ]"
ok "... and is in B's netns, up" bash -c "'$NET' link $BNS $BIF | grep -q '^$BIF up '"
ok "B runs as uid $BU in a user namespace of its own with NET_RAW+NET_ADMIN there" \
	bash -c "grep -qE '^Uid:\s+$BU\s' /proc/$BPID/status &&
		 [ \"\$(readlink /proc/$BPID/ns/user)\" != \"\$(readlink /proc/self/ns/user)\" ] &&
		 grep -qx 'CapEff:	0000000000003000' /proc/$BPID/status"
"$CLI" status --config "$CONF" >"$T_TMP/status.txt"
ok "status shows B's own netns with $BIF" \
	grep -qE "^$B .* own net:\[[0-9]+\] userns $BIF\$" "$T_TMP/status.txt"
ok "the pins are in root's ledger, 0700" \
	test "$(stat -c %a "$ROOT/.ledger/netns")" = 700 -a -e "$ROOT/.ledger/netns/$B" -a -e "$ROOT/.ledger/$B.netns"

ok "A's sysfs shows only lo and its own interface" \
	expect_out "lo $AIF " "$SHIM" --config "$CONF" --tenant "$A" -- "$BIN/lsnet"
ok "A cannot find B's, the far end's, the host's interfaces: ENODEV" \
	bash -c "as() { '$SHIM' --config '$CONF' --tenant $A -- '$NET' \"\$@\" 2>/dev/null; }
		 out=\$(as names $BIF ${BIF}p $HIF eth0 $AIF lo); echo \"\$out\"
		 [ \"\$(echo \"\$out\" | grep -c ENODEV)\" = 4 ] && echo \"\$out\" | grep -q '^$AIF: ok' &&
		 echo \"\$out\" | grep -q '^lo: ok'"
ok "A cannot change the host's eth0 (SIOCSIFFLAGS): ENODEV" \
	expect_out "sifflags: ENODEV (No such device)" as "$A" sifflags eth0
ok "... nor B's interface: ENODEV" expect_out "sifflags: ENODEV (No such device)" as "$A" sifflags "$BIF"
ok "... but its own (the control)" expect_out "sifflags: ok" as "$A" sifflags "$AIF"

echo "-- A sniffs while frames cross B's cable, the host's and its own"
bg "$T_TMP/sniff.log" "$SHIM" --config "$CONF" --tenant "$A" -- "$NET" sniff 4 OWNFRAME VICTIMFRAME HOSTFRAME
SNIFF=$BG
wait_for 20 grep -q 'sniff: listening' "$T_TMP/sniff.log"
nsx "$NET" send "${BIF}p" 50 VICTIMFRAME >/dev/null
"$NET" send "$HIF" 50 HOSTFRAME >/dev/null
"$NET" send "${AIF}p" 50 OWNFRAME >/dev/null
wait "$SNIFF"
ok "A captured its own 50 frames (the sniffer works) ..." grep -qx "sniff OWNFRAME: 50" "$T_TMP/sniff.log"
ok "... and none of B's, none of the host's" \
	bash -c "grep -qx 'sniff VICTIMFRAME: 0' '$T_TMP/sniff.log' && grep -qx 'sniff HOSTFRAME: 0' '$T_TMP/sniff.log'"
ok "B received the 50 frames meant for it" \
	bash -c "'$NET' stats $BNS $BIF | awk '{exit !(\$2 >= 50)}'"

echo "-- A injects and reaches for the host through rtnetlink"
B_STATS0=$("$NET" stats "$BNS" "$BIF")
B_IDX=$B_HOST_IDX   # kept by the move; A's netns has lo and $AIF only
ok "a frame sent to B's ifindex ($B_IDX) from A's netns: ENXIO" \
	expect_out "inject: ENXIO (No such device or address)" as "$A" inject "$B_IDX"
H_IDX=$(cat "/sys/class/net/$HIF/ifindex")
ok "list the host's links (IFLA_TARGET_NETNSID 0): refused, no host name seen" \
	bash -c "out=\$('$SHIM' --config '$CONF' --tenant $A -- '$NET' target-links 0 2>/dev/null); echo \"\$out\";
		 ! echo \"\$out\" | grep -q ': ok' && ! echo \"\$out\" | grep -qw eth0"
ok "delete a host link ($HIF) through nsid 0: EACCES" \
	expect_out "target-del: EACCES (Permission denied)" as "$A" target-del 0 "$H_IDX"
both_on_host() { on_host "$1" && on_host "$2"; }
ok "... $HIF and its peer are still there" both_on_host "$HIF" "${HIF}p"
ok "create a veth with one end on the host: EPERM" \
	expect_out "target-veth: EPERM (Operation not permitted)" as "$A" target-veth 0 "evh$P" "eva$P"
ok "... no such link appeared on the host" bash -c "! [ -e /sys/class/net/evh$P ]"
ok "move its interface into the host's netns (IFLA_NET_NS_PID 1): EPERM" \
	expect_out "move-pid: EPERM (Operation not permitted)" as "$A" move-pid "$AIF" 1
ok "a netns id for the host made by pid does not help either (the links stay refused)" \
	bash -c "'$SHIM' --config '$CONF' --tenant $A -- '$NET' newnsid-pid 1 2>/dev/null; true"
ok "B's counters unchanged by all of it ($B_STATS0)" test "$("$NET" stats "$BNS" "$BIF")" = "$B_STATS0"
ok "B's interface still up in B's netns" bash -c "'$NET' link $BNS $BIF | grep -q '^$BIF up '"
ok "A's interface is back on the host after each of A's runs" on_host "$AIF"
kill_wait "$B_SHIM"
ok "B stopped: its interface back on the host, same ifindex" \
	bash -c "[ -e /sys/class/net/$BIF ] && test \$(cat /sys/class/net/$BIF/ifindex) = $B_HOST_IDX"
ok "... its record and pins gone" bash -c "! [ -e $ROOT/.ledger/$B.netns ] && ! [ -e $ROOT/.ledger/netns/$B ] && ! [ -e $ROOT/.ledger/netns/$B.user ]"

# --- giving interfaces back ---------------------------------------------------------

echo "-- interfaces come back, as they were"
A_LINK0=$(link_of - "$AIF")
echo "   $AIF before: $A_LINK0"
start_mangle() {
	bg "$T_TMP/m.log" "$SHIM" --config "$CONF" --tenant "$A" -- "$BIN/mangle"
	M_SHIM=$BG
	wait_for 20 grep -q mangled "$T_TMP/m.log"
}
restored() { on_host "$AIF" && [ "$(link_of - "$AIF")" = "$A_LINK0" ] && ! on_host "evil$P"; }
start_mangle
ok "inside, A renamed it, changed MTU, MAC, promisc, flags" grep -q mangled "$T_TMP/m.log"
kill_wait "$M_SHIM"
ok "normal stop: back as $AIF with MTU, MAC and flags of before" restored
ok "... said in one line" grep -qx "tenantrt-shim: tenant \"$A\": interface $AIF back on the host" "$T_TMP/m.log"

start_mangle
kill -KILL "$(app_pid "$A")"
wait "$M_SHIM"
M_RC=$?
ok "kill -9 of the app: the shim exits 137 ..." test "$M_RC" = 137
ok "... and gives it back as it was" restored

start_mangle
kill -KILL "$M_SHIM"
wait "$M_SHIM" 2>/dev/null
ok "kill -9 of the shim: the app dies with it, the interface stays in the pinned netns" \
	bash -c "! [ -e /sys/class/net/$AIF ] && ! [ -e /sys/class/net/evil$P ] && [ -e $ROOT/.ledger/$A.netns ]"
"$CLI" reap --config "$CONF" >"$T_TMP/reap.txt" 2>&1
ok "tenantrt reap gives it back as it was ..." restored
ok "... and says so" grep -qx "tenant \"$A\": interface $AIF back on the host" "$T_TMP/reap.txt"
ok "... record and pins gone" bash -c "! [ -e $ROOT/.ledger/$A.netns ] && [ -z \"\$(ls $ROOT/.ledger/netns)\" ]"

start_mangle
kill -KILL "$M_SHIM"
wait "$M_SHIM" 2>/dev/null
"$SHIM" --config "$CONF" --tenant "$V" -- "$BIN/lsnet" >"$T_TMP/next.log" 2>&1
# The admission hands the stale tenant to a sweeper of its own (no
# admission waits for a teardown it needs nothing of): give it time.
ok "kill -9 of the shim: the next admission (another tenant's) gives it back ..." wait_for 10 restored
ok "... and says so" says_within 5 "tenantrt-shim: tenant \"$A\": interface $AIF back on the host" "$T_TMP/next.log"

bg "$T_TMP/c.log" "$SHIM" --config "$CONF" --tenant "$A" -- "$NET" sleep 60
C_SHIM=$BG
wait_for 20 grep -q '^sleep: pid' "$T_TMP/c.log"
A_IDX=$(grep -o "ifindex=[0-9]*" "$ROOT/.ledger/$A.netns" | head -1 | cut -d= -f2)
ip link add "$AIF" type veth peer name "${AIF}x"   # the host takes its name meanwhile
kill_wait "$C_SHIM"
ok "a name taken meanwhile: back as trb$A_IDX ..." on_host "trb$A_IDX"
ok "... said in one line" grep -qx "tenantrt-shim: tenant \"$A\": interface $AIF came back as trb$A_IDX: the host has another $AIF now" "$T_TMP/c.log"
ip link del "$AIF"
ip link set "trb$A_IDX" name "$AIF"

# --- devices refused before anything is admitted -----------------------------

echo "-- devices refused in one line, exit 78, nothing admitted"
PCONF=$T_TMP/pci.yaml
cat >"$PCONF" <<EOF
host:
  runtimeRoot: $T_TMP/prun
  hugepageDir: $T_TMP/phuge
tenants:
  - name: pci$P
    memory: {totalMb: 16}
    cpus: "0"
    nics: [{env: PCIDEVICE_TRX_$P}]
  - name: pcl$P
    memory: {totalMb: 16}
    cpus: "1"
    nics: [{env: PCIDEVICE_TRY_$P, allow: ["0000:00:05.0"], pf: "0000:3b:00.0"}]
EOF
ACONF=$T_TMP/addr.yaml
cat >"$ACONF" <<EOF
host:
  runtimeRoot: $T_TMP/prun
  hugepageDir: $T_TMP/phuge
tenants:
  - name: adr$P
    memory: {totalMb: 16}
    cpus: "1"
    nics: ["net_af_packet0,iface=${HIF}p"]
EOF
refused78() { # refused78 "message" CONFIG TENANT [VAR=VALUE]
	local msg=$1 conf=$2 t=$3 rc
	shift 3
	env "$@" "$SHIM" --config "$conf" --tenant "$t" -- "$NET" sleep 1 >"$T_TMP/r.out" 2>&1
	rc=$?
	cat "$T_TMP/r.out"
	[ "$rc" = 78 ] && [ "$(grep -c . "$T_TMP/r.out")" = 1 ] && grep -qF -- "$msg" "$T_TMP/r.out" &&
		! [ -e "$T_TMP/prun/$t" ] && [ -z "$(ls "$T_TMP/prun/.ledger" 2>/dev/null | grep "^$t\.")" ]
}
ok "PCIDEVICE_* naming the host's NIC 0000:00:03.0 (eth0)" \
	refused78 "tenantrt-shim: tenant \"pci$P\": NIC 0000:00:03.0 (from \$PCIDEVICE_TRX_$P) is the device of eth0, which the host uses (up, address " \
	"$PCONF" "pci$P" "PCIDEVICE_TRX_$P=0000:00:03.0"
ok "a device outside the allow-list" \
	refused78 "tenantrt-shim: tenant \"pcl$P\": NIC 0000:00:04.0 (from \$PCIDEVICE_TRY_$P) is not a device tenants.yaml allows for \$PCIDEVICE_TRY_$P (allow 0000:00:05.0; VFs of 0000:3b:00.0)" \
	"$PCONF" "pcl$P" "PCIDEVICE_TRY_$P=0000:00:04.0"
ok "a device not bound to vfio-pci" \
	refused78 "tenantrt-shim: tenant \"pci$P\": NIC 0000:00:04.0 (from \$PCIDEVICE_TRX_$P) is bound to virtio-pci, not vfio-pci" \
	"$PCONF" "pci$P" "PCIDEVICE_TRX_$P=0000:00:04.0"
ok "a device that does not exist" \
	refused78 "tenantrt-shim: tenant \"pci$P\": NIC 0000:00:09.0 (from \$PCIDEVICE_TRX_$P): no such PCI device" \
	"$PCONF" "pci$P" "PCIDEVICE_TRX_$P=0000:00:09.0"
ok "the host NIC is untouched: still virtio-pci, eth0 up" \
	bash -c "[ \"\$(basename \$(readlink /sys/bus/pci/devices/0000:00:03.0/driver))\" = virtio-pci ] &&
		 [ \$((\$(cat /sys/class/net/eth0/flags) & 1)) = 1 ]"
ip addr add 198.51.100.$((P % 250 + 1))/32 dev "${HIF}p"
ok "an interface with a host address" \
	refused78 "tenantrt-shim: tenant \"adr$P\": interface ${HIF}p carries host addresses (198.51.100." "$ACONF" "adr$P"
ok "... it stays on the host with its address" ip -o addr show dev "${HIF}p" to 198.51.100.0/24
ECONF=$T_TMP/eth0.yaml
sed "s/iface=${HIF}p/iface=eth0/" "$ACONF" >"$ECONF"
"$CLI" plan --config "$ECONF" --tenant "adr$P" >"$T_TMP/eplan.txt" 2>&1
E_RC=$?
ok "tenantrt plan: moving eth0 into a tenant is REFUSED (exit 78)" \
	bash -c "test $E_RC = 78 && grep -qE '^  iface eth0 +REFUSED interface eth0 carries host addresses' '$T_TMP/eplan.txt'"

# --- no network at all for vdev tenants; network: host ----------------------------

echo "-- a net_null tenant's netns is empty"
ok "it sees lo only" expect_out "lo " "$SHIM" --config "$CONF" --tenant "$V" -- "$BIN/lsnet"
ok "and no host interface: ENODEV" \
	bash -c "'$SHIM' --config '$CONF' --tenant $V -- '$NET' names eth0 $AIF 2>/dev/null | grep -c ENODEV | grep -qx 2"
HCONF=$T_TMP/host.yaml
sed "s/^    nics: \[net_null0\]/    nics: [net_null0]\n    network: host/" "$CONF" >"$HCONF"
"$SHIM" --config "$HCONF" --tenant "$V" -- "$BIN/lsnet" >"$T_TMP/h.out" 2>&1
ok "network: host: the host's interfaces, with the positioned warning" \
	bash -c "grep -q eth0 '$T_TMP/h.out' &&
		 grep -qE '^$HCONF:[0-9]+:14: warning: tenant \"$V\": network: host: its processes share the shim' '$T_TMP/h.out'"

# --- a group shares one netns ---------------------------------------------------

echo "-- a group: every member in the tenant's netns"
GCONF=$T_TMP/group.yaml
sed "/name: $A/,/user:/ s/^    user: .*/&\n    group: {maxSecondaries: 1, allowForeignBinaries: true}/" "$CONF" >"$GCONF"
# Stands in for EAL: the primary takes the config lock DPDK takes.
cat >"$BIN/eal" <<EOF
#!/usr/bin/env python3
import fcntl, os, time
role = os.environ["TENANTRT_ROLE"]
d = os.environ["RUNTIME_DIRECTORY"] + "/dpdk/" + os.environ["TENANTRT_TENANT"]
print(role, os.readlink("/proc/self/ns/net"), os.readlink("/proc/self/ns/user"), flush=True)
if role == "primary":
    os.makedirs(d, exist_ok=True)
    f = open(d + "/config", "w")
    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    time.sleep(30)
EOF
chmod +x "$BIN/eal"
bg "$T_TMP/gp.log" "$SHIM" --config "$GCONF" --tenant "$A" -- "$BIN/eal"
G_SHIM=$BG
wait_for 20 grep -q '^primary' "$T_TMP/gp.log"
"$SHIM" --config "$GCONF" --tenant "$A" -- "$BIN/eal" >"$T_TMP/gs.log" 2>&1
ok "the secondary joined the primary's netns and user namespace" \
	bash -c "p=\$(grep '^primary' '$T_TMP/gp.log' | cut -d' ' -f2-); s=\$(grep '^secondary' '$T_TMP/gs.log' | cut -d' ' -f2-);
		 echo \"\$p / \$s\"; [ -n \"\$p\" ] && [ \"\$p\" = \"\$s\" ]"
kill_wait "$G_SHIM"
ok "the group gone: $AIF back" on_host "$AIF"

# --- a netns the container gives ---------------------------------------------------

echo "-- the shim in a netns a container gives"
ip link add "nc$P" netns "$CNS" type veth peer name "ncp$P" netns "$CNS"
CCONF=$T_TMP/cont.yaml
sed "s/iface=$AIF/iface=nc$P/; s#runtimeRoot: $ROOT#runtimeRoot: $T_TMP/crun#" "$CONF" >"$CCONF"
ip netns exec "$CNS" "$CLI" plan --config "$CCONF" --tenant "$A" >"$T_TMP/cplan.txt" 2>&1
ok "plan: the container's netns, used as it is; rtnetlink refused" \
	bash -c "grep -q '^  namespace       the container.s (net:\[[0-9]*\]), used as it is' '$T_TMP/cplan.txt' &&
		 grep -q '^  rtnetlink       refused (seccomp: no NETLINK_ROUTE socket)' '$T_TMP/cplan.txt'"
ip netns exec "$CNS" "$SHIM" --config "$CCONF" --tenant "$A" -- "$NET" sleep 30 >"$T_TMP/cont.log" 2>&1 &
CONT=$!
PIDS+=("$CONT")
wait_for 20 grep -q '^sleep: pid' "$T_TMP/cont.log"
ok "status says so" bash -c "'$CLI' status --config '$CCONF' | grep -qE '^$A .* container net:\[[0-9]+\]'"
kill_wait "$CONT"
cas() { ip netns exec "$CNS" "$SHIM" --config "$CCONF" --tenant "$A" -- "$NET" "$@" 2>/dev/null; }
ok "its interface is used where it is (no move)" expect_out "nc$P: ok ifindex $(ip netns exec "$CNS" cat /sys/class/net/nc$P/ifindex)" cas names "nc$P"
ok "an af_packet tenant there gets no rtnetlink socket: EACCES" expect_out "rtnl: EACCES (Permission denied)" cas rtnl

# --- DPDK inside --------------------------------------------------------------------

echo "-- testpmd on af_packet and net_tap inside the tenant's netns"
DCONF=$T_TMP/dpdk.yaml
sed "s/nics: \[\"net_af_packet0,iface=$AIF\"\]/nics: [\"net_af_packet0,iface=$AIF\", \"net_tap0,iface=ntt$P\"]/" "$CONF" >"$DCONF"
bg "$T_TMP/pmd.log" "$SHIM" --config "$DCONF" --tenant "$A" -- dpdk-testpmd --forward-mode=io \
	--auto-start --stats-period=1 --total-num-mbufs=2048
PMD=$BG
wait_for 30 grep -q 'RX-packets' "$T_TMP/pmd.log"
sleep 1
"$NET" send "${AIF}p" 100 TOPMD >/dev/null
sleep 2.5
rx_max() { grep -oE 'RX-packets: +[0-9]+' "$T_TMP/pmd.log" | awk '{print $2}' | sort -n | tail -1; }
ok "both ports started (af_packet and tap)" \
	bash -c "grep -q 'Port 0: ' '$T_TMP/pmd.log' && grep -q 'Port 1: ' '$T_TMP/pmd.log' && ! grep -q 'Fail to start' '$T_TMP/pmd.log'"
ok "testpmd received the 100 frames sent into $AIF's cable" test "$(rx_max)" -ge 100
ok "its tap is in the tenant's netns, not on the host" bash -c "! [ -e /sys/class/net/ntt$P ]"
kill_wait "$PMD"
ok "testpmd stopped: $AIF back, its tap gone with the netns" \
	bash -c "[ -e /sys/class/net/$AIF ] && ! [ -e /sys/class/net/ntt$P ] && [ -z \"\$(ls $ROOT/.ledger/netns)\" ]"

suite_end
