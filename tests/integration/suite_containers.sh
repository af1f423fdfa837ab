#!/usr/bin/env bash
# suite_containers: tenantrt as containers, for real. The image is built
# from deploy/docker/Dockerfile with podman (runc) on a debootstrap'ed
# bookworm (tests/containers/image.sh; cached in /var/cache/tenantrt-test),
# and every container runs with exactly the settings of a service in
# deploy/docker/compose.yaml (tests/containers/compose2podman.js):
#   - the manifests: Kubernetes schema, unknown fields, what tenantrt relies on
#   - the image: ENTRYPOINT tenantrt-shim, a runtime stage without toolchain
#   - two tenants, each in its own container, each on its own hugetlbfs
#   - tenant acme as a group over three containers in one PID namespace,
#     and the pod specs' probe (tenantrt status --tenant T --check)
#   - members outside that namespace (the host; a container of its own):
#     refused by the shim in one line, exit 69, the group unharmed
#   - what the container gives (cpuset, hugepage ceiling) against tenants.yaml
#   - the shim as PID 1: exit codes 0/3/143, signals forwarded, zombies reaped
#   - deploy/k8s run for real with `podman kube play` (a test copy with
#     net_null NICs and hugetlbfs hostPaths, tests/containers/kube2podman.js):
#     the group pod and the independent tenant come up, their livenessProbe
#     passes (podman healthcheck run), sees a frozen and a killed primary,
#     and a stop of the members is a planned stop
# Hugepages come from hugetlbfs mounts this suite makes (never
# /dev/hugepages); containers, mounts and files go at the end.
#
#   bash tests/integration/suite_containers.sh BUILD_DIR   (root)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cdir=$repo/tests/containers
# shellcheck source=tests/integration/lib.sh
source "$here/lib.sh"
suite_begin "${1:-build}"

if [ "$(id -u)" -ne 0 ]; then
	echo "  skip  suite_containers needs root (podman, hugetlbfs mounts)"
	echo "0 passed, 0 failed"
	exit 0
fi

P="trc$$-"          # container names: unique per run
PODMAN=(podman --runtime runc)   # crun refuses this host's hybrid cgroups
# podman (runc, cgroupfs, on this hybrid host) leaves each container's
# empty cgroup in unified/libpod_parent; 72 had piled up on a host after a
# day of runs. Those this run made go at its end (an empty one only).
libpod_cgroups() { ls -d /sys/fs/cgroup/*/libpod_parent/*/ 2>/dev/null | sort; }
libpod_cgroups >"$T_TMP/libpod.before"
libpod_cgroups_gone() {
	local d
	for d in $(libpod_cgroups | comm -13 "$T_TMP/libpod.before" -); do
		[ -z "$(cat "$d/cgroup.procs" 2>/dev/null)" ] && rmdir "$d"
	done
}
on_exit libpod_cgroups_gone
COMPOSE=$repo/deploy/docker/compose.yaml
t_start=$SECONDS

