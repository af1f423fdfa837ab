#!/bin/sh
# Prints the Debian packages the runtime image needs for the given binaries,
# one a line: the owners of every shared library ldd finds, plus the DPDK
# drivers EAL dlopen()s from its plugin dir at start-up, which ldd cannot
# see (a vdev or PCI driver missing there is "no such device" at run time).
# Run in the build stage, where the -dev packages are installed.
set -eu

# Virtual devices the tests and the examples use, the ring mempool (the
# default mempool ops: without it every mbuf pool fails), the buses, and the
# usual SR-IOV VF drivers a device plugin hands out.
PLUGINS="librte-mempool-ring23 librte-bus-vdev23 librte-bus-pci23
librte-net-null23 librte-net-ring23 librte-net-af-packet23 librte-net-tap23
librte-net-memif23 librte-net-iavf23 librte-net-ice23 librte-net-i40e23
librte-net-mlx5-23"

owner() {
	# usrmerge: ldd prints /lib/..., dpkg may know the file as /usr/lib/...
	for p in "$1" "/usr$1" "$(readlink -f "$1")"; do
		dpkg -S "$p" 2>/dev/null | sed -n '1s/:.*//p' | grep . && return 0
	done
	echo "runtime-deps: no Debian package owns $1; install it in the runtime stage by hand" >&2
	return 1
}

{
	for bin in "$@"; do
		[ -x "$bin" ] || continue
		ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' |
			while read -r lib; do owner "$lib"; done
	done
	for p in $PLUGINS; do echo "$p"; done
} | sed 's/:amd64$//' | sort -u
