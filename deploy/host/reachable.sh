# Sourced by deploy/host/demo.sh and tests/integration/lib.sh.
# Tenants run as uids of their own (a dynamic one without user:), so the
# apps they run must sit where any uid may search every directory on the
# way; tenantrt-shim refuses an app it cannot reach (exit 78). A clone
# under /root (0700) is out of reach: these helpers say so, and copy what
# the tenants run into a dir of the caller's that they can reach.

# others_reach PATH: may a uid that owns nothing on the way search every
# dir from / down to PATH? (The other-x bit of each; ACLs are not read.)
others_reach() {
	local d mode
	d=$(cd "$1" 2>/dev/null && pwd) || return 1
	while [ "$d" != / ]; do
		mode=$(stat -c %a "$d") || return 1
		[ $((${mode: -1} & 1)) -eq 1 ] || return 1
		d=$(dirname "$d")
	done
}
