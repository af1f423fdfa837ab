#!/usr/bin/env bash
# `make bench`: every tests/bench/*.sh but this one, in name order. These are
# benchmarks, not tests: they print figures and fail only when they could
# not run.
set -uo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
failed=0
echo "== bench on $(nproc) cpus: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "   load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the host skews absolute figures; ratios are side by side)"
for b in "$here"/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $(basename "$b" .sh)"
	bash "$b" "$build" || failed=1
done
exit "$failed"
