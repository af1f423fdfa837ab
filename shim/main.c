/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt-shim: the per-container entrypoint. Runs
 *   APP <planned EAL args> -- ARGS
 * as the tenant's primary or as a secondary of its group, after the
 * stages parse -> resolve -> validate -> role -> admit -> plan -> tenantfs
 * -> manifest -> isolate, then supervises it PID-1 style and gives back
 * what the tenant held when its last member is gone.
 *
 * Deliberately not linked with DPDK and doing no work the decision does
 * not need: the shim's time from its exec to the app's exec is overhead
 * on every container start.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host/admit.h"
#include "config/parse.h"
#include "host/elf.h"
#include "host/hostfacts.h"
#include "isolate/isolate.h"
#include "host/container.h"
#include "host/manifest.h"
#include "plan/plan.h"
#include "config/resolve.h"
#include "host/role.h"
#include "run/supervise.h"
#include "isolate/tenantfs.h"
#include "common/cleanup.h"
#include "config/validate.h"

extern char **environ;

#define NAME "tenantrt-shim"
#define DEFAULT_STOP_TIMEOUT 10
/* How long a secondary waits for a primary that is admitted but has not
 * taken its DPDK lock yet (EAL start-up), when --wait-primary is not set. */
#define STARTING_PRIMARY_GRACE 10.0

struct opts {
	const char *config;
	const char *tenant;
	enum tr_role_request role;
	double wait_primary;
	unsigned stop_timeout;
	char **app_argv;   /* APP ARGS... */
	int app_argc;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: " NAME " [--config F] --tenant T [--role primary|secondary|auto]\n"
		"                     [--wait-primary SECONDS] [--stop-timeout SECONDS] -- APP [ARGS]\n"
		"Runs APP <planned EAL args> -- ARGS as a member of tenant T.\n"
		"Environment: TENANTRT_CONFIG, TENANTRT_TENANT, TENANTRT_ROLE,\n"
		"             TENANTRT_WAIT_PRIMARY, TENANTRT_STOP_TIMEOUT.\n");
}

static int die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(NAME ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return code;
}

