#!/usr/bin/env bash
# The architecture, checked from the sources and the objects built from them.
#
# The control plane's folders are stages, each allowed to use only itself
# and the ones below it:
#
#   common < config < plan < health < host < isolate < run < cli, main.c
#
# Two graphs are read:
#   includes  every #include "dir/file.h" in shim/ (file -> header's folder)
#   calls     every undefined symbol of an object that another of our
#             objects defines (nm), file -> file
# and for libtenantrt, runtime/*.o the same way. Checked: no edge goes from a
# lower folder to a higher one, and neither graph has a cycle between files
# (tsort finds them). `layers.sh BUILD --print` also prints the folder graph.
#
# Usage: layers.sh BUILD [--print]
set -uo pipefail
build=${1:-build}
print=${2:-}
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
pass=0
fail=0
tmp=$(mktemp -d /tmp/tenantrt-arch.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

rank() {   # rank of a shim path: shim/host/admit.c -> 4
	case $1 in
	shim/common/*) echo 0 ;; shim/config/*) echo 1 ;; shim/plan/*) echo 2 ;;
	shim/health/*) echo 3 ;; shim/host/*) echo 4 ;; shim/isolate/*) echo 5 ;;
	shim/run/*) echo 6 ;; shim/cli/* | shim/main.c) echo 7 ;; *) echo 9 ;;
	esac
}
folder() { case $1 in shim/main.c) echo main ;; *) echo "$1" | cut -d/ -f2 ;; esac; }

check() {   # check WHAT FILE-OF-EDGES ("from to" per line)
	local what=$1 edges=$2 bad=0 f t
	while read -r f t; do
		[ "$f" = "$t" ] && continue
		if [ "$(rank "$f")" -lt "$(rank "$t")" ]; then
			echo "        | $what: $f uses $t, a higher stage"
			bad=1
		fi
	done <"$edges"
	awk '$1 != $2' "$edges" | tsort >/dev/null 2>"$tmp/loop"
	if [ -s "$tmp/loop" ]; then
		sed 's/^/        | /' "$tmp/loop"
		bad=1
	fi
	if [ "$bad" -eq 0 ]; then
		pass=$((pass + 1))
		echo "  ok    $what: $(wc -l <"$edges") edges, none upward, no cycle"
	else
		fail=$((fail + 1))
		echo "  FAIL  $what"
	fi
}

# Includes: a header is named by its folder, so the edge is file -> header.
for f in $(find shim -name '*.[ch]' | sort); do
	sed -n 's/^#include "\([a-z_]*\/[a-z_0-9]*\.h\)"/\1/p' "$f" |
		while read -r h; do echo "$f shim/$h"; done
done | sort -u >"$tmp/inc"
check "shim includes" "$tmp/inc"

# Calls: who defines each global symbol, then who uses it.
objs() { find "$build/$1" -name '*.o' | sort; }
calls() {   # calls DIR: "from.c to.c" for every cross-file symbol use
	local o src
	for o in $(objs "$1"); do
		src=${o#"$build"/}
		src=${src%.o}.c
		nm -g --defined-only "$o" | awk -v s="$src" 'NF == 3 {print $3, s}'
	done | sort -u >"$tmp/def"
	for o in $(objs "$1"); do
		src=${o#"$build"/}
		src=${src%.o}.c
		nm -u "$o" | awk -v s="$src" '{print $2, s}'
	done | sort -u >"$tmp/use"
	join "$tmp/use" "$tmp/def" | awk '{print $2, $3}' | sort -u
}
if [ -d "$build/shim" ]; then
	calls shim >"$tmp/calls"
	check "shim calls" "$tmp/calls"
else
	echo "  skip  shim calls: no objects in $build/shim (run make first)"
fi
if [ -d "$build/runtime" ]; then
	calls runtime | grep -v '^runtime/apps/' >"$tmp/rtcalls"
	check "runtime calls" "$tmp/rtcalls"
fi

if [ "$print" = --print ]; then
	echo "-- folder graph (includes + calls, edge count)"
	cat "$tmp/inc" "$tmp/calls" 2>/dev/null | while read -r f t; do
		a=$(folder "$f") b=$(folder "$t")
		[ "$a" != "$b" ] && echo "$a -> $b"
	done | sort | uniq -c | sort -k2 | awk '{printf "   %-22s %4d\n", $2 " " $3 " " $4, $1}'
	echo "-- runtime call graph (file -> file)"
	awk '$1 != $2 {print "   " $1 " -> " $2}' "$tmp/rtcalls" 2>/dev/null
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
