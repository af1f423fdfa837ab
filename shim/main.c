/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt-shim: the per-container entrypoint. Runs
 *   APP <planned EAL args> [the user's EAL options] -- ARGS
 * from `tenantrt-shim ... -- APP [EAL options --] ARGS`
 * as the tenant's primary or as a secondary of its group, through the
 * stages below, each one call into the folder that owns it, then
 * supervises it PID-1 style and gives back what the tenant held when its
 * last member is gone:
 *
 *   load, resolve   config/    tenants.yaml -> the tenant model
 *   validate        config/    whole-file rules against the host's facts
 *   role            host/      primary, or secondary in a free slot
 *   inputs          host/      container ceilings, the app, the group record
 *   plan            plan/      argv, env, isolation, claims (pure)
 *   reach           host/      the tenant's uid can pass to its dirs and
 *                              its app
 *   admit           host/      the ledger's rules; the lease is held; the
 *                              first member makes the tenant's netns
 *   tenant fs       isolate/   runtime dir, hugetlbfs mount
 *   group record    host/      the primary writes it, a secondary checks it
 *   isolate         isolate/   cgroups; the seccomp filter compiled
 *   spawn           run/       fork, isolation in the child, exec
 *   supervise       run/       signals, zombies, the exit status
 *   member end      run/       what the app left is killed
 *   release         host/ run/ the lease; the tenant's state when last
 *
 * Deliberately not linked with DPDK and doing no work the decision does
 * not need: the shim's time from its exec to the app's exec is overhead
 * on every container start.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/exits.h"
#include "common/report.h"
#include "common/timing.h"
#include "config/parse.h"
#include "config/resolve.h"
#include "config/validate.h"
#include "host/admit.h"
#include "host/hostfacts.h"
#include "host/inputs.h"
#include "host/reach.h"
#include "host/role.h"
#include "isolate/isolate.h"
#include "isolate/netns.h"
#include "isolate/tenantfs.h"
#include "run/member.h"
#include "run/reap.h"
#include "run/spawn.h"
#include "run/supervise.h"
#include "run/watchdog.h"

extern char **environ;

#define NAME "tenantrt-shim"
#define DEFAULT_STOP_TIMEOUT 10
#define ROLE_RETRIES 5

struct opts {
	const char *config;
	const char *tenant;
	enum tr_role_request role;
	double wait_primary;
	unsigned stop_timeout;
	char **app_argv;   /* APP ARGS... */
	int app_argc;
};

/* Everything main's stages share, so that release sees what was made. */
struct shim {
	struct opts o;
	struct tr_config cfg;
	struct tr_diags diags;
	struct tr_host_facts facts;
	const struct tr_tenant *t;
	char rundir[4200];
	struct tr_inputs in;
	struct tr_role_result who;
	struct tr_plan plan;
	struct tr_ledger lg;
	struct tr_admission adm;
	struct tr_error err;
	struct tr_timing tm;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: " NAME " [--config F] --tenant T [--role primary|secondary|auto]\n"
		"                     [--wait-primary SECONDS] [--stop-timeout SECONDS]\n"
		"                     -- APP [EAL options --] [ARGS]\n"
		"Runs APP <planned EAL args> [EAL options] -- ARGS as a member of tenant T.\n"
		"EAL options are those before a \"--\" after APP; tenants.yaml owns some\n"
		"(-l, -m, -a, --vdev, --file-prefix, ...): those are refused. Without a\n"
		"\"--\" after APP, every ARG is the app's.\n"
		"Environment: TENANTRT_CONFIG, TENANTRT_TENANT, TENANTRT_ROLE,\n"
		"             TENANTRT_WAIT_PRIMARY, TENANTRT_STOP_TIMEOUT.\n");
	if (out == stdout)
		tr_exits_print(out);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, NAME ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	return -1;
}

static int parse_seconds(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	/* strtod takes "nan" and "inf": neither is a number of seconds. */
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 86400)
		return -1;
	*out = v;
	return 0;
}

