/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What isolating a member costs at start, measured the way the shim pays
 * it (root; not a test):
 *
 *   iso_bench [N]     N forked children (default 200), tenant "isobench"
 *
 * The parent runs tr_isolate_tenant_setup() once (cgroups, filter compiled
 * to BPF); each child times tr_cgroup_join() and tr_privs_drop() (ids,
 * caps, no_new_privs, seccomp load) and reports through a pipe. Prints
 * means and the worst child; the cgroup is removed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "isolate/cgroup.h"
#include "isolate/isolate.h"
#include "isolate/privs.h"
#include "isolate/seccomp.h"

static struct tr_plan plan;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *tenant = "isobench";
	struct tr_error err = { 0 };
	struct tr_seccomp_prog prog;
	struct tr_seccomp_opts opts = { 0 };
	int n = argc > 1 ? atoi(argv[1]) : 200;
	double sum[2] = { 0 }, worst = 0;

	if (n <= 0)
		n = 200;
	plan.iso.page_bytes = UINT64_C(2) << 20;
	plan.iso.huge_limit_bytes = UINT64_C(32) << 20;
	plan.iso.has_user = true;
	plan.iso.uid = 4001;
	plan.iso.gid = 4001;
	plan.iso.seccomp = TR_SECCOMP_DEFAULT;
	plan.iso.no_new_privs = true;
	tr_cpuset_set(&plan.iso.cpus, 0);
	tr_cg_group_name(plan.iso.cgroup, sizeof(plan.iso.cgroup), "/run/tenantrt-bench", tenant);
	if (tr_isolate_tenant_setup(&plan, &err) < 0) {
		fprintf(stderr, "iso_bench: %s\n", err.msg);
		return err.code;
	}
	double t0 = now_ms();
	if (tr_seccomp_compile(plan.iso.seccomp, NULL, &opts, &prog, &err) < 0) {
		fprintf(stderr, "iso_bench: %s\n", err.msg);
		return err.code;
	}
	double compile = now_ms() - t0;
	for (int i = 0; i < n; i++) {
		int p[2];
		if (pipe(p) < 0)
			return 71;
		pid_t c = fork();
		if (c == 0) {
			double d[2], s = now_ms();
			if (tr_cgroup_join(plan.iso.cgroup, plan.member, 0, &err) < 0)
				_exit(1);
			d[0] = now_ms() - s;
			s = now_ms();
			if (tr_privs_drop(&plan.iso, &prog, &err) < 0)
				_exit(2);
			d[1] = now_ms() - s;
			(void)!write(p[1], d, sizeof(d));
			_exit(0);
		}
		double d[2] = { 0 };
		int st;
		(void)!read(p[0], d, sizeof(d));
		waitpid(c, &st, 0);
		close(p[0]);
		close(p[1]);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "iso_bench: child failed (%d)\n", st);
			return 70;
		}
		sum[0] += d[0];
		sum[1] += d[1];
		if (d[0] + d[1] > worst)
			worst = d[0] + d[1];
	}
	printf("filter compile (parent, once): %.3f ms\n", compile);
	printf("per member, mean of %d: cgroup join %.3f ms, privilege drop "
	       "+ seccomp load %.3f ms; worst %.3f ms\n", n, sum[0] / n,
	       sum[1] / n, worst);
	tr_seccomp_prog_free(&prog);
	if (tr_isolate_tenant_kill(plan.iso.cgroup, &err) < 0 ||
	    tr_isolate_tenant_teardown(plan.iso.cgroup, &err) < 0) {
		fprintf(stderr, "iso_bench: %s\n", err.msg);
		return err.code;
	}
	return 0;
}
