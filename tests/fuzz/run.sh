#!/usr/bin/env bash
# Runs the libFuzzer target over the seed corpus for a bounded time.
# Usage: run.sh FUZZ_BIN SECONDS
set -uo pipefail
bin=$1
secs=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tenantrt-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp "$here"/corpus/* "$work"/ 2>/dev/null || true
if "$bin" -max_total_time="$secs" -max_len=65536 -timeout=5 -rss_limit_mb=2048 -artifact_prefix="$work/" \
	-print_final_stats=0 "$work" >"$work.log" 2>&1; then
	runs=$(grep -oE '#[0-9]+' "$work.log" | tail -n1 | tr -d '#')
	echo "fuzz_config: ${runs:-?} inputs in ${secs}s, no crash, no sanitizer report"
	echo "1 passed, 0 failed"
	rm -f "$work.log"
	exit 0
fi
tail -n 40 "$work.log"
rm -f "$work.log"
echo "0 passed, 1 failed"
exit 1
