/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The network record (host/netrec.c): what a reclaim reads back is what
 * setup wrote, on disk and as text; a malformed record is refused rather
 * than half-read (a reclaim would then move the wrong link).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/netrec.h"

static void sample(struct tr_netrec *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->tenant, sizeof(r->tenant), "acme");
	r->mode = TR_NETREC_OWN;
	r->userns = true;
	r->host_dev = 4;
	r->host_ino = 4026531833ULL;
	snprintf(r->pin, sizeof(r->pin), "/run/tenantrt/.ledger/netns/acme");
	snprintf(r->user_pin, sizeof(r->user_pin), "/run/tenantrt/.ledger/netns/acme.user");
	r->pin_dev = 4;
	r->pin_ino = 4026532177ULL;
	r->user_dev = 4;
	r->user_ino = 4026532176ULL;
	r->n_ifs = 2;
	struct tr_netrec_if *a = &r->ifs[0], *b = &r->ifs[1];
	snprintf(a->name, sizeof(a->name), "acme0");
	a->ifindex = 12;
	a->ns_ifindex = 12;
	a->flags = 0x1103;
	a->mtu = 1500;
	a->has_mac = true;
	memcpy(a->mac, "\x02\x11\x22\x33\x44\x55", 6);
	snprintf(a->kind, sizeof(a->kind), "veth");
	snprintf(b->name, sizeof(b->name), "enp59s0f0v1");
	b->ifindex = 40;
	b->mtu = 9000;
	b->has_perm_mac = true;
	memcpy(b->perm_mac, "\x0a\x0b\x0c\x0d\x0e\x0f", 6);
	snprintf(b->parent, sizeof(b->parent), "0000:3b:02.1");
}

static void test_round_trip(void **state)
{
	(void)state;
	static struct tr_netrec r, back;
	char text[4096];
	sample(&r);
	assert_true(tr_netrec_format(&r, text, sizeof(text)) > 0);
	assert_non_null(strstr(text, "if=acme0 ifindex=12 ns_ifindex=12 flags=0x1103 mtu=1500 mac=02:11:22:33:44:55 perm=- kind=veth parent=-\n"));
	assert_int_equal(tr_netrec_parse(&back, text), 0);
	assert_memory_equal(&r, &back, sizeof(r));
	char path[] = "/tmp/tr-netrec.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct tr_error err = { 0 };
	assert_int_equal(tr_netrec_save(path, &r, &err), 0);
	memset(&back, 0, sizeof(back));
	assert_int_equal(tr_netrec_load(path, &back, &err), 0);
	assert_memory_equal(&r, &back, sizeof(r));
	unlink(path);
	assert_int_equal(tr_netrec_load(path, &back, &err), 1);   /* none */
	assert_int_equal(tr_netrec_format(&r, text, 100), -1);   /* too small */
}

static void test_malformed(void **state)
{
	(void)state;
	static struct tr_netrec r;
	assert_int_equal(tr_netrec_parse(&r, "mode=own\n"), -1);             /* no tenant */
	assert_int_equal(tr_netrec_parse(&r, "tenant=a\nhost=x\n"), -1);
	assert_int_equal(tr_netrec_parse(&r, "tenant=a\nif=v0 ifindex=0\n"), -1);
	assert_int_equal(tr_netrec_parse(&r, "tenant=a\nif=v0 ifindex\n"), -1);
	assert_int_equal(tr_netrec_parse(&r, "tenant=a\nif=abcdefghijklmnopq ifindex=3\n"), -1);
	assert_int_equal(tr_netrec_parse(&r, "tenant=a\nmode=container\n"), 0);
	assert_int_equal(r.mode, TR_NETREC_CONTAINER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
