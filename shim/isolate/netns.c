/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tenant's network namespace (isolate/netns.h): made, pinned, filled
 * and emptied through rtnetlink (common/rtnl.c), never through `ip`.
 */
#include "isolate/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/rtnl.h"
#include "host/netrec.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* The IFF_* bits a reclaim gives back as they were. */
#define RESTORED_FLAGS (IFF_UP | IFF_PROMISC | IFF_ALLMULTI)

static void say(tr_note_fn note, void *ctx, const char *tenant, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void say(tr_note_fn note, void *ctx, const char *tenant, const char *fmt, ...)
{
	if (note == NULL)
		return;
	char what[600], line[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "tenant \"%s\": %s", tenant, what);
	note(ctx, line);
}

/* An fd on the namespace pinned at path: an nsfs file (a pin whose mount
 * is gone is a plain empty file, not a namespace), with the recorded
 * identity when one is given (a path can be reused). -errno otherwise. */
static int open_pin(const char *path, unsigned long long dev, unsigned long long ino)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	struct statfs sf;
	struct stat st;
	if (fstatfs(fd, &sf) < 0 || sf.f_type != NSFS_MAGIC || fstat(fd, &st) < 0 ||
	    (ino && ((unsigned long long)st.st_dev != dev || (unsigned long long)st.st_ino != ino))) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

static int self_netns(unsigned long long *dev, unsigned long long *ino)
{
	struct stat st;
	if (stat("/proc/self/ns/net", &st) < 0)
		return -errno;
	*dev = (unsigned long long)st.st_dev;
	*ino = (unsigned long long)st.st_ino;
	return 0;
}

static void unpin(const char *path)
{
	if (path[0] == '\0')
		return;
	/* Detach first: a mounted file cannot be unlinked here. The unlink
	 * then drops the copies other mount namespaces (members') hold. */
	(void)umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
	(void)unlink(path);
}

/* --- making it ------------------------------------------------------------ */

static int write_map(pid_t pid, const char *file, const char *map, struct tr_error *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if (tr_write_text(path, map) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "cannot write %s \"%s\"", path, map);
	return 0;
}

/* "ID ID 1" lines: the tenant's uid (or 0, a tenant without a user), its
 * gid and supplementary gids, each mapped onto itself and nothing else. */
static void id_maps(const struct tr_isolation *iso, char *uids, size_t ulen, char *gids,
		    size_t glen)
{
	unsigned uid = iso->has_user ? (unsigned)iso->uid : 0;
	unsigned gid = iso->has_user ? (unsigned)iso->gid : 0;
	snprintf(uids, ulen, "%u %u 1\n", uid, uid);
	size_t k = (size_t)snprintf(gids, glen, "%u %u 1\n", gid, gid);
	for (unsigned i = 0; iso->has_user && i < iso->n_supp && k < glen; i++) {
		bool dup = iso->supp[i] == iso->gid;
		for (unsigned j = 0; j < i; j++)
			dup |= iso->supp[j] == iso->supp[i];
		if (!dup)
			k += (size_t)snprintf(gids + k, glen - k, "%u %u 1\n",
					      (unsigned)iso->supp[i], (unsigned)iso->supp[i]);
	}
}

static int new_pin_file(const char *path, struct tr_error *err)
{
	unpin(path);   /* a stale one of an earlier life */
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0400);
	if (fd < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot create the pin %s", path);
	close(fd);
	return 0;
}

/*
 * A helper makes the namespaces (unshare), brings lo up in the new netns (a
 * new one has it down) and waits; the shim goes on with the tenant's
 * mounts and cgroups meanwhile (the kernel takes 0.6 ms to make a netns),
 * then maps the ids and bind-mounts the helper's namespace files onto the
 * pins, and lets it go. The helper is a thread of the shim (namespaces are
 * per task; no copy of the shim's memory to make, or to fault in again as
 * the shim writes) unless a user namespace is made too, which a threaded
 * process cannot: then a child, which a shim killed meanwhile takes with
 * it (PDEATHSIG). Either way an unpinned namespace dies with its helper.
 * One tenant's setup at a time in a shim.
 */
struct netns_helper {
	const struct tr_plan *plan;
	struct tr_netrec *rec;
	pid_t pid, shim;   /* the helper child (0: a thread), the shim */
	pthread_t thread;
	bool threaded;
	int up, down;      /* the helper says how it went; it waits for down's EOF */
	int up_w, down_r;  /* the thread's ends */
};
#define NO_HELPER ((struct netns_helper){ .up = -1, .down = -1, .up_w = -1, .down_r = -1 })
static struct netns_helper helper = NO_HELPER;

/* What the helper reports: which step failed, its errno, its task. */
struct helper_said {
	int step;   /* 0 done, 1 unshare, 2 lo up */
	int err;
	pid_t tid;
};

static struct helper_said make_netns(bool userns)
{
	struct helper_said said = { 1, 0, gettid() };
	if (unshare(CLONE_NEWNET | (userns ? CLONE_NEWUSER : 0)) < 0) {
		said.err = errno;
		return said;
	}
	struct tr_rtnl lo = { 0 };
	const struct tr_link_change upc = { .netns_fd = -1, .mask = IFF_UP, .flags = IFF_UP };
	said.step = 2;
	int rc = tr_rtnl_open(&lo, -1);
	if (rc == 0)
		rc = tr_rtnl_link_change(&lo, 1, &upc);
	tr_rtnl_close(&lo);
	said.err = -rc;
	if (rc == 0)
		said.step = 0;
	return said;
}

static void helper_child(const struct tr_net_plan *np, pid_t shim, int up, int down)
{
	struct helper_said said = { 1, ESRCH, 0 };
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == shim)
		said = make_netns(np->userns);
	(void)!write(up, &said, sizeof(said));
	char c;
	(void)!read(down, &c, 1);   /* until the parent is done */
	_exit(0);
}

