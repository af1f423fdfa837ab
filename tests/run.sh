#!/usr/bin/env bash
# Runs every suite: cmocka unit tests (each prints its summary), the fuzz
# target for a bounded time, and the integration suites (root only).
# Exit status: non-zero when any suite failed.
set -uo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
failed=0

# One binary per source: a binary left in the build dir by a test file
# that was since renamed or removed is not run; a source whose binary is
# missing is a failure, not a silent skip.
echo "== unit tests"
for src in "$here"/unit/test_*.c "$here"/unit/rt_test_*.c; do
	t=$build/tests/$(basename "$src" .c)
	if [ ! -x "$t" ]; then
		echo "tests: $t missing; build it with 'make check'"
		failed=1
		continue
	fi
	"$t" || failed=1
done

echo "== fuzz (bounded: ${TENANTRT_FUZZ_SECONDS:-20}s)"
bash "$here/fuzz/run.sh" "$build/fuzz/fuzz_config" "${TENANTRT_FUZZ_SECONDS:-20}" || failed=1

if [ "$(id -u)" -ne 0 ]; then
	echo "== integration tests skipped: they need root (hugepages, mounts, namespaces); run 'sudo make test'"
else
	for s in "$here"/integration/suite_*.sh; do
		[ -f "$s" ] || continue
		echo "== $(basename "$s" .sh)"
		bash "$s" "$build" || failed=1
	done
fi

if [ "$failed" -ne 0 ]; then
	echo "tests: FAILED"
else
	echo "tests: all suites passed"
fi
exit "$failed"
