#!/usr/bin/env bash
# Two tenantrt-shim binaries, interleaved: the median of each start-up
# stage (TENANTRT_SHIM_TIMING=1), from main() to the app's exec, for a
# primary of a tenant with its own netns, cgroups and dynamic uid. On a
# noisy host only an interleaved comparison shows a 0.1 ms change.
#
#   bash tests/tools/shim_ab.sh OLD_SHIM NEW_SHIM [RUNS (41)]
#
# Needs root; uses 64 MB of hugepages; cleans up after itself.
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OLD_SHIM NEW_SHIM [RUNS]" >&2; exit 64; }
A=$(readlink -f "$1") B=$(readlink -f "$2") N=${3:-41}
CLI=$(dirname "$B")/tenantrt
[ "$(id -u)" -eq 0 ] || { echo "shim_ab: needs root" >&2; exit 77; }
tmp=$(mktemp -d /tmp/tenantrt-ab.XXXXXX)
chmod 0755 "$tmp"   # the tenant's uid must reach the app
T=ab$$
cleanup() {
	"$CLI" reap --runtime-root "$tmp/run" >/dev/null 2>&1
	grep -o "$tmp[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount "$m"; done
	rm -rf "$tmp"
}
trap cleanup EXIT
cat >"$tmp/c.yaml" <<EOT
host:
  runtimeRoot: $tmp/run
  hugepageDir: $tmp/huge
tenants:
  - name: $T
    memory: {totalMb: 64, limitMb: 96}
    cpus: "0-1"
    cpuPolicy: shared
    nics: [net_null0]
EOT
cp /bin/true "$tmp/app"
for _ in $(seq "$N"); do
	for w in A B; do
		s=$A
		[ $w = B ] && s=$B
		echo "$w $(TENANTRT_SHIM_TIMING=1 "$s" --config "$tmp/c.yaml" --tenant $T --role primary -- "$tmp/app" 2>&1 >/dev/null |
			sed -n 's/^tenantrt-shim: timing (usec)://p')"
	done
done >"$tmp/out"
python3 - "$tmp/out" "$N" <<'PY'
import collections, re, sys
runs = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    who, rest = line.split(' ', 1)
    for k, v in re.findall(r'([a-z+ ]+?) (\d+)[;,]?', rest.replace('main to app exec', 'total')):
        runs[who][k.strip()].append(int(v))
med = lambda v: sorted(v)[len(v) // 2] if v else 0
print("stage, median of %s runs each (usec):  old  new  new-old" % sys.argv[2])
for k in runs['A']:
    a, b = med(runs['A'][k]), med(runs['B'][k])
    print("  %-10s %6d %6d %+6d" % (k, a, b, b - a))
PY