static int parse_seconds(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v < 0 || v > 86400)
		return -1;
	*out = v;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "tenant", required_argument, NULL, 't' },
		{ "role", required_argument, NULL, 'r' },
		{ "wait-primary", required_argument, NULL, 'w' },
		{ "stop-timeout", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *role = getenv("TENANTRT_ROLE");
	const char *wait = getenv("TENANTRT_WAIT_PRIMARY");
	const char *stop = getenv("TENANTRT_STOP_TIMEOUT");
	o->config = tr_default_config_path();
	o->tenant = getenv("TENANTRT_TENANT");
	int c;
	/* '+': stop at the first non-option, the app's name. */
	while ((c = getopt_long(argc, argv, "+c:t:r:w:s:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 't': o->tenant = optarg; break;
		case 'r': role = optarg; break;
		case 'w': wait = optarg; break;
		case 's': stop = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (o->tenant == NULL || *o->tenant == '\0')
		return die(-1, "no tenant: give --tenant NAME or set TENANTRT_TENANT");
	if (role && *role && tr_role_request_parse(role, &o->role) < 0)
		return die(-1, "--role \"%s\": expected primary, secondary or auto", role);
	if (wait && *wait && parse_seconds(wait, &o->wait_primary) < 0)
		return die(-1, "--wait-primary \"%s\": expected seconds (0-86400)", wait);
	double st = DEFAULT_STOP_TIMEOUT;
	if (stop && *stop && parse_seconds(stop, &st) < 0)
		return die(-1, "--stop-timeout \"%s\": expected seconds (0-86400)", stop);
	o->stop_timeout = (unsigned)st;
	if (optind >= argc)
		return die(-1, "no app: give it after \"--\", e.g. " NAME " --tenant %s -- dpdk-testpmd",
			   o->tenant);
	o->app_argv = argv + optind;
	o->app_argc = argc - optind;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool primary_lease_alive(struct tr_ledger *lg, const char *tenant)
{
	struct tr_lease *v = NULL;
	unsigned n = 0;
	bool alive = false;
	if (tr_ledger_lock(lg, false, NULL) < 0)
		return false;
	if (tr_ledger_scan(lg, &v, &n, NULL) == 0)
		for (unsigned i = 0; i < n; i++)
			if (v[i].alive && v[i].role == TR_ROLE_PRIMARY &&
			    strcmp(v[i].tenant, tenant) == 0)
				alive = true;
	tr_ledger_unlock(lg);
	free(v);
	return alive;
}

/*
 * The role. auto: secondary while DPDK's config lock is held (or a primary
 * is admitted and still starting), else primary. A secondary needs the lock
 * held before its EAL starts: wait for it up to --wait-primary, or briefly
 * when an admitted primary is still coming up.
 */
static int decide_role(const struct opts *o, struct tr_ledger *lg,
		       const char *rundir, enum tr_role *role, pid_t *holder,
		       struct tr_error *err)
{
	bool held = tr_role_lock_held(rundir, o->tenant, holder);
	if (o->role == TR_REQ_PRIMARY) {
		*role = TR_ROLE_PRIMARY;
		if (held)
			return tr_err(err, EX_UNAVAILABLE,
				      "tenant \"%s\": a primary is already running (pid %d); start with --role secondary or auto",
				      o->tenant, (int)*holder);
		return 0;
	}
	bool starting = !held && primary_lease_alive(lg, o->tenant);
	if (o->role == TR_REQ_AUTO && !held && !starting) {
		*role = TR_ROLE_PRIMARY;
		return 0;
	}
	*role = TR_ROLE_SECONDARY;
	double wait = o->wait_primary;
	if (starting && wait < STARTING_PRIMARY_GRACE)
		wait = STARTING_PRIMARY_GRACE;
	double end = now_s() + wait;
	while (!held) {
		if (now_s() >= end)
			return tr_err(err, EX_UNAVAILABLE,
				      "tenant \"%s\": no primary is running; start one first, or give --wait-primary SECONDS",
				      o->tenant);
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		held = tr_role_lock_held(rundir, o->tenant, holder);
	}
	return 0;
}

struct watch_ctx {
	const char *tenant;
	const char *rundir;
	pid_t primary;     /* the lock holder we joined */
	pid_t *app;
	bool fired;        /* we stopped the app because the primary went */
};

/* A secondary lives only as long as the primary it joined. */
static bool watch_primary(void *vctx, char *why, size_t len)
{
	struct watch_ctx *c = vctx;
	pid_t holder = 0;
	bool held = tr_role_lock_held(c->rundir, c->tenant, &holder);
	if (held && holder == c->primary)
		return false;
	snprintf(why, len, "tenant \"%s\": primary (pid %d) exited; stopping secondary (pid %d)",
		 c->tenant, (int)c->primary, (int)*c->app);
	c->fired = true;
	return true;
}

static void note_stderr(void *ctx, const char *what)
{
	(void)ctx;
	fprintf(stderr, NAME ": %s\n", what);
}

/* plan env first, then the shim's environment minus the keys the plan sets.
 * Built before fork: the child must not allocate. */
static char **merge_env(const struct tr_plan *p)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + (size_t)p->envc + 1, sizeof(char *));
	if (env == NULL)
		return NULL;
	size_t k = 0;
	for (int i = 0; i < p->envc; i++)
		env[k++] = p->env[i];
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t kl = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		bool dup = false;
		for (int j = 0; j < p->envc && !dup; j++)
			dup = strncmp(p->env[j], environ[i], kl) == 0 && p->env[j][kl] == '=';
		if (!dup)
			env[k++] = environ[i];
	}
	env[k] = NULL;
	return env;
}

static void join_lcores(const struct tr_plan *p, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < p->n_lcores && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%u", i ? "," : "", p->lcore_ids[i]);
}

/*
 * DPDK's own tools dpdk-proc-info and dpdk-pdump (22.11) put "-c1" and
 * "--proc-type=secondary" in front of whatever argv they get, and EAL
 * refuses --lcores next to -c ("Option --lcores is ignored, because (-c) is
 * set!", then "Invalid 'command line' arguments"). They run on lcore 0
 * whatever we plan; they only read stats or copy packets into their own
 * pool, so they get no --lcores rather than not running at all.
 */
static const char *const forced_core_tools[] = { "dpdk-proc-info", "dpdk-pdump" };

static bool drop_lcores_for_tool(struct tr_plan *p, const char *binary)
{
	const char *base = strrchr(binary, '/');
	base = base ? base + 1 : binary;
	bool tool = false;
	for (size_t i = 0; i < TR_ARRAY_SIZE(forced_core_tools); i++)
		tool |= strcmp(base, forced_core_tools[i]) == 0;
	if (!tool)
		return false;
	for (int i = p->eal_first; i < p->eal_end; i++) {
		int n = strncmp(p->argv[i], "--lcores=", 9) == 0 ? 1
			: strcmp(p->argv[i], "--lcores") == 0 ? 2 : 0;
		if (n == 0)
			continue;
		for (int k = 0; k < n; k++)
			free(p->argv[i + k]);
		memmove(&p->argv[i], &p->argv[i + n],
			(size_t)(p->argc - i - n + 1) * sizeof(char *));
		p->argc -= n;
		p->eal_end -= n;
		return true;
	}
	return false;
}

/*
 * TENANTRT_SHIM_TIMING=1: one stderr line with the time each stage took,
 * from main() to the app's exec (seen as EOF on the exec pipe, which is
 * close-on-exec), for `make bench` and for finding a slow host.
 */
struct timing {
	bool on;
	unsigned n;
	const char *label[16];
	double t[16];
};

static void mark(struct timing *tm, const char *label)
{
	if (!tm->on || tm->n >= TR_ARRAY_SIZE(tm->t))
		return;
	tm->label[tm->n] = label;
	tm->t[tm->n++] = now_s();
}

static void print_timing(const struct timing *tm)
{
	if (!tm->on || tm->n < 2)
		return;
	char buf[512];
	size_t k = 0;
	for (unsigned i = 1; i < tm->n && k < sizeof(buf); i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, " %s %.0f", tm->label[i],
				      (tm->t[i] - tm->t[i - 1]) * 1e6);
	fprintf(stderr, NAME ": timing (usec):%s; main to app exec %.0f\n", buf,
		(tm->t[tm->n - 1] - tm->t[0]) * 1e6);
}

/*
 * What the container or pod gives this member, against tenants.yaml
 * (k8s.h): t's cpus narrowed to the container's cpuset, a primary's quota
 * under the hugetlb ceiling, the device plugin's vfio nodes present; and a
 * secondary in the group's PID namespace, since DPDK names per-process
 * files after the pid. Before admission: a refusal holds nothing.
 */
static int container_checks(struct tr_config *cfg, const struct tr_host_facts *facts,
			    struct tr_tenant *t, enum tr_role role, const char *rundir,
			    struct tr_error *err)
{
	struct tr_cpuset cpus = *tr_tenant_cpus(cfg, facts, t);
	struct tr_k8s_limits lim;
	char dpdkdir[4400];
	snprintf(dpdkdir, sizeof(dpdkdir), "%s/dpdk/%s", rundir, t->name);
	if (tr_k8s_probe(&lim, "", cfg->host.page_size, environ, err) < 0 ||
	    tr_k8s_apply_limits(cfg, t, &cpus, &lim, role == TR_ROLE_PRIMARY, err) < 0 ||
	    tr_k8s_check_device_info(cfg, t, "", environ, err) < 0)
		return -1;
	if (role == TR_ROLE_SECONDARY &&
	    (tr_k8s_check_primary_visible(t->name, dpdkdir, err) < 0 ||
	     tr_k8s_check_pid_namespace(t->name, dpdkdir, "/proc/locks", err) < 0))
		return -1;
	return 0;
}

/*
 * In a pod the device plugin sets PCIDEVICE_* only in the container that
 * requested the resource: the primary's. A secondary whose variable is
 * unset takes the primary's device list from the group manifest, which is
 * exactly what DPDK needs it to be; a primary without it has no NICs.
 */
static int adopt_env_nics(struct tr_tenant *t, enum tr_role role, const char *config,
			  const char *rundir, struct tr_error *err)
{
	const struct tr_nic *env = tr_nic_env_unresolved(t);
	if (env == NULL)
		return 0;
	/* t->nics is replaced below: keep what the messages need. */
	char var[256];
	struct tr_mark mark = env->mark;
	snprintf(var, sizeof(var), "%s", env->spec);
	if (role == TR_ROLE_PRIMARY)
		return tr_err(err, EX_DATAERR,
			      "%s:%u:%u: tenant \"%s\": NIC env %s is not set; is the device plugin resource requested?",
			      config, mark.line, mark.col, t->name, var);
	struct tr_manifest m = { 0 };
	if (tr_manifest_read(&m, rundir, err) < 0)
		return tr_err_wrap(err, "tenant \"%s\": NIC env %s is not set and the primary's devices are unknown",
				   t->name, var);
	struct tr_nic nics[TR_MAX_NICS];
	unsigned n = 0;
	char list[1024] = "";
	size_t k = 0;
	for (unsigned i = 0; i < m.n_devices && n < TR_MAX_NICS; i++) {
		const char *a = m.devices[i];
		const char *spec = NULL;
		enum tr_nic_kind kind = TR_NIC_PCI;
		if ((strcmp(a, "-a") == 0 || strcmp(a, "--allow") == 0) && i + 1 < m.n_devices)
			spec = m.devices[++i];
		else if (strncmp(a, "--vdev=", 7) == 0)
			spec = a + 7, kind = TR_NIC_VDEV;
		else if (strcmp(a, "--vdev") == 0 && i + 1 < m.n_devices)
			spec = m.devices[++i], kind = TR_NIC_VDEV;
		if (spec == NULL)
			continue;  /* --no-pci: the plan derives it again */
		nics[n] = (struct tr_nic){ .kind = kind, .spec = strdup(spec), .mark = mark };
		if (nics[n].spec == NULL) {
			for (unsigned j = 0; j < n; j++)
				free(nics[j].spec);
			tr_manifest_free(&m);
			return tr_err(err, EX_OSERR, "out of memory");
		}
		if (k < sizeof(list))
			k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s", n ? ", " : "", spec);
		n++;
	}
	tr_manifest_free(&m);
	for (unsigned i = 0; i < t->n_nics; i++) {
		free(t->nics[i].spec);
		free(t->nics[i].from_env);
	}
	memcpy(t->nics, nics, n * sizeof(nics[0]));
	t->n_nics = n;
	fprintf(stderr, NAME ": tenant \"%s\": %s is not set in this container; using the primary's devices (%s)\n",
		t->name, var, n ? list : "none");
	return 0;
}

static void print_diags(const struct tr_diags *d)
{
	if (d->n)
		tr_diags_print(d, stderr);
}

int main(int argc, char **argv)
{
	struct opts o = { .role = TR_REQ_AUTO, .stop_timeout = DEFAULT_STOP_TIMEOUT };
	/* A closed log pipe must not kill the shim half-way through giving a
	 * tenant's hugepages back. The child restores the default. */
	signal(SIGPIPE, SIG_IGN);
	const char *timing_env = getenv("TENANTRT_SHIM_TIMING");
	struct timing tm = { .on = timing_env && *timing_env && strcmp(timing_env, "0") != 0 };
	mark(&tm, "main");
	if (parse_opts(argc, argv, &o) < 0)
		return EX_USAGE;

	struct tr_error err = { 0 };
	static struct tr_config cfg;
	static struct tr_diags diags;
	tr_diags_init(&diags, o.config);
	if (tr_config_load(&cfg, o.config, &diags, &err) < 0) {
		print_diags(&diags);
		if (err.code)
			return die(err.code, "%s", err.msg);
		return EX_DATAERR;
	}
	if (tr_config_resolve_tenant(&cfg, o.tenant, environ, true, &diags) < 0) {
		print_diags(&diags);
		return EX_DATAERR;
	}
	struct tr_host_facts facts;
	mark(&tm, "load");
	if (tr_host_facts_probe(&facts, &err) < 0)
		return die(err.code ? err.code : EX_OSERR, "%s", err.msg);
	mark(&tm, "facts");
	if (tr_config_validate(&cfg, &facts, &diags) < 0) {
		print_diags(&diags);
		return EX_DATAERR;
	}
	print_diags(&diags);   /* warnings */

	/* Ours to narrow (container cpus) before planning. */
	struct tr_tenant *t = (struct tr_tenant *)tr_config_find(&cfg, o.tenant);
	if (t == NULL)
		return die(EX_USAGE, "tenant \"%s\" is not in %s; give one of its tenants",
			   o.tenant, o.config);

	const char *root = tr_host_runtime_root(&cfg.host);
	char hbuf[4096], rundir[4200], hugedir[4200];
	snprintf(rundir, sizeof(rundir), "%s/%s", root, t->name);
	snprintf(hugedir, sizeof(hugedir), "%s/%s",
		 tr_host_hugepage_dir(&cfg.host, hbuf, sizeof(hbuf)), t->name);

	struct tr_elf_info elf;
	mark(&tm, "validate");
	if (tr_elf_inspect(o.app_argv[0], getenv("PATH"), &elf, &err) < 0)
		return die(err.code, "tenant \"%s\": %s", t->name, err.msg);

	struct tr_ledger lg;
	if (tr_ledger_open(&lg, root, true, &err) < 0)
		return die(err.code, "%s", err.msg);

	enum tr_role role;
	pid_t holder = 0;
	mark(&tm, "elf");
	if (decide_role(&o, &lg, rundir, &role, &holder, &err) < 0 ||
	    adopt_env_nics(t, role, o.config, rundir, &err) < 0 ||
	    container_checks(&cfg, &facts, t, role, rundir, &err) < 0)
		return die(err.code, "%s", err.msg);

	/* What the member will hold, for the ledger's cross-tenant checks. */
	struct tr_admit_req req = {
		.tenant = t->name,
		.role = role,
		.max_secondaries = t->group.max_secondaries,
		.primary_lock_held = holder != 0 || tr_role_lock_held(rundir, t->name, NULL),
		.primary_lock_pid = holder,
		.free_pages = facts.free_pages[cfg.host.page_size],
		.reread_free_pages = true,
		.note = note_stderr,
	};
	struct tr_lease *ls = &req.lease;
	ls->exclusive = t->cpu_policy == TR_CPU_EXCLUSIVE;
	ls->cpus = *tr_tenant_cpus(&cfg, &facts, t);
	ls->n_nics = t->n_nics;
	for (unsigned i = 0; i < t->n_nics; i++)
		tr_nic_identity(&t->nics[i], ls->nics[i], sizeof(ls->nics[i]));
	ls->page_bytes = tr_page_bytes(cfg.host.page_size);
	ls->quota_pages = (tr_tenant_limit_mb(t) * (UINT64_C(1) << 20) + ls->page_bytes - 1) /
			  ls->page_bytes;
	snprintf(ls->runtime_dir, sizeof(ls->runtime_dir), "%s", rundir);
	snprintf(ls->huge_dir, sizeof(ls->huge_dir), "%s", hugedir);
	if (realpath(o.config, ls->config) == NULL)
		snprintf(ls->config, sizeof(ls->config), "%s", o.config);

	struct tr_admission adm;
	mark(&tm, "role");
	if (tr_admit(&lg, &req, &adm, &err) < 0) {
		/* Two auto starts raced for an empty tenant and the other one
		 * became the primary: join it, as auto promises. */
		if (!(o.role == TR_REQ_AUTO && adm.lost_primary_race))
			return die(err.code, "%s", err.msg);
		struct opts as_secondary = o;
		as_secondary.role = TR_REQ_SECONDARY;
		if (decide_role(&as_secondary, &lg, rundir, &role, &holder, &err) < 0 ||
		    container_checks(&cfg, &facts, t, role, rundir, &err) < 0)
			return die(err.code, "%s", err.msg);
		req.role = role;
		req.primary_lock_held = true;
		req.primary_lock_pid = holder;
		if (tr_admit(&lg, &req, &adm, &err) < 0)
			return die(err.code, "%s", err.msg);
	}

	/* From here on the lease is ours: every exit goes through release. */
	int rc = EX_SOFTWARE;
	static struct tr_plan plan;
	bool planned = false;
	char **env = NULL;
	struct tr_manifest mine = { 0 }, theirs = { 0 };

	mark(&tm, "admit");
	if (tr_plan_build(&plan, &cfg, &facts, t, role, adm.lease.member, o.app_argv[0],
			  o.app_argv + 1, o.app_argc - 1, &err) < 0) {
		rc = die(err.code, "tenant \"%s\": %s", t->name, err.msg);
		goto release;
	}
	planned = true;
	join_lcores(&plan, adm.lease.lcores, sizeof(adm.lease.lcores));
	adm.lease.member_cpus = plan.iso.member_cpus;
	if (drop_lcores_for_tool(&plan, elf.path)) {
		/* -c1 pins the tool's main lcore to cpu 0; inside a cpuset
		 * without cpu 0 EAL dies with "Cannot set affinity" and a
		 * PANIC: say so before it runs. */
		if (!tr_cpuset_isset(&plan.iso.cpus, 0)) {
			char cpus[128];
			tr_cpuset_format(&plan.iso.cpus, cpus, sizeof(cpus));
			rc = die(EX_CONFIG,
				 "tenant \"%s\": %s forces -c1 (cpu 0) but the tenant's cpus are %s; give the tenant cpu 0 (cpuPolicy shared) to run it, or use a tool that takes --lcores",
				 t->name, o.app_argv[0], cpus);
			goto release;
		}
		fprintf(stderr, NAME ": tenant \"%s\": %s sets its own -c1 (lcore 0); --lcores not passed\n",
			t->name, o.app_argv[0]);
		snprintf(adm.lease.lcores, sizeof(adm.lease.lcores), "0");
		tr_cpuset_zero(&adm.lease.member_cpus);
		tr_cpuset_set(&adm.lease.member_cpus, 0);
	}

	mark(&tm, "plan");
	struct tr_tenantfs fs;
	if (tr_tenantfs_setup(&plan, t->name, &fs, &err) < 0) {
		rc = die(err.code, "%s", err.msg);
		goto release;
	}
	adm.lease.huge_mounted = fs.mounted;
	/* Record the mount at once: a shim killed from here on leaves a
	 * lease that tells reap to unmount it. */
	if (fs.mounted && tr_admission_update(&lg, &adm, &err) < 0) {
		rc = die(err.code, "%s", err.msg);
		goto release;
	}

	mark(&tm, "tenantfs");
	if (tr_manifest_from_plan(&mine, &plan, &elf, fs.mounted, &err) < 0) {
		rc = die(err.code, "%s", err.msg);
		goto release;
	}
	if (role == TR_ROLE_PRIMARY) {
		if (tr_manifest_write(&mine, rundir, &err) < 0) {
			rc = die(err.code, "tenant \"%s\": %s", t->name, err.msg);
			goto release;
		}
	} else {
		bool foreign = false;
		if (tr_manifest_read(&theirs, rundir, &err) < 0 ||
		    tr_manifest_check(&theirs, &mine, t->name, t->group.allow_foreign_binaries,
				      &foreign, &err) < 0) {
			rc = die(err.code, "%s", err.msg);
			goto release;
		}
		if (foreign) {
			const char *base = strrchr(elf.path, '/');
			fprintf(stderr,
				NAME ": warning: tenant \"%s\": %s is not the primary's binary; function pointers (rte_hash, mempool ops) do not cross binaries\n",
				t->name, base ? base + 1 : elf.path);
		}
		/* The last member to leave unmounts what the primary mounted. */
		adm.lease.huge_mounted = theirs.huge_mounted;
	}
	if (tr_admission_update(&lg, &adm, &err) < 0) {
		rc = die(err.code, "%s", err.msg);
		goto release;
	}
	mark(&tm, "manifest");
	if (tr_isolate_tenant_setup(&plan, t->name, &err) < 0) {
		rc = die(err.code ? err.code : EX_OSERR, "tenant \"%s\": %s", t->name, err.msg);
		goto release;
	}

	env = merge_env(&plan);
	if (env == NULL) {
		rc = die(EX_OSERR, "out of memory");
		goto release;
	}
	sigset_t oldmask;
	tr_supervise_block(&oldmask);
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		rc = die(EX_OSERR, "pipe: %s", strerror(errno));
		goto release;
	}
	pid_t shim = getpid();
	mark(&tm, "isolate");
	pid_t child = fork();
	if (child < 0) {
		rc = die(EX_OSERR, "fork: %s", strerror(errno));
		goto release;
	}
	if (child == 0) {
		close(pfd[0]);
		struct tr_error cerr = { 0 };
		int what = 0;
		if (tr_supervise_child_prepare(&oldmask, shim) < 0)
			_exit(EX_OSERR);
		if (tr_isolate_child(&plan, t->name, &cerr) < 0) {
			/* The parent reports it: the child must not print. */
			what = -1;
			(void)!write(pfd[1], &what, sizeof(what));
			(void)!write(pfd[1], &cerr, sizeof(cerr));
			_exit(cerr.code ? cerr.code : EX_OSERR);
		}
		execvpe(plan.argv[0], plan.argv, env);
		what = errno;
		(void)!write(pfd[1], &what, sizeof(what));
		_exit(what == ENOENT ? 127 : 126);
	}
	close(pfd[1]);
	int what = 0;
	ssize_t r;
	while ((r = read(pfd[0], &what, sizeof(what))) < 0 && errno == EINTR)
		;
	if (r == (ssize_t)sizeof(what)) {
		struct tr_error cerr = { 0 };
		if (what == -1 && read(pfd[0], &cerr, sizeof(cerr)) == (ssize_t)sizeof(cerr))
			die(cerr.code, "tenant \"%s\": %s", t->name, cerr.msg);
		else
			die(what == ENOENT ? 127 : 126, "tenant \"%s\": cannot run %s: %s",
			    t->name, plan.argv[0], strerror(what));
		int ws;
		waitpid(child, &ws, 0);
		close(pfd[0]);
		rc = tr_exit_status(ws);
		goto release;
	}
	close(pfd[0]);
	mark(&tm, "fork+exec");
	print_timing(&tm);

	adm.lease.app_pid = child;
	tr_admission_update(&lg, &adm, NULL);

	struct watch_ctx wc = { t->name, rundir, holder, &adm.lease.app_pid, false };
	if (role == TR_ROLE_SECONDARY && wc.primary == 0)
		tr_role_lock_held(rundir, t->name, &wc.primary);
	struct tr_supervise sv = {
		.child = child,
		.stop_timeout = o.stop_timeout,
		.watch = role == TR_ROLE_SECONDARY ? watch_primary : NULL,
		.watch_ctx = &wc,
		.name = NAME,
	};
	rc = tr_supervise_run(&sv);
	if (role == TR_ROLE_SECONDARY && !wc.fired) {
		/* The app may notice first (EAL's mp socket goes away) and end
		 * before the next poll: still say why the group member left. */
		pid_t now_holder = 0;
		if (!tr_role_lock_held(rundir, t->name, &now_holder) || now_holder != wc.primary)
			fprintf(stderr, NAME ": tenant \"%s\": primary (pid %d) exited; secondary (pid %d) ended with it (status %d)\n",
				t->name, (int)wc.primary, (int)child, rc);
	}

release:
	if (tr_admission_release(&lg, &adm, note_stderr, NULL, &err) < 0)
		die(err.code, "tenant \"%s\": %s", t->name, err.msg);
	tr_ledger_close(&lg);
	free(env);
	tr_manifest_free(&mine);
	tr_manifest_free(&theirs);
	if (planned)
		tr_plan_free(&plan);
	tr_config_free(&cfg);
	tr_diags_free(&diags);
	return rc;
}
