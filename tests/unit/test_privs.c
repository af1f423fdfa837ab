/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * isolate/privs.c: the whole privilege drop in a child, in its fixed
 * order (uid/gid/groups, exactly the planned caps, no_new_privs, the
 * seccomp filter last), read back from the child itself. Root only (the
 * bounding set needs CAP_SETPCAP); skipped otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/capability.h>

#include "helpers.h"
#include "isolate/privs.h"
#include "isolate/seccomp.h"

static void test_privs_drop_as_root(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	static struct tr_isolation iso;
	memset(&iso, 0, sizeof(iso));
	iso.has_user = true;
	iso.uid = 4001;
	iso.gid = 4002;
	iso.n_supp = 1;
	iso.supp[0] = 4003;
	iso.caps = UINT64_C(1) << CAP_NET_RAW;
	iso.no_new_privs = true;
	iso.seccomp = TR_SECCOMP_DEFAULT;
	struct tr_error err = { 0 };
	struct tr_seccomp_prog prog;
	struct tr_seccomp_opts o = { 0 };
	assert_int_equal(tr_seccomp_compile(iso.seccomp, NULL, &o, &prog,
					    &err), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (tr_privs_drop(&iso, &prog, &err) < 0)
			_exit(100);
		uid_t r, e, s;
		gid_t g[4];
		getresuid(&r, &e, &s);
		if (r != 4001 || e != 4001 || s != 4001 || getgid() != 4002)
			_exit(101);
		if (getgroups(4, g) != 1 || g[0] != 4003)
			_exit(102);
		cap_t c = cap_get_proc();
		char *txt = cap_to_text(c, NULL);
		int ok = strcmp(txt, "cap_net_raw=eip") == 0;
		cap_free(txt);
		cap_free(c);
		if (!ok)
			_exit(103);
		if (!CAP_AMBIENT_SUPPORTED() ||
		    cap_get_ambient(CAP_NET_RAW) != 1 ||
		    cap_get_ambient(CAP_NET_ADMIN) != 0)
			_exit(104);
		if (prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 0 ||
		    prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0) != 1)
			_exit(105);
		if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
			_exit(106);
		if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
			_exit(107);
		_exit(0);
	}
	assert_child_exit(pid, 0);
	tr_seccomp_prog_free(&prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_privs_drop_as_root),
	};
	return cmocka_run_group_tests_name("privs", tests, NULL, NULL);
}