# --- tools (a fresh CI machine has none of them) ---------------------------
missing=()
# catatonit: the infra container of a pod (`podman kube play`); without it
# podman would pull a pause image, and no registry is reachable.
for p in podman runc debootstrap catatonit; do command -v "$p" >/dev/null || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "  ..    installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		podman runc debootstrap catatonit >/dev/null 2>&1 || apt-get update -q >/dev/null 2>&1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		podman runc debootstrap catatonit >/dev/null
fi
if [ ! -d "$cdir/node_modules/kubernetes-models" ]; then
	echo "  ..    npm ci (kubernetes-models, yaml)"
	(cd "$cdir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# --- 1. manifests, offline -------------------------------------------------
echo "== manifests"
manifests_clean() {
	local out
	out=$(node "$cdir/check-manifests.js" "$repo/deploy") || { echo "$out"; return 1; }
	echo "$out"
	[ "$out" = "manifests: 4 checked, no problems" ]
}
ok "deploy/k8s (schema, unknown fields, tenantrt's fields) and compose.yaml pass" manifests_clean

# Each mistake a platform engineer could make, and the line that names it.
bad=$T_TMP/deploy-bad
cp -r "$repo/deploy" "$bad"
sed -i 's/^  shareProcessNamespace: true/  shareProcessNamespace: false/' "$bad/k8s/acme-group-pod.yaml"
sed -i '0,/allowPrivilegeEscalation: false/s//allowPrivilegeEscalation: false\n        privilegd: true/' "$bad/k8s/acme-group-pod.yaml"
sed -i 's/hugepages-2Mi: 128Mi/hugepages-2Mi: 96Mi/g; s/^\( *\)cpu: "2"$/\1cpu: "2"/' "$bad/k8s/globex-deployment.yaml"
sed -i '0,/cpu: "2"/s//cpu: "1"/' "$bad/k8s/globex-deployment.yaml"
sed -i 's/intel.com\/sriov_acme/intel.com\/sriov_other/g' "$bad/k8s/acme-group-pod.yaml"
sed -i '0,/pid: "service:acme-primary"/s//pid: host/' "$bad/docker/compose.yaml"
sed -i 's/pagesize=2M,size=128M/pagesize=2M,size=256M/' "$bad/docker/compose.yaml"
node "$cdir/check-manifests.js" "$bad" >"$T_TMP/bad.out" 2>&1
bad_rc=$?
has() { grep -qF -- "$1" "$T_TMP/bad.out" || { echo "missing: $1"; cat "$T_TMP/bad.out"; return 1; }; }
ok "a broken set is refused (exit 1)" test "$bad_rc" -eq 1
ok "  unknown field named with its path" has "acme-group-pod.yaml: Pod tenantrt-acme: spec.containers[0].securityContext.privilegd: unknown field (not in the Kubernetes schema)"
ok "  group pod without shareProcessNamespace" has "Pod tenantrt-acme: spec.shareProcessNamespace: must be true for the group \"acme\""
ok "  hugepages limit != the tenant's quota" has "spec.template.spec.containers[*].resources.limits.hugepages-2Mi: 96Mi in the pod, tenant \"globex\" has a quota of 128 MiB (limitMb): make them equal"
ok "  cpu requests != limits" has "spec.template.spec.containers[0].resources.requests.cpu: 1 != limits.cpu 2: the static CPU manager needs requests == limits"
ok "  no device-plugin resource behind PCIDEVICE_*" has "tenant \"acme\" takes its NICs from PCIDEVICE_INTEL_COM_SRIOV_ACME: request the device-plugin resource it names"
ok "  compose secondary outside the primary's PID namespace" has "compose.yaml: services.acme-secondary-1.pid: must be \"service:acme-primary\""
ok "  compose hugetlbfs size != limitMb" has "compose.yaml: volumes.acme-hugepages.driver_opts.o: size= must be 128M, tenant \"acme\"'s limitMb"

# --- 2. the image ----------------------------------------------------------
echo "== image"
t0=$SECONDS
# TENANTRT_TEST_IMAGE: test an image built elsewhere instead (development).
if [ -n "${TENANTRT_TEST_IMAGE:-}" ]; then
	IMAGE=$TENANTRT_TEST_IMAGE
	img_rc=0
	: >"$T_TMP/image.err"
else
	IMAGE=$(bash "$cdir/image.sh" "$repo" 2>"$T_TMP/image.err")
	img_rc=$?
fi
build_s=$((SECONDS - t0))
if [ "$img_rc" -ne 0 ] || [ -z "$IMAGE" ]; then
	cat "$T_TMP/image.err"
	ok "image built from deploy/docker/Dockerfile" false
	suite_end
	exit 1
fi
sed 's/^/        | /' "$T_TMP/image.err" | grep -v 'Copying\|Writing\|Storing\|Getting' || true
ok "image $IMAGE from deploy/docker/Dockerfile (podman build --pull=never, ${build_s}s)" \
	"${PODMAN[@]}" image exists "$IMAGE"
ok "ENTRYPOINT is tenantrt-shim, nothing in front of it" \
	test "$("${PODMAN[@]}" image inspect -f '{{json .Config.Entrypoint}}' "$IMAGE")" = '["/usr/local/bin/tenantrt-shim"]'
ULIMITS=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
ok "runtime stage: no compiler, no DPDK headers, no python" \
	"${PODMAN[@]}" run --rm "${ULIMITS[@]}" --network none --entrypoint /bin/sh "$IMAGE" -c \
	'! command -v gcc && ! command -v cc && ! command -v python3 && [ ! -e /usr/include/dpdk ]'
ok "runtime stage: every binary's libraries and DPDK's vdev drivers are there" \
	"${PODMAN[@]}" run --rm "${ULIMITS[@]}" --network none --entrypoint /bin/sh "$IMAGE" -c \
	'for b in /usr/local/bin/*; do ldd "$b" | grep "not found" && exit 1; done
	 for d in null ring af_packet tap memif; do
	   ls /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0/librte_net_$d.so.23 || exit 1; done
	 ls /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0/librte_mempool_ring.so.23'

# --- volumes: what compose.yaml's named volumes are, made on this host -----
# Its driver_opts, read from the file, so the mounts are the ones it declares.
vol_opts() {
	node -e 'const Y=require(process.argv[1]);const c=Y.parse(require("fs").readFileSync(process.argv[2],"utf8"),{merge:true});
		process.stdout.write(c.volumes[process.argv[3]].driver_opts.o)' \
		"$cdir/node_modules/yaml" "$COMPOSE" "$1"
}
declare -A VOL
for tenant in acme globex; do
	VOL[$tenant-run]=$T_TMP/$tenant-run
	VOL[$tenant-hugepages]=$T_TMP/huge/$tenant
	mkdir -p "${VOL[$tenant-run]}" "${VOL[$tenant-hugepages]}"
	mount -t hugetlbfs -o "$(vol_opts "$tenant-hugepages")" nodev "${VOL[$tenant-hugepages]}"
	on_exit "umount '${VOL[$tenant-hugepages]}'"
done

# start NAME SERVICE [compose2podman options] [+pod podman options] [+app ARGS]
# runs the service detached as container NAME; +app ARGS replace the
# image's CMD (the shim's "-- APP ..."). run_fg: the same in the foreground.
c_args() {
	local svc=$1
	shift
	local c2p=() pod=() cargs=() mode=c2p
	for a in "$@"; do
		case "$mode:$a" in
		c2p:+pod | pod:+pod) mode=pod ;;
		c2p:+app | pod:+app) mode=cargs ;;
		c2p:*) c2p+=("$a") ;;
		pod:*) pod+=("$a") ;;
		cargs:*) cargs+=("$a") ;;
		esac
	done
	local vols=()
	for v in "${!VOL[@]}"; do vols+=(--volume "$v=${VOL[$v]}"); done
	local spec=()
	mapfile -d '' spec < <(node "$cdir/compose2podman.js" "$COMPOSE" "$svc" --prefix "$P" \
		--image "$IMAGE" "${vols[@]}" "${c2p[@]}") || return 1
	ARGS=("${pod[@]}" "${spec[@]}" "${cargs[@]}")
}
start() {
	local name=$1
	shift
	c_args "$@" || return 1
	on_exit "podman rm -f -t 0 $P$name"
	"${PODMAN[@]}" run -d --name "$P$name" "${ARGS[@]}" >/dev/null
}
run_fg() {
	local name=$1
	shift
	c_args "$@" || return 1
	on_exit "podman rm -f -t 0 $P$name"
	# --timeout: a test that expected a refusal must not hang on a success.
	"${PODMAN[@]}" run --timeout 60 --name "$P$name" "${ARGS[@]}"
}
state() { "${PODMAN[@]}" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$P$1" 2>/dev/null; }
logs_have() { "${PODMAN[@]}" logs "$P$1" 2>&1 | grep -qF -- "$2"; }
running() { [ "$(state "$1")" = "running 0" ]; }
stop_exit() {   # stop_exit NAME WANT: podman stop (TERM), then the exit code
	"${PODMAN[@]}" stop -t 15 "$P$1" >/dev/null 2>&1
	local got
	got=$(state "$1")
	[ "$got" = "exited $2" ] || { echo "$1: $got, want exited $2"; "${PODMAN[@]}" logs "$P$1" 2>&1 | tail -5; return 1; }
}

# --- 3. two tenants, each in its own container ----------------------------
echo "== two tenants, one container each"
start acme-primary acme-primary
start globex-primary globex-primary
wait_for 30 logs_have acme-primary "tenantrt-fwd acme/0: primary"
wait_for 30 logs_have globex-primary "tenantrt-fwd globex/0: primary"
both_running() { running acme-primary && running globex-primary; }
ok "acme and globex run side by side (tenantrt-fwd up in both)" both_running
only_files() {  # only_files DIR PREFIX: hugepage files there, all the tenant's
	local n all
	n=$(find "$1" -maxdepth 1 -name "$2map_*" | wc -l)
	all=$(find "$1" -maxdepth 1 -type f | wc -l)
	echo "$1: $n ${2}map_* files of $all"
	[ "$n" -gt 0 ] && [ "$n" -eq "$all" ]
}
ok "acme's pages only in acme's hugetlbfs" only_files "${VOL[acme-hugepages]}" acme
ok "globex's pages only in globex's hugetlbfs" only_files "${VOL[globex-hugepages]}" globex
status_only() {
	local out
	out=$("${PODMAN[@]}" exec "$P$1-primary" tenantrt status) || return 1
	echo "$out"
	grep -qE "^$1 +1/1 " <<<"$out" && ! grep -q "^$2 " <<<"$out"
}
ok "tenantrt status in acme's container: acme only, 1/1 live" status_only acme globex
ok "tenantrt status in globex's container: globex only, 1/1 live" status_only globex acme
globex_gone() { stop_exit globex-primary 0 && [ -z "$(ls -A "${VOL[globex-hugepages]}")" ]; }
ok "globex stops on TERM, exit 0, hugepages handed back" globex_gone

# --- 4. a group over three containers, one PID namespace -------------------
echo "== group acme: primary + 2 secondaries, one PID namespace (pid: service:acme-primary)"
start acme-secondary-1 acme-secondary-1
start acme-secondary-2 acme-secondary-2
wait_for 40 logs_have acme-secondary-1 "tenantrt-fwd acme/1: secondary"
wait_for 40 logs_have acme-secondary-2 "tenantrt-fwd acme/2: secondary"
group_up() {
	local out
	out=$("${PODMAN[@]}" exec "${P}acme-primary" tenantrt status) || return 1
	echo "$out"
	grep -qE '^acme +3/3 ' <<<"$out" &&
		[ "$(grep -cE '^acme +[0-9]+ +(primary|secondary) ' <<<"$out")" -eq 3 ]
}
ok "tenantrt status: acme 3/3 live, one primary and two secondaries" group_up
# No user: in tenants.yaml: every member runs as acme's own uid, and as the
# shim has no CAP_SYS_ADMIN the container's namespaces are its view.
group_view() {
	local out
	out=$("${PODMAN[@]}" exec "${P}acme-primary" tenantrt status) || return 1
	echo "$out"
	[ "$(grep -cE "^acme +[0-9] +uid 6[01][0-9]{3} \(dynamic\) +the container's \(the shim lacks CAP_SYS_ADMIN\): read-only / " <<<"$out")" -eq 3 ] &&
		[ "$(grep -E '^acme +[0-9] +uid ' <<<"$out" | awk '{print $4}' | sort -u | wc -l)" -eq 1 ]
}
ok "status: the three members run as one dynamic uid (not root), in the container's read-only view" group_view
same_pidns() {
	local c ns=()
	for c in primary secondary-1 secondary-2; do
		ns+=("$("${PODMAN[@]}" exec "${P}acme-$c" readlink /proc/1/ns/pid)")
	done
	echo "${ns[*]}"
	[ "${ns[0]}" = "${ns[1]}" ] && [ "${ns[1]}" = "${ns[2]}" ]
}
ok "the three containers share one PID namespace" same_pidns
probe_ok() {   # the pod specs' startup/liveness probe, in every member
	local c out
	for c in primary secondary-1 secondary-2; do
		out=$("${PODMAN[@]}" exec "${P}acme-$c" tenantrt status --tenant acme --check) || return 1
		echo "$c: $out"
		[[ "$out" == 'tenant "acme": 3 members alive, primary pid '* ]] || return 1
	done
}
ok "probe 'tenantrt status --tenant acme --check' passes in every member" probe_ok
probe_fails() {
	local out rc
	out=$("${PODMAN[@]}" exec "${P}acme-primary" tenantrt status --tenant globex --check)
	rc=$?
	echo "$out (exit $rc)"
	[ "$rc" -eq 69 ] && [ "$out" = 'tenant "globex": no member running' ]
}
ok "  and fails (69, one line) for a tenant with no member there" probe_fails
pid_files() {   # the secondaries' pid-named files: two distinct pids
	local pids
	pids=$(find "${VOL[acme-run]}/acme/dpdk/acme" -name 'fbarray_memseg-*_*' -printf '%f\n' |
		sed 's/.*_//' | sort -u | tr '\n' ' ')
	echo "pids in file names: $pids"
	[ "$(wc -w <<<"$pids")" -eq 2 ]
}
ok "DPDK's per-process files carry two distinct secondary pids" pid_files

# A member outside the group's PID namespace but able to see it (the host,
# the parent namespace) sees the secondaries under other pids than their
# files carry: the shim refuses before DPDK could clash.
sed -e "s|^  runtimeRoot: .*|  runtimeRoot: ${VOL[acme-run]}|" \
    -e "s|^  hugepageDir: .*|  hugepageDir: $T_TMP/huge|" \
    "$repo/deploy/docker/tenants.yaml" >"$T_TMP/host-tenants.yaml"
"$T_BUILD/tenantrt-shim" --config "$T_TMP/host-tenants.yaml" --tenant acme --role secondary \
	-- dpdk-proc-info >"$T_TMP/host.out" 2>&1
host_rc=$?
host_refused() {
	cat "$T_TMP/host.out"
	[ "$host_rc" -eq 69 ] && [ "$(grep -vc ": warning: " "$T_TMP/host.out")" -eq 1 ] &&
		grep -qE "^tenantrt-shim: tenant \"acme\": ${VOL[acme-run]}/acme/dpdk/acme/fbarray_memseg-2048k-0-[0-9]+_[0-9]+ is held by a group member seen here under another pid, so this member is in another PID namespace and DPDK.s pid-named files would clash; run the group in one PID namespace" "$T_TMP/host.out"
}
ok "a member on the host (another PID namespace) is refused: exit 69, one error line (warnings aside)" host_refused
ok "secondary-2 stops on TERM with exit 0" stop_exit acme-secondary-2 0
ok "secondary-1 stops on TERM with exit 0" stop_exit acme-secondary-1 0

# --- 5. the same group split over PID namespaces ---------------------------
echo "== group acme split over PID namespaces (no pid: sharing)"
run_fg acme-split-1 acme-secondary-1 --drop-pid >"$T_TMP/split.out" 2>&1
split_rc=$?
refused() {
	cat "$T_TMP/split.out"
	[ "$split_rc" -eq 69 ] && [ "$(grep -vc ": warning: " "$T_TMP/split.out")" -eq 1 ] &&
		grep -qxF 'tenantrt-shim: tenant "acme": its primary holds /run/tenantrt/acme/dpdk/acme/config from a PID namespace this one cannot see, so the group'"'"'s pid-based checks and DPDK'"'"'s pid-named files would break; run the group in one PID namespace (pod shareProcessNamespace: true, compose pid: "service:<primary>", podman --pid container:<primary>)' "$T_TMP/split.out"
}
ok "a secondary in its own PID namespace is refused by the shim: exit 69, one error line (warnings aside)" refused
group_on() { running acme-primary; }
ok "the group it tried to join runs on" group_on
ok "acme's primary stops with exit 0" stop_exit acme-primary 0
ok "acme's hugetlbfs is empty once the group is gone" test -z "$(ls -A "${VOL[acme-hugepages]}")"

# --- 6. what the container gives, against tenants.yaml ---------------------
echo "== container limits (shim/host/container.c)"
run_fg acme-cpuset acme-primary +pod --cpuset-cpus 0 >"$T_TMP/cpuset.out" 2>&1
cpuset_rc=$?
cpuset_refused() {
	cat "$T_TMP/cpuset.out"
	[ "$cpuset_rc" -eq 78 ] && [ "$(grep -vc ": warning: " "$T_TMP/cpuset.out")" -eq 1 ] &&
		grep -qF "tenantrt-shim: tenant \"acme\": its cpus 1 (/etc/tenantrt/tenants.yaml:17:11) and this container's cpus 0 (Cpus_allowed_list) do not overlap" "$T_TMP/cpuset.out"
}
ok "cpuset 0 vs acme's cpus 1: refused, exit 78, one error line (warnings aside)" cpuset_refused
run_fg acme-ceiling acme-primary --env TENANTRT_HUGEPAGES_LIMIT=67108864 >"$T_TMP/ceiling.out" 2>&1
ceiling_rc=$?
ceiling_refused() {
	cat "$T_TMP/ceiling.out"
	[ "$ceiling_rc" -eq 78 ] && [ "$(grep -vc ": warning: " "$T_TMP/ceiling.out")" -eq 1 ] &&
		grep -qF "tenantrt-shim: tenant \"acme\": its hugepage limit 128 MiB (/etc/tenantrt/tenants.yaml:16:16) is above this container's 64 MiB (TENANTRT_HUGEPAGES_LIMIT); set resources.limits.hugepages-2Mi to 128Mi" "$T_TMP/ceiling.out"
}
ok "a 64 MiB hugepage ceiling vs acme's 128 MiB quota: refused, exit 78, one error line (warnings aside)" ceiling_refused

# --- 7. the shim as PID 1 ---------------------------------------------------
echo "== tenantrt-shim as PID 1 (globex, a stand-in app)"
APP=(+pod --volume "$cdir/app.sh:/opt/tenantrt-test/app.sh:ro" +app)
APPBIN=/opt/tenantrt-test/app.sh
# In globex's runtime dir: the app runs as globex's own uid now.
MARK=${VOL[globex-run]}/globex/app.mark
run_fg pid1-exit0 globex-primary "${APP[@]}" -- "$APPBIN" exit 0 >/dev/null 2>&1
rc0=$?
ok "app exits 0: container exits 0" test "$rc0" -eq 0
run_fg pid1-exit3 globex-primary "${APP[@]}" -- "$APPBIN" exit 3 >/dev/null 2>&1
rc3=$?
ok "app exits 3: container exits 3" test "$rc3" -eq 3

start pid1-sleep globex-primary "${APP[@]}" -- "$APPBIN" sleep
app_sleeping() { "${PODMAN[@]}" exec "${P}pid1-sleep" sh -c 'grep -l "^sleep" /proc/[0-9]*/cmdline'; }
wait_for 20 app_sleeping
pid1_is_shim() {
	local c
	c=$("${PODMAN[@]}" exec "${P}pid1-sleep" cat /proc/1/cmdline | tr '\0' ' ')
	echo "PID 1: $c"
	[[ "$c" == "/usr/local/bin/tenantrt-shim "* ]]
}
ok "PID 1 in the container is tenantrt-shim" pid1_is_shim
term_kills() {
	local t0=$SECONDS
	stop_exit pid1-sleep 143 || return 1
	echo "stopped in $((SECONDS - t0))s"
	[ $((SECONDS - t0)) -lt 10 ]
}
ok "TERM (podman stop) reaches the app at once, which dies of it: exit 143" term_kills

rm -f "$MARK"
start pid1-signals globex-primary "${APP[@]}" -- "$APPBIN" signals
wait_for 20 grep -q ready "$MARK"
"${PODMAN[@]}" kill -s USR1 "${P}pid1-signals" >/dev/null
wait_for 5 grep -q USR1 "$MARK"
ok "USR1 sent to PID 1 reaches the app" grep -q USR1 "$MARK"
term_handled() { stop_exit pid1-signals 0 && grep -q TERM "$MARK"; }
ok "TERM: the app's handler runs and it exits 0" term_handled

rm -f "$MARK"
start pid1-orphans globex-primary "${APP[@]}" -- "$APPBIN" orphans
wait_for 20 grep -q ready "$MARK"
sleep 1   # the orphans (sleep 0.3) are long dead by now
zombies() {
	local stats z
	stats=$("${PODMAN[@]}" exec "${P}pid1-orphans" sh -c \
		'for f in /proc/[0-9]*/stat; do read -r l <"$f" 2>/dev/null && echo "$l"; done') || return 1
	z=$(awk '$3 == "Z"' <<<"$stats" | wc -l)
	echo "$(wc -l <<<"$stats") processes, $z zombies"
	[ "$(wc -l <<<"$stats")" -ge 3 ] && [ "$z" -eq 0 ]
}
ok "orphans reparented to PID 1 are reaped: no zombie left" zombies
ok "orphans left by the app existed" grep -q "orphans left" "$MARK"
ok "orphans container stops with exit 0" stop_exit pid1-orphans 0

# --- 8. deploy/k8s with podman kube play ----------------------------------
echo "== deploy/k8s for real: podman kube play (net_null for SR-IOV, hugetlbfs hostPaths)"
KP=$T_TMP/kube
mkdir -p "$KP/huge/acme" "$KP/huge/globex"
# size= = each tenant's limitMb in the ConfigMap: what the pods' hugepages
# limits would give (podman ignores them).
mount -t hugetlbfs -o pagesize=2M,size=256M nodev "$KP/huge/acme"
on_exit "umount '$KP/huge/acme'"
mount -t hugetlbfs -o pagesize=2M,size=128M nodev "$KP/huge/globex"
on_exit "umount '$KP/huge/globex'"
# kube play takes no --ulimit: podman's default rlimits are above what
# this host lets it set (as for podman run above).
printf '[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n' >"$KP/containers.conf"
KUBE=(env CONTAINERS_CONF="$KP/containers.conf" "${PODMAN[@]}" kube)
for spec in acme-group-pod globex-deployment; do
	node "$cdir/kube2podman.js" "$repo/deploy/k8s/configmap.yaml" "$repo/deploy/k8s/$spec.yaml" \
		--image "$IMAGE" --prefix "$P" --health "stall: 2" \
		--hugetlbfs "acme=$KP/huge/acme" --hugetlbfs "globex=$KP/huge/globex" >"$KP/$spec.yaml"
	on_exit "env CONTAINERS_CONF='$KP/containers.conf' podman --runtime runc kube down '$KP/$spec.yaml'"
done
played() {   # played SPEC: kube play, the errors only (no systemd: no healthcheck timers)
	"${KUBE[@]}" play "$KP/$1.yaml" >"$KP/$1.out" 2>&1
	local rc=$?
	grep -v 'unable to get systemd connection' "$KP/$1.out" | grep -iE 'error|fail' && return 1
	return $rc
}
ok "podman kube play deploy/k8s/acme-group-pod.yaml (with the ConfigMap)" played acme-group-pod
ok "podman kube play deploy/k8s/globex-deployment.yaml (with the ConfigMap)" played globex-deployment
AP=${P}tenantrt-acme
GC=${P}tenantrt-globex-pod-0-primary
kstatus() { "${PODMAN[@]}" exec "$1" tenantrt status "${@:2}"; }
all_running() {   # all_running CTR TENANT N: N members, every one running
	local out
	out=$(kstatus "$1") || return 1
	echo "$out"
	grep -qE "^$2 +$3/$3 " <<<"$out" &&
		[ "$(grep -cE "^$2 +[0-9]+ +(primary|secondary) .* running " <<<"$out")" -eq "$3" ]
}
ok "acme's pod: primary and both secondaries up and running (status in the primary's container)" \
	wait_for 60 all_running "$AP-primary" acme 3
ok "globex's deployment: its primary up and running" wait_for 60 all_running "$GC" globex 1
probes_pass() {
	local c
	for c in "$AP-primary" "$AP-secondary-1" "$AP-secondary-2" "$GC"; do
		"${PODMAN[@]}" healthcheck run "$c" >/dev/null || { echo "$c unhealthy"; return 1; }
	done
}
ok "every container's livenessProbe passes (podman healthcheck run: 'tenantrt status --tenant T --check')" \
	wait_for 10 probes_pass
member_field() {   # member_field CTR MEMBER KEY: of the live member (not a stale lease)
	kstatus "$1" --json | python3 -c "import json, sys
d = json.load(sys.stdin)
print(next((m['$3'] for t in d['tenants'] for m in t['members']
            if m['member'] == $2 and m['leaseHeld']), ''))"
}
PAPP=$(member_field "$AP-primary" 0 appPid)
PSHIM=$(member_field "$AP-primary" 0 shimPid)
RESTARTS=$("${PODMAN[@]}" inspect -f '{{.RestartCount}}' "$AP-primary")
"${PODMAN[@]}" exec "$AP-primary" sh -c "kill -STOP $PAPP"
frozen_seen() {
	! "${PODMAN[@]}" healthcheck run "$AP-secondary-1" >/dev/null 2>&1 &&
		kstatus "$AP-secondary-1" | grep -q "^acme member 0: stuck since .*: the app (pid $PAPP) is stopped"
}
ok "a frozen primary (SIGSTOP): the probe fails within stall + 3 s, status says why" wait_for 8 frozen_seen
"${PODMAN[@]}" exec "$AP-primary" sh -c "kill -CONT $PAPP"
ok "... and passes again once it runs" wait_for 5 "${PODMAN[@]}" healthcheck run "$AP-secondary-1"
# A killed primary: its shim held (SIGSTOP) so that podman's restart
# (restartPolicy Always) does not hide the moment.
"${PODMAN[@]}" exec "$AP-primary" sh -c "kill -STOP $PSHIM"
"${PODMAN[@]}" exec "$AP-primary" sh -c "kill -KILL $PAPP"
killed_seen() {
	local out
	out=$("${PODMAN[@]}" exec "$AP-primary" tenantrt status --tenant acme --check)
	[ $? -ne 0 ] && echo "$out" | grep -q '^tenant "acme": '
}
ok "a killed primary: the probe fails" wait_for 5 killed_seen
"${PODMAN[@]}" exec "$AP-primary" sh -c "kill -CONT $PSHIM"
restarted() {
	[ "$("${PODMAN[@]}" inspect -f '{{.RestartCount}}' "$AP-primary")" -gt "$RESTARTS" ] &&
		all_running "$AP-primary" acme 3 >/dev/null
}
ok "... then podman restarts the primary (137) and the group comes back, 3/3 running" wait_for 90 restarted
ok "... its probe passing again" wait_for 10 probes_pass
# Stop the members as the kubelet does (TERM, grace period), before the
# pod's infra: with shareProcessNamespace the infra is PID 1 of the pod's
# PID namespace, and the kernel SIGKILLs every member when it goes.
"${PODMAN[@]}" stop -t 15 "$AP-primary" "$AP-secondary-1" "$AP-secondary-2" "$GC" >/dev/null 2>&1
stopped_ok() {
	local c got
	for c in "$AP-primary" "$AP-secondary-1" "$AP-secondary-2" "$GC"; do
		got=$("${PODMAN[@]}" inspect -f '{{.State.ExitCode}}' "$c")
		echo "$c: exit $got"
		[ "$got" = 0 ] || return 1
	done
}
ok "a planned stop: every member exits 0, the secondaries too" stopped_ok
"${PODMAN[@]}" logs "$AP-secondary-1" >"$KP/s1.log" 2>&1
ok "... the secondaries saying their primary stopped on purpose" grep -Eq \
	'^tenantrt-shim: tenant "acme": primary \(pid [0-9]+\) stopped on purpose; secondary \(pid [0-9]+\) stopped with it \(status [0-9]+\); exit 0$' "$KP/s1.log"
ok "... and the last one out gave the hugepages back (both hugetlbfs empty)" \
	bash -c "[ -z \"\$(ls -A '$KP/huge/acme' '$KP/huge/globex' 2>/dev/null | grep map_)\" ]"

echo "  ..    suite time $((SECONDS - t_start))s (image ${build_s}s)"
suite_end