/* 0, 1 for --help, -1 for a usage error (said). */
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
	/* The environment gives defaults; the command line, each once. */
	const char *given[128] = { NULL };
	*o = (struct opts){ .role = TR_REQ_AUTO, .stop_timeout = DEFAULT_STOP_TIMEOUT };
	int c;
	/* '+': stop at the first non-option, the app's name. */
	while ((c = getopt_long(argc, argv, "+c:t:r:w:s:h", lopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == '?' || c == ':' || c >= 128) {
			usage(stderr);
			return -1;
		}
		if (given[c]) {
			const struct option *lo = lopts;
			while (lo->val != c)
				lo++;
			fprintf(stderr, NAME ": --%s is given twice (\"%s\", then \"%s\"); give it once\n",
				lo->name, given[c], optarg);
			return -1;
		}
		given[c] = optarg;
	}
	const char *role = given['r'] ? given['r'] : getenv("TENANTRT_ROLE");
	const char *wait = given['w'] ? given['w'] : getenv("TENANTRT_WAIT_PRIMARY");
	const char *stop = given['s'] ? given['s'] : getenv("TENANTRT_STOP_TIMEOUT");
	o->config = given['c'] ? given['c'] : tr_default_config_path();
	o->tenant = given['t'] ? given['t'] : getenv("TENANTRT_TENANT");
	if (o->tenant == NULL || *o->tenant == '\0')
		return usage_error("no tenant: give --tenant NAME or set TENANTRT_TENANT%s", "");
	if (role && *role && tr_role_request_parse(role, &o->role) < 0)
		return usage_error("--role \"%s\": expected primary, secondary or auto", role);
	if (wait && *wait && parse_seconds(wait, &o->wait_primary) < 0)
		return usage_error("--wait-primary \"%s\": expected seconds (0-86400)", wait);
	double st = DEFAULT_STOP_TIMEOUT;
	if (stop && *stop && parse_seconds(stop, &st) < 0)
		return usage_error("--stop-timeout \"%s\": expected seconds (0-86400)", stop);
	o->stop_timeout = (unsigned)st;
	if (optind >= argc)
		return usage_error("no app: give it after \"--\", e.g. " NAME " --tenant %s -- dpdk-testpmd",
				   o->tenant);
	o->app_argv = argv + optind;
	o->app_argc = argc - optind;
	/* APP [EAL options] -- [app options]: refuse an EAL option the
	 * tenant's YAML owns before anything is read (the plan splits the
	 * same way). */
	struct tr_user_args ua;
	struct tr_error err = { 0 };
	if (tr_plan_user_args(o->app_argv + 1, o->app_argc - 1, &ua, &err) < 0) {
		tr_report(NAME, o->tenant, &err);
		return -1;
	}
	return 0;
}

/* load, resolve, validate: diagnostics printed; 0 or the exit status. */
static int stage_config(struct shim *s)
{
	tr_diags_init(&s->diags, s->o.config);
	int bad = tr_config_load(&s->cfg, s->o.config, &s->diags, &s->err) < 0 ||
		  tr_config_resolve_tenant(&s->cfg, s->o.tenant, environ, true, &s->diags) < 0;
	if (!bad && tr_host_facts_probe(&s->facts, &s->err) < 0)
		return tr_report(NAME, NULL, &s->err);
	bad = bad || tr_config_validate(&s->cfg, &s->facts, &s->diags) < 0;
	tr_diags_print_for(&s->diags, s->o.tenant, stderr);   /* errors, or warnings */
	if (bad)
		return s->err.code ? tr_report(NAME, NULL, &s->err) : EX_DATAERR;
	s->t = tr_config_find(&s->cfg, s->o.tenant);
	if (s->t == NULL) {
		tr_err(&s->err, EX_USAGE, "tenant \"%s\" is not in %s; give one of its tenants",
		       s->o.tenant, s->o.config);
		return tr_report(NAME, NULL, &s->err);
	}
	snprintf(s->rundir, sizeof(s->rundir), "%s/%s", tr_host_runtime_root(&s->cfg.host),
		 s->t->name);
	return 0;
}

static void note_stderr(void *ctx, const char *what)
{
	(void)ctx;
	tr_report_note(NAME, NULL, what);
}

/*
 * role, inputs, plan, admit: the group may change between the role
 * decision and admission (two starts race for the primary, a slot is
 * taken, the tenant's dynamic uid went to another tenant); admission then
 * asks for another round.
 */