static void *helper_thread(void *arg)
{
	(void)arg;
	struct helper_said said = make_netns(false);
	(void)!write(helper.up_w, &said, sizeof(said));
	char c;
	(void)!read(helper.down_r, &c, 1);   /* until the shim is done */
	return NULL;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void helper_let_go(void)
{
	/* A child forked meanwhile (the sweeper) has closed these fds, and
	 * the helper is neither its child nor its thread: nothing of it is
	 * this process's. */
	if (helper.shim != getpid()) {
		helper = NO_HELPER;
		return;
	}
	/* The helper ends on down's EOF. up stays open until it has: a
	 * helper that has not reported yet writes to it then, and a pipe with
	 * no reader would raise SIGPIPE, which only the shim's main ignores. */
	close_fd(&helper.down);
	if (helper.threaded)
		pthread_join(helper.thread, NULL);
	else if (helper.pid > 0)
		while (waitpid(helper.pid, NULL, 0) < 0 && errno == EINTR)
			;
	close_fd(&helper.up);
	close_fd(&helper.up_w);
	close_fd(&helper.down_r);
	free(helper.rec);
	helper = NO_HELPER;
}

static int helper_start(const struct tr_plan *p, struct tr_error *err)
{
	const struct tr_net_plan *np = &p->iso.net;
	if (new_pin_file(np->pin, err) < 0 || (np->userns && new_pin_file(np->user_pin, err) < 0))
		return -1;
	int up[2], down[2];
	if (pipe2(up, O_CLOEXEC) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "pipe");
	if (pipe2(down, O_CLOEXEC) < 0) {
		close(up[0]);
		close(up[1]);
		return tr_err_sys(err, EX_OSERR, errno, "pipe");
	}
	helper.shim = getpid();
	helper.up = up[0];
	helper.down = down[1];
	helper.up_w = up[1];
	helper.down_r = down[0];
	if (!np->userns) {
		int rc = pthread_create(&helper.thread, NULL, helper_thread, NULL);
		if (rc != 0) {
			helper_let_go();
			return tr_err_sys(err, EX_OSERR, rc, "cannot start a thread");
		}
		helper.threaded = true;
		helper.plan = p;
		return 0;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		helper_child(np, helper.shim, up[1], down[0]);
	}
	close_fd(&helper.up_w);
	close_fd(&helper.down_r);
	if (pid < 0) {
		int e = errno;
		helper_let_go();
		return tr_err_sys(err, EX_OSERR, e, "fork");
	}
	helper.pid = pid;
	helper.plan = p;
	return 0;
}

/* The helper's namespaces onto the pins, then it goes. */
static int helper_pin(struct tr_error *err)
{
	const struct tr_plan *p = helper.plan;
	const struct tr_net_plan *np = &p->iso.net;
	struct helper_said said = { 1, EIO, 0 };
	int rc = 0;
	if (read(helper.up, &said, sizeof(said)) != (ssize_t)sizeof(said))
		said = (struct helper_said){ 1, EIO, 0 };
	if (said.step == 1) {
		rc = tr_err_sys(err, said.err == EPERM ? EX_NOPERM : EX_OSERR, said.err,
				"cannot create the tenant's network namespace%s",
				said.err == EPERM ? " (the shim needs CAP_SYS_ADMIN; or set network: host)" : "");
	} else if (said.step == 2) {
		rc = tr_err_sys(err, EX_OSERR, said.err,
				"cannot bring lo up in the tenant's network namespace");
	} else {
		char src[96], uids[64], gids[TR_MAX_SUPP_GROUPS * 24 + 32];
		id_maps(&p->iso, uids, sizeof(uids), gids, sizeof(gids));
		if (np->userns && (write_map(helper.pid, "uid_map", uids, err) < 0 ||
				   write_map(helper.pid, "gid_map", gids, err) < 0))
			rc = -1;
		/* The helper's own task: the thread's, or the child's. */
		snprintf(src, sizeof(src), "/proc/%d/task/%d/ns/net",
			 (int)(helper.threaded ? helper.shim : helper.pid), (int)said.tid);
		if (rc == 0 && mount(src, np->pin, NULL, MS_BIND, NULL) < 0)
			rc = tr_err_sys(err, EX_OSERR, errno, "cannot pin the network namespace at %s",
					np->pin);
		snprintf(src, sizeof(src), "/proc/%d/ns/user", (int)helper.pid);   /* a child */
		if (rc == 0 && np->userns && mount(src, np->user_pin, NULL, MS_BIND, NULL) < 0)
			rc = tr_err_sys(err, EX_OSERR, errno, "cannot pin the user namespace at %s",
					np->user_pin);
	}
	return rc;
}

static int pin_id(const char *path, unsigned long long *dev, unsigned long long *ino,
		  struct tr_error *err)
{
	_cleanup_close_ int fd = open_pin(path, 0, 0);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return tr_err_sys(err, EX_OSERR, fd < 0 ? -fd : errno, "the pin %s is not a namespace",
				  path);
	*dev = (unsigned long long)st.st_dev;
	*ino = (unsigned long long)st.st_ino;
	return 0;
}

static int link_err(struct tr_error *err, struct tr_rtnl *r, int rc, const char *fmt,
		    const char *name)
{
	char what[200];
	snprintf(what, sizeof(what), fmt, name);
	return tr_err(err, EX_OSERR, "%s: %s%s%s", what, strerror(-rc), r->ack[0] ? ": " : "",
		      r->ack);
}

/* Record it, move it in, record where it is inside, bring it up as it was. */
static int move_in(struct tr_netrec *rec, const char *path, struct tr_rtnl *host,
		   struct tr_rtnl *in, int nsfd, const char *name, struct tr_error *err)
{
	struct tr_link l;
	int rc = tr_rtnl_link_get(host, 0, name, &l);
	if (rc < 0)
		return rc == -ENODEV ? tr_err(err, EX_CONFIG, "no interface %s on the host", name)
				     : link_err(err, host, rc, "cannot read interface %s", name);
	if (rec->n_ifs >= TR_NET_MAX_IFACES)
		return tr_err(err, EX_SOFTWARE, "too many interfaces");
	struct tr_netrec_if *f = &rec->ifs[rec->n_ifs++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", l.name);
	f->ifindex = l.ifindex;
	f->flags = l.flags;
	f->mtu = l.mtu;
	f->has_mac = l.has_mac;
	memcpy(f->mac, l.mac, sizeof(f->mac));
	f->has_perm_mac = l.has_perm_mac;
	memcpy(f->perm_mac, l.perm_mac, sizeof(f->perm_mac));
	snprintf(f->kind, sizeof(f->kind), "%s", l.kind);
	snprintf(f->parent, sizeof(f->parent), "%s", l.parent_dev);
	if (tr_netrec_save(path, rec, err) < 0)   /* before it moves */
		return -1;
	struct tr_link_change mv = { .netns_fd = nsfd };
	if ((rc = tr_rtnl_link_change(host, l.ifindex, &mv)) < 0)
		return link_err(err, host, rc, "cannot move interface %s into the tenant's network namespace",
				name);
	struct tr_link inside;
	if ((rc = tr_rtnl_link_get(in, 0, name, &inside)) < 0)
		return link_err(err, in, rc, "interface %s is not in the tenant's network namespace after its move",
				name);
	f->ns_ifindex = inside.ifindex;
	if (tr_netrec_save(path, rec, err) < 0)
		return -1;
	/* A move closes the link; up again if it was up on the host. */
	struct tr_link_change upc = { .netns_fd = -1, .mask = IFF_UP, .flags = l.flags };
	if ((rc = tr_rtnl_link_change(in, inside.ifindex, &upc)) < 0)
		return link_err(err, in, rc, "cannot bring interface %s up in the tenant's network namespace",
				name);
	return 0;
}

/* The record first (a reclaim finds what a killed shim left), then the
 * helper. */
static int setup_own(const struct tr_plan *p, struct tr_netrec *rec, struct tr_error *err)
{
	const struct tr_net_plan *np = &p->iso.net;
	char dir[TR_NET_PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", np->pin);
	*strrchr(dir, '/') = '\0';
	if (tr_mkdir_p(dir, 0700) < 0 || chmod(dir, 0700) < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot create %s", dir);
	snprintf(rec->pin, sizeof(rec->pin), "%s", np->pin);
	if (np->userns)
		snprintf(rec->user_pin, sizeof(rec->user_pin), "%s", np->user_pin);
	return tr_netrec_save(np->record, rec, err) < 0 || helper_start(p, err) < 0 ? -1 : 0;
}

/* Pinned and recorded, the tenant's interfaces go in. */
static int finish_own(const struct tr_plan *p, struct tr_netrec *rec, struct tr_error *err)
{
	const struct tr_net_plan *np = &p->iso.net;
	int pinned = helper_pin(err);
	helper.rec = NULL;   /* rec is the caller's now */
	helper_let_go();
	if (pinned < 0 || pin_id(np->pin, &rec->pin_dev, &rec->pin_ino, err) < 0 ||
	    (np->userns && pin_id(np->user_pin, &rec->user_dev, &rec->user_ino, err) < 0) ||
	    tr_netrec_save(np->record, rec, err) < 0)
		return -1;
	if (np->n_ifaces == 0)
		return 0;
	_cleanup_close_ int nsfd = open_pin(np->pin, rec->pin_dev, rec->pin_ino);
	if (nsfd < 0)
		return tr_err_sys(err, EX_OSERR, -nsfd, "cannot open the pin %s", np->pin);
	struct tr_rtnl host = { 0 }, in = { 0 };
	int rc = tr_rtnl_open(&host, -1);
	if (rc == 0)
		rc = tr_rtnl_open(&in, nsfd);
	if (rc < 0) {
		tr_rtnl_close(&host);
		return tr_err_sys(err, EX_OSERR, -rc, "cannot open an rtnetlink socket");
	}
	for (unsigned i = 0; rc == 0 && i < np->n_ifaces; i++)
		rc = move_in(rec, np->record, &host, &in, nsfd, np->ifaces[i], err);
	tr_rtnl_close(&host);
	tr_rtnl_close(&in);
	return rc < 0 ? -1 : 0;
}

/* The container's netns: nothing to make or undo, recorded for status. */
static int setup_container(const struct tr_plan *p, struct tr_error *err)
{
	const struct tr_net_plan *np = &p->iso.net;
	_cleanup_free_ struct tr_netrec *rec = calloc(1, sizeof(*rec));
	if (rec == NULL)
		return tr_err(err, EX_OSERR, "out of memory");
	snprintf(rec->tenant, sizeof(rec->tenant), "%s", p->tenant);
	rec->mode = TR_NETREC_CONTAINER;
	rec->host_ino = np->container_ino;
	return tr_netrec_save(np->record, rec, err);
}

int tr_netns_setup(const struct tr_plan *p, struct tr_error *err)
{
	const struct tr_net_plan *np = &p->iso.net;
	if (np->mode == TR_NETNS_CONTAINER)
		return setup_container(p, err);
	if (np->mode != TR_NETNS_OWN)
		return 0;
	/* What an earlier life left (a reclaim that could not finish). */
	struct tr_error rerr = { 0 };
	if (tr_netns_reclaim(np->record, p->tenant, NULL, NULL, &rerr) < 0)
		return tr_err(err, rerr.code ? rerr.code : EX_TEMPFAIL,
			      "its previous network namespace is not reclaimed yet (%s); run 'tenantrt reap'",
			      rerr.msg);
	_cleanup_free_ struct tr_netrec *rec = calloc(1, sizeof(*rec));
	if (rec == NULL)
		return tr_err(err, EX_OSERR, "out of memory");
	snprintf(rec->tenant, sizeof(rec->tenant), "%s", p->tenant);
	rec->mode = TR_NETREC_OWN;
	rec->userns = np->userns;
	int rc = self_netns(&rec->host_dev, &rec->host_ino);
	if (rc < 0)
		return tr_err_sys(err, EX_OSERR, -rc, "cannot read /proc/self/ns/net");
	if (setup_own(p, rec, err) == 0) {
		helper.rec = TAKE_PTR(rec);
		return 0;
	}
	/* Give back what was done so far; the refusal is the error above. */
	rerr = (struct tr_error){ 0 };
	tr_netns_reclaim(np->record, p->tenant, NULL, NULL, &rerr);
	return -1;
}

int tr_netns_setup_finish(struct tr_error *err)
{
	if (helper.plan == NULL)
		return 0;
	const struct tr_plan *p = helper.plan;
	_cleanup_free_ struct tr_netrec *rec = helper.rec;
	if (finish_own(p, rec, err) == 0)
		return 0;
	struct tr_error rerr = { 0 };
	tr_netns_reclaim(p->iso.net.record, p->tenant, NULL, NULL, &rerr);
	return -1;
}

static int admit_first(void *ctx, struct tr_error *err)
{
	return tr_netns_setup(ctx, err);
}

struct tr_admit_hook tr_netns_admit_hook(const struct tr_plan *p)
{
	return (struct tr_admit_hook){ .first = admit_first, .ctx = (void *)p };
}

/* --- giving it back ------------------------------------------------------- */

/* Where a recorded interface is inside: by its index there (a tenant may
 * rename it, not renumber it), else by its name. */
static int find_inside(struct tr_rtnl *in, const struct tr_netrec_if *f, struct tr_link *l)
{
	if (f->ns_ifindex > 0 && tr_rtnl_link_get(in, f->ns_ifindex, NULL, l) == 0)
		return 0;
	if (f->ns_ifindex == 0 && tr_rtnl_link_get(in, f->ifindex, NULL, l) == 0)
		return 0;   /* moved, but its index not recorded yet */
	return tr_rtnl_link_get(in, 0, f->name, l);
}

/* One interface back to the host as it was; 0, or -1 with err. */
static int move_back(const struct tr_netrec *rec, const struct tr_netrec_if *f,
		     struct tr_rtnl *in, struct tr_rtnl *host, int hostfd, tr_note_fn note,
		     void *ctx, struct tr_error *err)
{
	struct tr_link l, h;
	if (find_inside(in, f, &l) < 0) {
		if (tr_rtnl_link_get(host, 0, f->name, &h) == 0)
			return 0;   /* never moved, or back already */
		say(note, ctx, rec->tenant,
		    "interface %s is gone: it was deleted inside the tenant's network namespace",
		    f->name);
		return 0;
	}
	struct tr_link_change c = {
		.netns_fd = hostfd, .name = f->name, .mask = RESTORED_FLAGS,
		.flags = f->flags,
		.mac = f->has_mac && (!l.has_mac || memcmp(l.mac, f->mac, TR_MAC_LEN)) ? f->mac : NULL,
		.mtu = f->mtu && l.mtu != f->mtu ? f->mtu : 0,
	};
	int rc = tr_rtnl_link_change(in, l.ifindex, &c);
	char fallback[IFNAMSIZ];
	if (rc == -EEXIST) {
		/* The host has another link of that name now. */
		snprintf(fallback, sizeof(fallback), "trb%d", f->ifindex);
		c.name = fallback;
		rc = tr_rtnl_link_change(in, l.ifindex, &c);
		if (rc == 0)
			say(note, ctx, rec->tenant,
			    "interface %s came back as %s: the host has another %s now", f->name,
			    fallback, f->name);
	}
	if (rc < 0)
		return tr_err(err, EX_TEMPFAIL, "cannot move interface %s back to the host: %s%s%s",
			      f->name, strerror(-rc), in->ack[0] ? ": " : "", in->ack);
	if (c.name == f->name)
		say(note, ctx, rec->tenant, "interface %s back on the host", f->name);
	return 0;
}

static void forget(const struct tr_netrec *rec, const char *path)
{
	unpin(rec->pin);
	unpin(rec->user_pin);
	(void)unlink(path);
}

int tr_netns_reclaim(const char *record, const char *tenant, tr_note_fn note, void *ctx,
		     struct tr_error *err)
{
	/* A setup of ours that did not finish: its helper holds the netns. */
	if (helper.plan && strcmp(helper.plan->tenant, tenant) == 0)
		helper_let_go();
	_cleanup_free_ struct tr_netrec *rec = calloc(1, sizeof(*rec));
	if (rec == NULL)
		return tr_err(err, EX_OSERR, "out of memory");
	int rc = tr_netrec_load(record, rec, err);
	if (rc != 0)
		return rc > 0 ? 0 : -1;
	if (strcmp(rec->tenant, tenant) != 0)
		return tr_err(err, EX_OSFILE, "%s is the record of tenant \"%s\"", record, rec->tenant);
	if (rec->mode == TR_NETREC_CONTAINER) {
		(void)unlink(record);
		return 0;
	}
	unsigned long long dev = 0, ino = 0;
	if ((rc = self_netns(&dev, &ino)) < 0)
		return tr_err_sys(err, EX_OSERR, -rc, "cannot read /proc/self/ns/net");
	if (rec->host_ino && (dev != rec->host_dev || ino != rec->host_ino))
		return tr_err(err, EX_TEMPFAIL,
			      "its interfaces came from net:[%llu], not this network namespace (net:[%llu]); reap from the host's",
			      rec->host_ino, ino);
	_cleanup_close_ int nsfd = rec->pin_ino ? open_pin(rec->pin, rec->pin_dev, rec->pin_ino) : -ENOENT;
	if (nsfd < 0) {
		/* Gone (a reboot, a pin removed by hand) or never made: what it
		 * held went with it. */
		for (unsigned i = 0; i < rec->n_ifs; i++)
			say(note, ctx, rec->tenant,
			    "interface %s went with its network namespace (a veth is destroyed with it; a physical one is back on the host, maybe as dev<N>)",
			    rec->ifs[i].name);
		forget(rec, record);
		return 0;
	}
	_cleanup_close_ int hostfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	struct tr_rtnl in = { 0 }, host = { 0 };
	if (hostfd < 0)
		return tr_err_sys(err, EX_OSERR, errno, "cannot open /proc/self/ns/net");
	if ((rc = tr_rtnl_open(&in, nsfd)) < 0 || (rc = tr_rtnl_open(&host, -1)) < 0) {
		tr_rtnl_close(&in);
		return tr_err_sys(err, EX_OSERR, -rc, "cannot open an rtnetlink socket");
	}
	int failed = 0;
	for (unsigned i = 0; i < rec->n_ifs; i++)
		if (move_back(rec, &rec->ifs[i], &in, &host, hostfd, note, ctx, err) < 0)
			failed++;
	tr_rtnl_close(&in);
	tr_rtnl_close(&host);
	if (failed)
		return -1;   /* all of it stays for a later reclaim */
	forget(rec, record);
	return 0;
}

/* --- a member inside ----------------------------------------------------- */

/* The pins of the member about to start, opened by the parent, inherited
 * by the forked child (closed at exec). */
static struct {
	const struct tr_net_plan *np;
	int net_fd, user_fd;
} member = { NULL, -1, -1 };

static void member_close(void)
{
	if (member.net_fd >= 0)
		close(member.net_fd);
	if (member.user_fd >= 0)
		close(member.user_fd);
	member.net_fd = member.user_fd = -1;
	member.np = NULL;
}

int tr_netns_member_prepare(const struct tr_net_plan *np, struct tr_error *err)
{
	member_close();
	if (tr_netns_setup_finish(err) < 0)
		return -1;
	if (np->mode != TR_NETNS_OWN)
		return 0;
	_cleanup_free_ struct tr_netrec *rec = calloc(1, sizeof(*rec));
	if (rec == NULL)
		return tr_err(err, EX_OSERR, "out of memory");
	int rc = tr_netrec_load(np->record, rec, err);
	if (rc > 0)
		return tr_err(err, EX_UNAVAILABLE,
			      "its network namespace is not there (no record %s); its first member makes it at admission",
			      np->record);
	if (rc < 0)
		return -1;
	if (rec->mode != TR_NETREC_OWN)
		return tr_err(err, EX_UNAVAILABLE,
			      "its group runs in the network namespace of a container (net:[%llu]); start this member in that container's pod",
			      rec->host_ino);
	member.net_fd = open_pin(np->pin, rec->pin_dev, rec->pin_ino);
	if (member.net_fd < 0 || (np->userns && rec->user_ino &&
				  (member.user_fd = open_pin(np->user_pin, rec->user_dev,
							     rec->user_ino)) < 0)) {
		member_close();
		return tr_err(err, EX_UNAVAILABLE,
			      "its network namespace pinned at %s is gone; 'tenantrt reap', then start its primary again",
			      np->pin);
	}
	if (np->userns && member.user_fd < 0) {
		member_close();
		return tr_err(err, EX_UNAVAILABLE, "its network namespace has no user namespace pin");
	}
	member.np = np;
	return 0;
}

int tr_netns_member_sysfs(struct tr_error *err)
{
	_cleanup_close_ int cg = -1;
	if (tr_is_mountpoint("/sys/fs/cgroup")) {
		cg = open_tree(AT_FDCWD, "/sys/fs/cgroup",
			       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		if (cg < 0)
			return tr_err_sys(err, EX_OSERR, errno, "cannot keep /sys/fs/cgroup");
	}
	if (mount("sysfs", "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "cannot mount the member's own sysfs");
	if (cg >= 0 && move_mount(cg, "", AT_FDCWD, "/sys/fs/cgroup", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "cannot put /sys/fs/cgroup back");
	return 0;
}

int tr_netns_child_enter(const struct tr_net_plan *np, struct tr_error *err)
{
	if (np->mode != TR_NETNS_OWN)
		return 0;
	if (member.np != np || member.net_fd < 0)
		return tr_err(err, EX_SOFTWARE, "the network namespace was not prepared");
	if (setns(member.net_fd, CLONE_NEWNET) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "cannot enter the tenant's network namespace");
	/* A mount namespace of its own (the isolation of its file system
	 * may have made one already: a second is harmless), which receives
	 * no more than it needs from the host and gives nothing back. */
	if (unshare(CLONE_NEWNS) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "cannot make the member's mounts slaves");
	if (tr_netns_member_sysfs(err) < 0)
		return -1;
	/* The pins: an fd on another tenant's netns is all IFLA_NET_NS_FD
	 * needs; 0700 keeps non-root uids out, this keeps everyone out. */
	if (mount("tmpfs", np->hide, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=4k,mode=000") < 0)
		return tr_err_sys(err, EX_OSERR, errno, "cannot hide %s", np->hide);
	return 0;
}

int tr_netns_child_enter_user(const struct tr_net_plan *np, struct tr_error *err)
{
	if (np->mode != TR_NETNS_OWN || member.user_fd < 0)
		return 0;
	if (setns(member.user_fd, CLONE_NEWUSER) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "cannot enter the tenant's user namespace");
	return 0;
}
