#!/usr/bin/env bash
# Builds the tenantrt image from deploy/docker/Dockerfile with podman, on a
# local debian:bookworm imported from a debootstrap root filesystem (no
# registry is reachable from CI), and prints the image name on stdout.
#
#   tests/containers/image.sh [REPO_DIR]
#
# Cached under $TENANTRT_CACHE (default /var/cache/tenantrt-test): the
# rootfs tarball, and the image itself, tagged by a hash of the sources it
# was built from, so a second run with unchanged sources costs seconds.
# Progress goes to stderr. Root only.
set -euo pipefail

repo=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
cache=${TENANTRT_CACHE:-/var/cache/tenantrt-test}
base=localhost/debian:bookworm
mkdir -p "$cache"
# Runtime flags every podman call here needs: crun refuses this host's hybrid
# cgroup layout, and without CAP_SYS_RESOURCE podman cannot raise the rlimits
# it would otherwise copy from its defaults.
PODMAN=(podman --runtime runc)
ULIMITS=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)

say() { echo "image: $*" >&2; }

# The mirror this machine's apt uses, so the build stages reach Debian's
# packages the same way the host does.
mirror() {
	local m
	m=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '{print $2}' | head -n1)
	[ -n "$m" ] || { say "no Debian mirror found in /etc/apt/sources.list*; debootstrap needs one"; return 1; }
	echo "$m"
}

# --- 1. the base image: debootstrap --variant=minbase bookworm ---------------
if ! "${PODMAN[@]}" image exists "$base"; then
	tarball=$cache/bookworm-minbase.tar
	if [ ! -s "$tarball" ]; then
		command -v debootstrap >/dev/null ||
			{ echo "image: debootstrap is missing; apt-get install debootstrap" >&2; exit 69; }
		src=$(mirror) || exit 69
		rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
		say "debootstrap --variant=minbase bookworm from $src (about a minute)"
		debootstrap --variant=minbase bookworm "$rootfs" "$src" >"$cache/debootstrap.log" 2>&1 ||
			{ tail -n 5 "$cache/debootstrap.log" >&2; rm -rf "$rootfs"; exit 1; }
		# Give the image the same suites as the official debian:bookworm
		# image (updates and security too): the host's libdpdk comes
		# from them, and the image should carry the same DPDK build.
		rm -f "$rootfs/etc/apt/sources.list"
		m=$src
		cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<-EOF
			Types: deb
			URIs: $m
			Suites: bookworm bookworm-updates
			Components: main
			Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

			Types: deb
			URIs: ${m%/debian*}/debian-security
			Suites: bookworm-security
			Components: main
			Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		EOF
		# As in the official image: dpkg without fsync per file (the
		# build stage's package install takes a third of the time), no
		# translations.
		echo force-unsafe-io >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
		echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
		rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
		tar -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
		rm -rf "$rootfs"
	fi
	say "importing $base"
	"${PODMAN[@]}" import "$tarball" "$base" >/dev/null
fi

# --- 2. the build context: the committed tree --------------------------------
# HEAD, not the working tree: other changes in progress must not break the
# image; deploy/docker itself is taken from the working tree so the
# Dockerfile under test is the one on disk.
ctx=$(mktemp -d /tmp/tenantrt-image-ctx.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
git -C "$repo" archive HEAD | tar -C "$ctx" -x
rm -rf "$ctx/deploy/docker"
cp -r "$repo/deploy/docker" "$ctx/deploy/docker"
# Only what the image is made of goes into the tag.
key=$( (cd "$ctx" && find . -path ./tests -prune -o -type f -print0 | sort -z |
	xargs -0 sha256sum) | sha256sum | cut -c1-12)
image=localhost/tenantrt:$key

if "${PODMAN[@]}" image exists "$image"; then
	say "$image is cached"
else
	say "podman build -f deploy/docker/Dockerfile -> $image"
	# --network host: the build stages reach the apt mirror directly.
	# --jobs 2: the runtime stage's package install runs while the build
	# stage compiles.
	if ! "${PODMAN[@]}" build --pull=never --jobs 2 --network host "${ULIMITS[@]}" \
		--build-arg BASE="$base" -f "$ctx/deploy/docker/Dockerfile" \
		-t "$image" "$ctx" >"$cache/build.log" 2>&1; then
		tail -n 20 "$cache/build.log" >&2
		echo "image: podman build failed; the whole log is $cache/build.log" >&2
		exit 1
	fi
	# Keep one built image: older tags only take space. The untagged
	# build-stage layers stay: they are the cache that makes the next
	# build skip the package installs.
	"${PODMAN[@]}" images --format '{{.Repository}}:{{.Tag}}' |
		grep '^localhost/tenantrt:' | grep -v ":$key\$" |
		xargs -r "${PODMAN[@]}" rmi >/dev/null 2>&1 || true
fi
echo "$image"
