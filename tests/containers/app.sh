#!/bin/sh
# A stand-in app for the PID-1 tests. tenantrt-shim runs it as
#   app.sh <EAL args> -- MODE [ARG]
# and it ignores the EAL args. Modes:
#   exit N    exit with N at once
#   sleep     exec sleep: no handler, so TERM kills it (the shim exits 143)
#   signals   write a line to $MARK for each USR1, exit 0 on TERM
#   orphans   leave 3 orphans that die after 0.3 s (zombies unless PID 1
#             reaps them), then wait like "signals"
# MARK: a file in the tenant's runtime dir, in the runtime-root volume: the
# one place the app (its own uid, the image read-only) may write.
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
[ $# -gt 0 ] && shift
MARK=$RUNTIME_DIRECTORY/app.mark
case "$1" in
exit) exit "$2" ;;
sleep) exec sleep 1000 ;;
orphans)
	for i in 1 2 3; do sh -c 'sleep 0.3 &'; done
	echo "orphans left" >>"$MARK"
	;;
signals) ;;
*) echo "app.sh: unknown mode \"$1\"" >&2; exit 64 ;;
esac
trap 'echo USR1 >>"$MARK"' USR1
trap 'echo TERM >>"$MARK"; exit 0' TERM
echo ready >>"$MARK"
# Short sleeps: sh runs a trap only between commands.
while :; do sleep 0.1; done
