#!/usr/bin/env bash
# `make demo`: two isolated tenants moving packets on this host, from
# examples/tenants.yaml, each under tenantrt-shim:
#   acme    a group: a primary that owns acme0/acme1 and distributes flows to
#           two secondaries (tenantrt-fwd in every member)
#   globex  an independent primary on globex0/globex1
# Each NIC is one end of a veth pair; the other end lives in a network
# namespace where trpkt sends a stream of UDP flows into NIC 0 of each
# tenant; tenantrt-fwd forwards it out of NIC 1. Each tenant runs in a
# network namespace of its own (owned by a user namespace of its ids):
# its shim moves the tenant's two ends there at admission and back when
# the tenant stops, so a tenant sees its own interfaces and nothing
# else (tenantrt status, NETNS column). A live table shows the
# tenants for DEMO_SECONDS (10), then everything stops and the host's free
# hugepages are compared with before. Needs root; cleans up on any exit.
set -euo pipefail

build=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
cfg=${TENANTRT_DEMO_CONFIG:-$root/examples/tenants.yaml}
SHIM=$build/tenantrt-shim
FWD=$build/tenantrt-fwd
PKT=$build/tests/tools/trpkt
SECONDS_LIVE=${DEMO_SECONDS:-10}
PPS=${DEMO_PPS:-20000}
NS=trdemo$$

