#!/usr/bin/env bash
# Build DPDK's own multi-process and l2fwd samples from Debian's dpdk-doc
# (/usr/share/dpdk/examples, the 22.11 sources that match the installed
# libdpdk) into BUILD_DIR/samples. Nothing of them is kept in this tree: they
# are anchors for `make bench` and tenant apps for the samples suite.
#
#   tests/samples/build.sh BUILD_DIR
#
# Builds mp_server and mp_client (client_server_mp), symmetric_mp, simple_mp
# and l2fwd, one line per sample. Idempotent: a binary newer than its
# sources and than libdpdk's .pc file is kept. Installs dpdk-doc (and
# libdpdk-dev) with apt-get when missing. Exit 0 when every sample is there,
# 1 when one failed to build (its compiler output is printed), 69 when the
# sources or the compiler cannot be had.
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: tests/samples/build.sh BUILD_DIR" >&2; exit 64; }
out=$1/samples
ex=${TENANTRT_DPDK_EXAMPLES:-/usr/share/dpdk/examples}
mp=$ex/multi_process
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
CC=${CC:-cc}

need_pkg() { # PACKAGE: install it quietly, or say why not
	command -v apt-get >/dev/null ||
		{ echo "samples: $1 is missing and there is no apt-get: install it" >&2; exit 69; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null 2>&1 ||
		{ echo "samples: apt-get install $1 failed" >&2; exit 69; }
}
[ -f "$ex/l2fwd/main.c" ] || need_pkg dpdk-doc
[ -f "$ex/l2fwd/main.c" ] ||
	{ echo "samples: no DPDK example sources in $ex (dpdk-doc)" >&2; exit 69; }
$PKG_CONFIG --exists libdpdk || need_pkg libdpdk-dev
pc=$($PKG_CONFIG --path libdpdk 2>/dev/null)

# The examples' own Makefiles: -O3 and pkg-config's flags. In 22.11 l2fwd,
# symmetric_mp and mp_server call rte_eth_link_to_str, still experimental:
# without ALLOW_EXPERIMENTAL_API that is a warning (an error under -Werror).
read -r -a cflags <<<"-O3 $($PKG_CONFIG --cflags libdpdk) -DALLOW_EXPERIMENTAL_API"
read -r -a libs <<<"$($PKG_CONFIG --libs libdpdk)"
mkdir -p "$out" || exit 69

# NAME SOURCE... [-I DIR]: one sample, in the background; its log in $out/.NAME.log
pids=(); names=()
build() {
	local name=$1 s fresh=1
	shift
	# its sources, the headers beside them and in its -I dirs, libdpdk
	for s in "$@" "$pc"; do
		s=${s#-I}
		[ -f "$s" ] && s=$(dirname "$s")
		for f in "$s"/*.[ch] "$pc"; do
			[ -f "$f" ] && ! [ "$out/$name" -nt "$f" ] && fresh=0
		done
	done
	if [ "$fresh" = 1 ] && [ -x "$out/$name" ]; then
		echo "samples: $name up to date ($out/$name)"
		return
	fi
	( "$CC" "${cflags[@]}" "$@" -o "$out/.$name.tmp" "${libs[@]}" >"$out/.$name.log" 2>&1 &&
		mv -f "$out/.$name.tmp" "$out/$name" ) &
	pids+=($!); names+=("$name")
}
cs=$mp/client_server_mp
build mp_server "$cs"/mp_server/{main,init,args}.c "-I$cs/shared"
build mp_client "$cs/mp_client/client.c" "-I$cs/shared"
build symmetric_mp "$mp/symmetric_mp/main.c"
build simple_mp "$mp"/simple_mp/{main,mp_commands}.c
build l2fwd "$ex/l2fwd/main.c"

rc=0
for i in "${!pids[@]}"; do
	if wait "${pids[$i]}"; then
		echo "samples: built ${names[$i]} (DPDK $($PKG_CONFIG --modversion libdpdk)) -> $out/${names[$i]}"
	else
		echo "samples: FAILED to build ${names[$i]}:" >&2
		sed 's/^/  | /' "$out/.${names[$i]}.log" >&2
		rm -f "$out/.${names[$i]}.tmp"
		rc=1
	fi
	rm -f "$out/.${names[$i]}.log"
done
exit "$rc"