static int stage_join(struct shim *s)
{
	struct tr_role_req rq = { s->t->name, s->rundir, s->o.role, s->o.wait_primary,
				  s->t->group.max_secondaries };
	const struct tr_reclaimer reclaim = tr_reap_reclaimer(note_stderr, NULL);
	for (int round = 0;; round++) {
		struct tr_plan_input pi;
		struct tr_admit_req req;
		if (tr_role_decide(&s->lg, &rq, &s->who, &s->err) < 0)
			return -1;
		tr_timing_mark(&s->tm, "role");
		if (tr_inputs_gather(&s->in, &s->cfg, s->t, s->who.role, s->o.app_argv[0],
				     environ, TR_INPUTS_RUN, &s->err) < 0)
			return -1;
		tr_timing_mark(&s->tm, "inputs");
		tr_inputs_for_plan(&pi, &s->in, &s->cfg, s->t, &s->facts, s->who.role,
				   s->who.member, s->o.app_argv, s->o.app_argc);
		if (tr_plan_build(&s->plan, &pi, &s->err) < 0)
			return -1;
		tr_timing_mark(&s->tm, "plan");
		/* A device that failed its check, a dir or app the tenant's
		 * uid cannot reach (EAL would fail late, "Permission
		 * denied"): refused before admission, so nothing is held. A
		 * replan for another uid checks again. */
		if (tr_net_plan_refusal(&s->plan.iso.net, &s->err) < 0 ||
		    tr_reach_check(&s->plan.iso, s->in.elf.path, &s->err) < 0) {
			tr_plan_free(&s->plan);
			return -1;
		}
		tr_admit_req_from_plan(&req, &s->plan, s->o.config);
		req.primary_lock_held = s->who.primary_lock_held;
		req.primary_lock_pid = s->who.primary_pid;
		req.free_pages = s->facts.free_pages[s->cfg.host.page_size];
		req.reread_free_pages = true;
		req.reclaim = &reclaim;
		req.host_uids = &s->in.host_uids;
		const struct tr_admit_hook netns = tr_netns_admit_hook(&s->plan);
		req.hook = &netns;
		if (tr_admit(&s->lg, &req, &s->adm, &s->err) == 0)
			return 0;
		tr_plan_free(&s->plan);
		tr_inputs_free(&s->in);
		if (!s->adm.retry || (s->o.role == TR_REQ_PRIMARY && !s->adm.replan) ||
		    round >= ROLE_RETRIES)
			return -1;
	}
}

/* tenant fs, group record, isolate: the member's lease is held. */
static int stage_prepare(struct shim *s)
{
	struct tr_tenantfs fs;
	bool foreign = false;
	if (tr_tenantfs_setup(&s->plan, &fs, &s->err) < 0)
		return -1;
	/* Record the mount at once: a shim killed from here on leaves a
	 * lease that tells reap to unmount it. */
	s->adm.lease.huge_mounted = fs.mounted;
	s->adm.lease.run_mounted = fs.run_mounted;
	if ((fs.mounted || fs.run_mounted) && tr_admission_update(&s->lg, &s->adm, &s->err) < 0)
		return -1;
	tr_timing_mark(&s->tm, "tenantfs");
	if (tr_manifest_settle(&s->plan, &s->in.elf, s->in.have_group ? &s->in.group : NULL,
			       s->t->group.allow_foreign_binaries, &s->adm.lease.huge_mounted,
			       &s->adm.lease.run_mounted, &foreign, &s->err) < 0 ||
	    tr_admission_update(&s->lg, &s->adm, &s->err) < 0)
		return -1;
	if (foreign) {
		const char *base = strrchr(s->in.elf.path, '/');
		char what[512];
		snprintf(what, sizeof(what),
			 "%s is not the primary's binary; function pointers (rte_hash, mempool ops) do not cross binaries",
			 base ? base + 1 : s->in.elf.path);
		tr_report_warning(NAME, s->t->name, what);
	}
	tr_timing_mark(&s->tm, "manifest");
	return tr_isolate_tenant_setup(&s->plan, &s->err);
}