die() { echo "demo: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, hugetlbfs mounts): sudo make demo"
for x in "$SHIM" "$FWD" "$PKT"; do [ -x "$x" ] || die "$x is missing: run 'make demo' (it builds them)"; done
[ -r "$cfg" ] || die "cannot read $cfg"
source "$root/deploy/host/reachable.sh"
# The tenants run tenantrt-fwd as uids of their own: from a build dir out
# of their reach (a clone under /root) the demo runs a copy of it.
APPDIR=""
if ! others_reach "$build"; then
	APPDIR=$(mktemp -d /tmp/tenantrt-demo.XXXXXX)
	chmod 755 "$APPDIR"
	cp "$FWD" "$APPDIR/" && FWD=$APPDIR/tenantrt-fwd
	echo "== $build is out of the tenants' uids' reach (a dir on the way is not o+x): running a copy of tenantrt-fwd from $APPDIR"
fi

hp_free() { awk '/^HugePages_Free:/ {print $2}' /proc/meminfo; }
runroot=$(awk '$1 == "runtimeRoot:" {print $2; exit}' "$cfg")
runroot=${runroot:-/run/tenantrt}
# The NICs of the example: "net_af_packetN,iface=NAME" per tenant.
tenant_ifaces() {
	awk -v t="$1" '$2 == "name:" {cur = $3} cur == t && /iface=/ {
		sub(/.*iface=/, ""); sub(/[,"].*/, ""); print }' "$cfg"
}
ACME_IF=($(tenant_ifaces acme))
GLOBEX_IF=($(tenant_ifaces globex))
[ "${#ACME_IF[@]}" -ge 2 ] && [ "${#GLOBEX_IF[@]}" -ge 2 ] ||
	die "$cfg: expected tenants acme and globex with two iface= NICs each"

SHIMS=()
GENS=()
IFS_MADE=()
HP0=$(hp_free)
cleaned=0
cleanup() {
	[ "$cleaned" = 1 ] && return
	cleaned=1
	set +e
	for p in "${GENS[@]}"; do kill "$p" 2>/dev/null; done
	# Secondaries first, then the primaries; the shim passes the signal
	# on, waits for the app and reaps the tenant's hugepages.
	for ((i = ${#SHIMS[@]} - 1; i >= 0; i--)); do kill -TERM "${SHIMS[$i]}" 2>/dev/null; done
	for p in "${SHIMS[@]}"; do
		for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for p in "${GENS[@]}"; do wait "$p" 2>/dev/null; done
	# A shim that had to be killed leaves its tenant's interfaces in the
	# tenant's pinned netns: reap moves them back first.
	"$build/tenantrt" reap --config "$cfg" >/dev/null 2>&1
	for n in "${IFS_MADE[@]}"; do ip link del "$n" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	[ -n "$APPDIR" ] && rm -rf "$APPDIR"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== host: $(nproc) cpus, HugePages_Free $HP0 (2M), config $cfg"
ip netns add "$NS"
for n in "${ACME_IF[@]}" "${GLOBEX_IF[@]}"; do
	ip link del "$n" 2>/dev/null || true
	ip link add "$n" type veth peer name "${n}p" netns "$NS"
	IFS_MADE+=("$n")
	sysctl -qw "net.ipv6.conf.$n.disable_ipv6=1" 2>/dev/null || true # no IPv6 noise
	ip link set "$n" up
	ip netns exec "$NS" sysctl -qw "net.ipv6.conf.${n}p.disable_ipv6=1" 2>/dev/null || true
	ip netns exec "$NS" ip link set "${n}p" up
done
echo "== veth pairs: ${ACME_IF[*]} ${GLOBEX_IF[*]} here, their peers (…p) in netns $NS"

logs=$(mktemp -d /tmp/tenantrt-demo.XXXXXX)
# shim TENANT ROLE NAME: one member under tenantrt-shim, output to a log.
shim() {
	"$SHIM" --config "$cfg" --tenant "$1" --role "$2" -- "$FWD" --adaptive --stats 0 \
		>"$logs/$3.log" 2>&1 &
	SHIMS+=($!)
}
statdir() { echo "$runroot/$1/tenantrt"; }
wait_file() {
	for _ in $(seq 150); do [ -e "$1" ] && return 0; sleep 0.1; done
	return 1
}

shim acme primary acme-0
wait_file "$(statdir acme)/group" || { cat "$logs/acme-0.log" >&2; die "acme's primary did not come up (log above)"; }
shim acme secondary acme-1
shim acme secondary acme-2
shim globex primary globex-0
wait_file "$(statdir globex)/group" || { cat "$logs/globex-0.log" >&2; die "globex's primary did not come up (log above)"; }
for m in 1 2; do
	wait_file "$(statdir acme)/member-$m" || { cat "$logs/acme-$m.log" >&2; die "acme's secondary $m did not join (log above)"; }
done
echo "== tenants up: acme (primary + 2 secondaries, distribute), globex (independent primary)"
echo "   shim log lines:"
grep -h "tenantrt-fwd" "$logs"/*.log | sed 's/^/     /'

# Traffic: 256 UDP flows into NIC 0 of each tenant, for the whole live phase.
n_pkts=$((PPS * (SECONDS_LIVE + 5)))
ip netns exec "$NS" "$PKT" send "${ACME_IF[0]}p" "$n_pkts" 256 "$PPS" 1 >/dev/null &
GENS+=($!)
ip netns exec "$NS" "$PKT" send "${GLOBEX_IF[0]}p" "$n_pkts" 256 "$PPS" 2 >/dev/null &
GENS+=($!)

# Sums over the members' stats files (format: runtime/tr_shm.h).
tsum() { # TENANT -> "members tx drops processed-per-member"
	local d; d=$(statdir "$1")
	awk '
		FNR == 1 { m++ }
		$1 == "time_ns" && $2 > t { t = $2 }
		$1 == "member" { id = $2 }
		$1 == "port" { tx += $6; drop += $8 }
		$1 == "ring_drop" || $1 == "handler_drop" { drop += $2 }
		$1 == "processed" { per = per (per ? "/" : "") $2 }
		END { printf "%d %d %d %s %s\n", m, tx, drop, per, t }' "$d"/member-* 2>/dev/null
}
huge() { # TENANT -> "used/quota" in 2M pages, from the tenant's hugetlbfs
	local d=$runroot/hugepages/$1
	stat -f -c '%b %f' "$d" 2>/dev/null | awk '{printf "%d/%d", $1 - $2, $1}'
}
quota_of() { awk -v t="$1" '$2 == "name:" {cur = $3} cur == t && $1 == "limitMb:" {print $2}' "$cfg"; }

printf '\n%-4s %-7s %-8s %10s %10s %8s %16s\n' "t" "tenant" "members" "pps(tx)" "total tx" "drops" "hugepages 2M"
# pps per member file, each over its own clock (files are rewritten once
# a second, each at its own moment), summed per tenant.
ptx() { # TENANT -> lines "member tx time_ns"
	local f
	for f in "$(statdir "$1")"/member-*; do
		awk '$1 == "member" {m = $2} $1 == "time_ns" {t = $2} $1 == "port" {tx += $6}
			END {if (m != "") printf "%s %d %s\n", m, tx, t}' "$f" 2>/dev/null
	done
}
declare -A last_tx last_t
snap() { # TENANT -> PPS since the previous call (a global: no subshell,
	# so the per-member history survives)
	local t=$1 m tx ts pps=0
	while read -r m tx ts; do
		if [ -n "${last_t[$t.$m]:-}" ] && [ "$ts" != "${last_t[$t.$m]}" ]; then
			pps=$(awk -v p="$pps" -v a="$tx" -v b="${last_tx[$t.$m]}" -v t1="$ts" -v t0="${last_t[$t.$m]}" \
				'BEGIN {printf "%.0f", p + (a - b) * 1e9 / (t1 - t0)}')
		fi
		last_tx[$t.$m]=$tx
		last_t[$t.$m]=$ts
	done < <(ptx "$t")
	PPS_NOW=$pps
}
for t in acme globex; do snap "$t"; done
for s in $(seq "$SECONDS_LIVE"); do
	sleep 1
	for t in acme globex; do
		read -r m tx drop per _ <<<"$(tsum $t)"
		snap "$t"
		printf '%-4s %-7s %-8s %10s %10s %8s %16s\n' "${s}s" "$t" "$m" "$PPS_NOW" "$tx" "$drop" "$(huge $t)"
	done
done
for p in "${GENS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
GENS=()
sleep 1.2
echo
echo "== per member (packets handed to each member's handler; acme spreads flows by a symmetric hash)"
for t in acme globex; do
	read -r m tx drop per _ <<<"$(tsum $t)"
	echo "   $t: members $m, processed $per, sent $tx, dropped $drop"
done
if "$build/tenantrt" status --help >/dev/null 2>&1; then
	echo "== tenantrt status"
	"$build/tenantrt" status --config "$cfg" 2>&1 | sed 's/^/   /' || true
fi

# No tenant sets `user` in the example: each must run as a uid of its own,
# never as root, and in a mount namespace of its own.
echo "== who the members run as"
as_root=0
for s in "${SHIMS[@]}"; do
	for p in $(pgrep -P "$s"); do
		uid=$(awk '$1 == "Uid:" {print $2}' "/proc/$p/status" 2>/dev/null)
		[ -n "$uid" ] || continue
		own=$([ "$(readlink "/proc/$p/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] && echo "own" || echo "the host's")
		echo "   pid $p: uid $uid, $own mount namespace"
		[ "$uid" = 0 ] && as_root=1
	done
done
[ "$as_root" -eq 0 ] || die "a member runs as root, though no tenant says user: root"

echo "== stopping the tenants"
cleanup
HP1=$(hp_free)
echo "   HugePages_Free before $HP0, after $HP1"
left=$(find "$runroot/hugepages" -name '*map_*' 2>/dev/null | wc -l)
if [ "$HP1" -ge "$HP0" ] && [ "$left" -eq 0 ]; then
	echo "== no hugepage leaked; tenants' hugepage dirs empty"
else
	echo "== hugepages NOT all back ($((HP0 - HP1)) missing, $left files left under $runroot/hugepages)"
	exit 1
fi
rm -rf "$logs"
