/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/lease.c: a lease's key=value text, every field through format and
 * parse and back, and what parse refuses: a text that names no tenant, a
 * malformed cpu list (a half-written lease of a shim killed at admission).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "host/lease.h"

/* A secondary's lease with every field set. */
static void full_lease(struct tr_lease *l)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->tenant, sizeof(l->tenant), "acme");
	l->member = 2;
	l->role = TR_ROLE_SECONDARY;
	l->shim_pid = 41;
	l->app_pid = 42;
	l->since = 1700000000;
	l->exclusive = true;
	l->cpus = tr_test_cpus("2-3");
	l->member_cpus = tr_test_cpus("3");
	snprintf(l->lcores, sizeof(l->lcores), "4,5");
	snprintf(l->placement, sizeof(l->placement), "4@3,5@3");
	l->n_nics = 2;
	snprintf(l->nics[0], sizeof(l->nics[0]), "net_null0");
	snprintf(l->nics[1], sizeof(l->nics[1]), "iface=acme0");
	l->quota_pages = 32;
	l->page_bytes = 2 << 20;
	l->huge_mounted = true;
	snprintf(l->runtime_dir, sizeof(l->runtime_dir), "/run/tenantrt/acme");
	snprintf(l->huge_dir, sizeof(l->huge_dir), "/dev/hugepages/acme");
	snprintf(l->config, sizeof(l->config), "/etc/tenantrt/tenants.yaml");
	snprintf(l->cgroup, sizeof(l->cgroup), "tenantrt/0a0b0c0d-acme");
	l->reclaiming = 77;
	l->reclaim_whole = true;
	l->reclaim_failed = 1700000000;
}

static void test_lease_roundtrip(void **state)
{
	(void)state;
	struct tr_lease l, back;
	full_lease(&l);
	char buf[16384];
	assert_true(tr_lease_format(&l, buf, sizeof(buf)) > 0);
	assert_int_equal(tr_lease_parse(&back, buf), 0);
	assert_string_equal(back.tenant, "acme");
	assert_int_equal(back.member, 2);
	assert_int_equal(back.role, TR_ROLE_SECONDARY);
	assert_int_equal(back.shim_pid, 41);
	assert_int_equal(back.app_pid, 42);
	assert_int_equal(back.since, 1700000000);
	assert_true(back.exclusive);
	assert_cpus(&back.cpus, "2-3");
	assert_cpus(&back.member_cpus, "3");
	assert_string_equal(back.lcores, "4,5");
	assert_string_equal(back.placement, "4@3,5@3");
	assert_int_equal(back.n_nics, 2);
	assert_string_equal(back.nics[0], "net_null0");
	assert_string_equal(back.nics[1], "iface=acme0");
	assert_int_equal(back.quota_pages, 32);
	assert_int_equal(back.page_bytes, 2 << 20);
	assert_true(back.huge_mounted);
	assert_string_equal(back.runtime_dir, "/run/tenantrt/acme");
	assert_string_equal(back.huge_dir, "/dev/hugepages/acme");
	assert_string_equal(back.config, "/etc/tenantrt/tenants.yaml");
	assert_string_equal(back.cgroup, "tenantrt/0a0b0c0d-acme");
	assert_int_equal(back.reclaiming, 77);
	assert_true(back.reclaim_whole);
	assert_int_equal(back.reclaim_failed, 1700000000);
	/* A root reclaim acts on the cgroup a lease names: only our names. */
	struct tr_lease bad;
	assert_int_equal(tr_lease_parse(&bad, "tenant=acme\ncgroup=tenantrt/../../x\n"), -1);
	assert_int_equal(tr_lease_parse(&bad, "tenant=acme\ncgroup=/sys/fs/cgroup\n"), -1);
	/* what the scan fills is not stored */
	assert_false(back.alive);
	assert_string_equal(back.file, "");
}

/* The text is cut nowhere: a buffer one byte short is refused. */
static void test_format_needs_room(void **state)
{
	(void)state;
	struct tr_lease l;
	full_lease(&l);
	char buf[16384];
	int n = tr_lease_format(&l, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(tr_lease_format(&l, buf, (size_t)n + 1), n);
	assert_int_equal(tr_lease_format(&l, buf, (size_t)n), -1);
}

static void test_parse_refuses(void **state)
{
	(void)state;
	struct tr_lease l;
	/* no tenant: not a lease */
	assert_int_equal(tr_lease_parse(&l, "member=1\nrole=primary\n"), -1);
	assert_int_equal(tr_lease_parse(&l, ""), -1);
	/* a cpu list cut half-way */
	assert_int_equal(tr_lease_parse(&l, "tenant=acme\ncpus=2-\n"), -1);
	assert_int_equal(tr_lease_parse(&l, "tenant=acme\nmember_cpus=x\n"), -1);
	/* unknown keys and lines without '=' are skipped; empty cpus are none */
	assert_int_equal(tr_lease_parse(&l, "tenant=acme\nfuture=1\nnoise\ncpus=\n"), 0);
	assert_string_equal(l.tenant, "acme");
	assert_true(tr_cpuset_empty(&l.cpus));
	/* the last line needs no newline */
	assert_int_equal(tr_lease_parse(&l, "tenant=acme\nrole=secondary"), 0);
	assert_int_equal(l.role, TR_ROLE_SECONDARY);
	assert_int_equal(tr_lease_parse(&l, "tenant=acme\nrole=primary"), 0);
	assert_int_equal(l.role, TR_ROLE_PRIMARY);
}

/* A member is named by its app, or by its shim before the fork. */
static void test_lease_pid(void **state)
{
	(void)state;
	struct tr_lease l = { .shim_pid = 41 };
	assert_int_equal(tr_lease_pid(&l), 41);
	l.app_pid = 42;
	assert_int_equal(tr_lease_pid(&l), 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_roundtrip),
		cmocka_unit_test(test_format_needs_room),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_lease_pid),
	};
	return cmocka_run_group_tests_name("lease", tests, NULL, NULL);
}