/* spawn and supervise: the app's exit status, or the spawn's failure. */
static int stage_run(struct shim *s)
{
	pid_t app;
	int status;
	tr_timing_mark(&s->tm, "isolate");
	if (tr_spawn(&s->plan, &app, &status, &s->err) < 0) {
		tr_report(NAME, s->t->name, &s->err);
		return status;
	}
	tr_timing_mark(&s->tm, "fork+exec");
	tr_timing_print(&s->tm, NAME);
	s->adm.lease.app_pid = app;
	tr_admission_update(&s->lg, &s->adm, NULL);
	struct tr_role_watch w;
	tr_role_watch_init(&w, s->t->name, s->rundir, s->who.primary_pid, app);
	bool secondary = s->plan.role == TR_ROLE_SECONDARY;
	const struct tr_health_conf *hc = &s->t->health;
	struct tr_member_watch mw;
	tr_member_watch_init(&mw, NAME, &s->lg, &s->adm, secondary ? &w : NULL, app,
			     hc->watchdog, hc->startup, hc->stall, s->o.stop_timeout);
	struct tr_supervise sv = { app, s->o.stop_timeout, tr_member_watch_poll, &mw, NAME,
				   tr_member_watch_signal };
	status = tr_supervise_run(&sv);
	char why[768];
	status = tr_member_watch_end(&mw, status, why, sizeof(why));
	if (why[0])
		tr_report_note(NAME, NULL, why);
	struct tr_error end = { 0 };
	if (tr_member_end(&s->plan, s->adm.sweeper, &end) < 0) {
		tr_report(NAME, s->t->name, &end);
		s->adm.left_behind = true;
	}
	if (tr_tenantfs_explain_sigbus(&s->plan, status, why, sizeof(why)))
		tr_report_note(NAME, s->t->name, why);
	tr_tenantfs_forget_member(&s->plan, app);
	tr_member_watch_forget(&mw);
	return status;
}

int main(int argc, char **argv)
{
	/* Zeroed (.bss), the two fds set here: an initialiser would put all
	 * of it (half a megabyte, the config's tables) in the binary's data,
	 * read from the file page by page at each start. */
	static struct shim s;
	s.lg.lock_fd = -1;
	s.adm.fd = -1;
	int rc = parse_opts(argc, argv, &s.o);
	if (rc != 0)
		return rc < 0 ? EX_USAGE : 0;
	/* A closed log pipe must not kill the shim half-way through giving a
	 * tenant's hugepages back. The child restores the default. */
	signal(SIGPIPE, SIG_IGN);
	tr_timing_start(&s.tm, getenv("TENANTRT_SHIM_TIMING"));

	if (geteuid() != 0) {
		tr_err(&s.err, EX_NOPERM,
		       "must run as root (uid 0, also inside a container): it mounts the tenant's hugetlbfs, makes its cgroups and drops to the tenant's uid");
		return tr_report(NAME, NULL, &s.err);
	}
	if ((rc = stage_config(&s)) != 0)
		goto out;
	tr_timing_mark(&s.tm, "config");
	if (tr_ledger_open(&s.lg, tr_host_runtime_root(&s.cfg.host), true, &s.err) < 0 ||
	    stage_join(&s) < 0) {
		rc = tr_report(NAME, s.t->name, &s.err);
		goto out;
	}
	tr_timing_mark(&s.tm, "admit");
	/* From here on the lease is ours: every exit goes through release. */
	for (unsigned i = 0; i < s.plan.n_notes; i++)
		tr_report_note(NAME, s.t->name, s.plan.notes[i]);
	if (stage_prepare(&s) < 0)
		rc = tr_report(NAME, s.t->name, &s.err);
	else
		rc = stage_run(&s);

	const struct tr_reclaimer reclaim = tr_reap_reclaimer(note_stderr, NULL);
	if (tr_admission_release(&s.lg, &s.adm, &reclaim, &s.err) < 0)
		tr_report(NAME, NULL, &s.err);   /* a reclaim names its tenant */
	tr_plan_free(&s.plan);
	tr_inputs_free(&s.in);
out:
	tr_ledger_close(&s.lg);
	tr_config_free(&s.cfg);
	tr_diags_free(&s.diags);
	return rc;
}
