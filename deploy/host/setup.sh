#!/usr/bin/env bash
# Host set-up for tenantrt's build, tests and demo on Debian 12, idempotent:
#  - installs the Debian packages that are missing (root only);
#  - reserves 2M hugepages up to TENANTRT_HUGEPAGES (default 1024 = 2 GiB);
#  - mounts hugetlbfs at /dev/hugepages when nothing is mounted there.
# Without root it changes nothing and says what it skipped.
set -euo pipefail

PKGS=(libdpdk-dev dpdk-dev libyaml-dev libnuma-dev libcap-dev libseccomp-dev libmnl-dev
      libcmocka-dev pkg-config clang make gcc iproute2 binutils)
want_pages=${TENANTRT_HUGEPAGES:-1024}

if [ "$(id -u)" -ne 0 ]; then
	echo "setup: not root: packages, hugepages and hugetlbfs left as they are"
	exit 0
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

nr=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
have=$(cat "$nr")
if [ "$have" -lt "$want_pages" ]; then
	echo "$want_pages" > "$nr"
	have=$(cat "$nr")
	echo "setup: reserved $have hugepages of 2 MiB"
fi
if [ "$have" -lt "$want_pages" ]; then
	echo "setup: only $have of $want_pages hugepages could be reserved (memory fragmented?)" >&2
fi

if ! mountpoint -q /dev/hugepages; then
	mkdir -p /dev/hugepages
	mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages
	echo "setup: mounted hugetlbfs at /dev/hugepages"
fi
