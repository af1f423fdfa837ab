#!/usr/bin/env bash
# Shared helpers for the integration suites (sourced). Each suite:
#   source "$(dirname "$0")/lib.sh"; suite_begin "$1"
#   ok "what is asserted" <command...>     passes when the command exits 0
#   ... ; suite_end                         prints "N passed, N failed"
# suite_begin snapshots HugePages_Free; suite_end asserts it is back, after
# running the suite's cleanup hooks (register with on_exit "cmd").
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../deploy/host/reachable.sh"

T_PASS=0
T_FAIL=0
T_CLEANUP=()
T_BUILD=""
T_TMP=""
T_HP_FREE0=""

hp_free() { awk '/^HugePages_Free:/ {print $2}' /proc/meminfo; }

suite_begin() {
	T_BUILD=$(cd "${1:-build}" && pwd)
	T_TMP=$(mktemp -d /tmp/tenantrt-test.XXXXXX)
	# mktemp makes it 0700; tenants run as uids of their own (a dynamic
	# one without user:), which must pass through it to their runtimeRoot,
	# hugepageDir and apps. Searchable, not listable.
	chmod 711 "$T_TMP"
	# The tenants' apps (tenantrt-fwd, the samples, the test tools) come
	# from the build dir: out of their uids' reach (a clone under /root),
	# the suite runs a copy of it in T_TMP, as an operator installs apps.
	if ! others_reach "$T_BUILD"; then
		cp -a "$T_BUILD" "$T_TMP/build" && T_BUILD=$T_TMP/build
		echo "  ..    the build dir is out of the tenants' uids' reach: running a copy in $T_BUILD"
	fi
	T_HP_FREE0=$(hp_free)
	trap suite_cleanup EXIT
	export PATH="$T_BUILD:$PATH"
}

on_exit() { T_CLEANUP+=("$*"); }

# testpmd_rx LOG: the last RX-packets figure testpmd printed in LOG
# (--stats-period); empty before its first table.
testpmd_rx() { grep -oE 'RX-packets: +[0-9]+ +RX-missed' "$1" | tail -1 | awk '{print $2}'; }
testpmd_forwarding() { local n; n=$(testpmd_rx "$1"); [ -n "$n" ] && [ "$n" -gt 0 ]; }
# must_forward SUITE WHO LOG: wait 20 s for testpmd's RX to rise in LOG,
# else end the suite saying so, with LOG's tail.
must_forward() {
	wait_for 20 testpmd_forwarding "$3" && return 0
	echo "$1: $2 did not start forwarding:"
	tail -20 "$3"
	exit 1
}

# reap_all: the suites' last resort (on_exit reap_all). SIGKILL every pid
# the suite put in PIDS (its shims), then reap each runtimeRoot
# T_TMP/*/run and unmount whatever reap could not (a test that failed
# half-way).
reap_all() {
	local p d
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	sleep 0.3
	for d in "$T_TMP"/*/; do
		[ -d "$d/run/.ledger" ] && "$T_BUILD/tenantrt" reap --runtime-root "$d/run" >/dev/null 2>&1
		grep -o "$d[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount "$m"; done
	done
}

# ledger_left LEDGER: what a ledger holds besides its lock, an empty netns
# pin dir and the uid records of released tenants (a tenant's uid stays
# recorded, free for it again); one name a line, nothing when clean.
ledger_left() {
	local f
	for f in $(ls -A "$1" 2>/dev/null); do
		case $f in
		lock) ;;
		netns) [ -z "$(ls -A "$1/netns")" ] || echo "netns/$(ls -A "$1/netns" | head -1)" ;;
		*.uid) grep -qx 'state=released' "$1/$f" || echo "$f" ;;
		*) echo "$f" ;;
		esac
	done
}

suite_cleanup() {
	local i
	for ((i = ${#T_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${T_CLEANUP[$i]}" >/dev/null 2>&1 || true
	done
	T_CLEANUP=()
	[ -n "$T_TMP" ] && rm -rf "$T_TMP"
	T_TMP=""
}

ok() {
	local what=$1
	shift
	if "$@" >"$T_TMP/last.out" 2>&1; then
		T_PASS=$((T_PASS + 1))
		echo "  ok    $what"
	else
		T_FAIL=$((T_FAIL + 1))
		echo "  FAIL  $what"
		sed 's/^/        | /' "$T_TMP/last.out" | tail -n 20
	fi
}

# Wait up to $1 seconds for a command to succeed.
wait_for() {
	local secs=$1
	shift
	local end=$((SECONDS + secs))
	while ! "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# Wait up to SECS for LINE, whole, in FILE; on failure show what is there.
says_within() {
	wait_for "$1" grep -qxF -- "$2" "$3" && return 0
	echo "no line \"$2\" in $3 within $1 s; it has:"
	cat "$3"
	return 1
}

# Kill a pid (TERM, then KILL) and wait for it to go.
kill_wait() {
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

suite_end() {
	suite_cleanup
	local now
	now=$(hp_free)
	if [ "$now" = "$T_HP_FREE0" ]; then
		T_PASS=$((T_PASS + 1))
		echo "  ok    HugePages_Free back to $T_HP_FREE0"
	else
		T_FAIL=$((T_FAIL + 1))
		echo "  FAIL  HugePages_Free is $now, was $T_HP_FREE0 (hugepages leaked)"
	fi
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
