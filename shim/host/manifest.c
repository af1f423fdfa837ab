/* SPDX-License-Identifier: BSD-3-Clause */
#include "host/manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/layout.h"

/* EAL options that decide which devices a process probes: they must be the
 * same in every member. Options taking a value list it in has_value. */
static const struct {
	const char *name;
	bool has_value;
} device_opts[] = {
	{ "-a", true }, { "--allow", true }, { "-b", true }, { "--block", true },
	{ "--vdev", true }, { "--no-pci", false }, { "--no-vmbus", false },
};

static const struct {
	const char *name;
	bool has_value;
} mem_opts[] = {
	{ "-m", true }, { "--socket-mem", true }, { "--socket-limit", true },
	{ "--legacy-mem", false }, { "--single-file-segments", false },
	{ "--huge-dir", true }, { "--base-virtaddr", true }, { "--in-memory", false },
	{ "--no-huge", false }, { "--iova-mode", true }, { "--match-allocations", false },
};

static int push(char **v, unsigned *n, const char *s, struct tr_error *err)
{
	if (*n >= TR_MANIFEST_MAX_ARGS)
		return tr_err(err, EX_SOFTWARE, "manifest: too many EAL args");
	v[*n] = strdup(s);
	if (v[*n] == NULL)
		return tr_err(err, EX_OSERR, "manifest: out of memory");
	(*n)++;
	return 0;
}

/* Does arg match opt, as "opt" (value in the next arg) or "opt=value"? */
static int match_opt(const char *arg, const char *opt, bool has_value)
{
	size_t n = strlen(opt);
	if (strcmp(arg, opt) == 0)
		return has_value ? 2 : 1;
	if (has_value && strncmp(arg, opt, n) == 0 && arg[n] == '=' && opt[1] == '-')
		return 1;
	return 0;
}

int tr_manifest_from_plan(struct tr_manifest *m, const struct tr_plan *p,
			  const struct tr_elf_info *elf, bool huge_mounted,
			  bool run_mounted, struct tr_error *err)
{
	memset(m, 0, sizeof(*m));
	m->primary_shim_pid = getpid();
	snprintf(m->binary, sizeof(m->binary), "%s", elf->path);
	snprintf(m->build_id, sizeof(m->build_id), "%s", elf->build_id);
	snprintf(m->dpdk_abi, sizeof(m->dpdk_abi), "%s", elf->dpdk_abi);
	snprintf(m->huge_dir, sizeof(m->huge_dir), "%s", p->iso.huge_dir);
	m->huge_mounted = huge_mounted;
	m->run_mounted = run_mounted;
	tr_group_view_of_plan(m, p);
	for (int i = p->eal_first; i < p->eal_end; i++) {
		const char *a = p->argv[i];
		int take = 0;
		for (size_t k = 0; k < TR_ARRAY_SIZE(device_opts) && !take; k++)
			take = match_opt(a, device_opts[k].name, device_opts[k].has_value);
		if (take) {
			for (int j = 0; j < take && i + j < p->eal_end; j++)
				if (push(m->devices, &m->n_devices, p->argv[i + j], err) < 0)
					return -1;
			i += take - 1;
			continue;
		}
		for (size_t k = 0; k < TR_ARRAY_SIZE(mem_opts) && !take; k++)
			take = match_opt(a, mem_opts[k].name, mem_opts[k].has_value);
		if (take) {
			for (int j = 0; j < take && i + j < p->eal_end; j++)
				if (push(m->mem, &m->n_mem, p->argv[i + j], err) < 0)
					return -1;
			i += take - 1;
		}
	}
	return 0;
}

void tr_manifest_free(struct tr_manifest *m)
{
	for (unsigned i = 0; i < m->n_devices; i++)
		free(m->devices[i]);
	for (unsigned i = 0; i < m->n_mem; i++)
		free(m->mem[i]);
	m->n_devices = m->n_mem = 0;
}

/* <runtimeRoot>/.ledger/<tenant>.group */
static void record_path(char *buf, size_t len, const char *ledger_dir, const char *tenant)
{
	snprintf(buf, len, "%s/%s" TR_GROUP_RECORD_SUFFIX, ledger_dir, tenant);
}

int tr_manifest_write(const struct tr_manifest *m, const char *ledger_dir,
		      const char *tenant, struct tr_error *err)
{
	char path[4200], tmp[4220];
	record_path(path, sizeof(path), ledger_dir, tenant);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	/* Root's own dir (0700), and still: never follow or reuse. */
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot write %s", tmp);
	_cleanup_fclose_ FILE *f = fdopen(fd, "w");
	if (f == NULL) {
		close(fd);
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot write %s", tmp);
	}
	fprintf(f, "version=1\nprimary_shim_pid=%d\nbinary=%s\nbuild_id=%s\n"
		   "dpdk_abi=%s\nhuge_dir=%s\nhuge_mounted=%d\nrun_mounted=%d\n",
		(int)m->primary_shim_pid, m->binary, m->build_id, m->dpdk_abi,
		m->huge_dir, m->huge_mounted ? 1 : 0, m->run_mounted ? 1 : 0);
	for (unsigned i = 0; i < m->n_devices; i++)
		fprintf(f, "device=%s\n", m->devices[i]);
	for (unsigned i = 0; i < m->n_mem; i++)
		fprintf(f, "mem=%s\n", m->mem[i]);
	tr_group_view_write(m, f);
	if (fflush(f) != 0 || ferror(f)) {
		unlink(tmp);
		return tr_err_sys(err, EX_IOERR, errno, "cannot write %s", tmp);
	}
	/* Atomic: a secondary never reads half a record. */
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return tr_err_sys(err, EX_IOERR, errno, "cannot rename %s", tmp);
	}
	return 0;
}

/* A record is a few lines; anything larger is not ours. */
#define RECORD_MAX (64 * 1024)

int tr_manifest_read(struct tr_manifest *m, const char *ledger_dir, const char *tenant,
		     struct tr_error *err)
{
	memset(m, 0, sizeof(*m));
	char path[4200];
	record_path(path, sizeof(path), ledger_dir, tenant);
	/* Never follow a link, never block on a FIFO, only a regular file. */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	if (fd < 0)
		return tr_err_sys(err, EX_UNAVAILABLE, errno,
				  "cannot read the group record %s (was the primary started by tenantrt-shim?)",
				  path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > RECORD_MAX)
		return tr_err(err, EX_UNAVAILABLE,
			      "the group record %s is not a regular file of at most %d bytes",
			      path, RECORD_MAX);
	_cleanup_fclose_ FILE *f = fdopen(TAKE_FD(fd), "re");
	if (f == NULL)
		return tr_err_sys(err, EX_OSERR, errno, "cannot read %s", path);
	char line[4200];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		const char *k = line, *v = eq + 1;
		int rc = 0;
		if (strcmp(k, "primary_shim_pid") == 0)
			m->primary_shim_pid = (pid_t)atoi(v);
		else if (strcmp(k, "binary") == 0)
			snprintf(m->binary, sizeof(m->binary), "%s", v);
		else if (strcmp(k, "build_id") == 0)
			snprintf(m->build_id, sizeof(m->build_id), "%s", v);
		else if (strcmp(k, "dpdk_abi") == 0)
			snprintf(m->dpdk_abi, sizeof(m->dpdk_abi), "%s", v);
		else if (strcmp(k, "huge_dir") == 0)
			snprintf(m->huge_dir, sizeof(m->huge_dir), "%s", v);
		else if (strcmp(k, "huge_mounted") == 0)
			m->huge_mounted = strcmp(v, "1") == 0;
		else if (strcmp(k, "run_mounted") == 0)
			m->run_mounted = strcmp(v, "1") == 0;
		else if (strcmp(k, "device") == 0)
			rc = push(m->devices, &m->n_devices, v, err);
		else if (strcmp(k, "mem") == 0)
			rc = push(m->mem, &m->n_mem, v, err);
		else
			tr_group_view_read(m, k, v);
		if (rc < 0) {
			tr_manifest_free(m);
			return -1;
		}
	}
	return 0;
}

static void join(char *buf, size_t len, char *const *v, unsigned n)
{
	size_t k = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? " " : "", v[i]);
	if (n == 0)
		snprintf(buf, len, "(none)");
}

int tr_manifest_check(const struct tr_manifest *primary,
		      const struct tr_manifest *mine, bool allow_foreign,
		      bool *foreign, struct tr_error *err)
{
	*foreign = false;
	bool same = primary->n_devices == mine->n_devices;
	for (unsigned i = 0; same && i < mine->n_devices; i++)
		same = strcmp(primary->devices[i], mine->devices[i]) == 0;
	if (!same) {
		char a[1024], b[1024];
		join(a, sizeof(a), primary->devices, primary->n_devices);
		join(b, sizeof(b), mine->devices, mine->n_devices);
		return tr_err(err, EX_UNAVAILABLE,
			      "this secondary's devices (%s) differ from the primary's (%s); DPDK would fail or panic; restart the primary with the current config",
			      b, a);
	}
	if (strcmp(primary->huge_dir, mine->huge_dir) != 0)
		return tr_err(err, EX_UNAVAILABLE,
			      "hugepage dir %s differs from the primary's %s; use the primary's config",
			      mine->huge_dir, primary->huge_dir);
	if (tr_group_view_check(primary, mine, err) < 0)
		return -1;
	/* A script wrapper or a static build shows no ABI: nothing to compare. */
	if (primary->dpdk_abi[0] && mine->dpdk_abi[0] &&
	    strcmp(primary->dpdk_abi, mine->dpdk_abi) != 0)
		return tr_err(err, EX_UNAVAILABLE,
			      "%s links %s but the primary (%s) links %s; secondaries must use the primary's DPDK ABI",
			      mine->binary, mine->dpdk_abi, primary->binary,
			      primary->dpdk_abi);
	bool same_binary = primary->build_id[0] && mine->build_id[0]
				   ? strcmp(primary->build_id, mine->build_id) == 0
				   : strcmp(primary->binary, mine->binary) == 0;
	if (!same_binary) {
		if (!allow_foreign)
			return tr_err(err, EX_UNAVAILABLE,
				      "%s is not the primary's binary (%s); function pointers (rte_hash, mempool ops) do not cross binaries; set group.allowForeignBinaries for tools like dpdk-proc-info",
				      mine->binary, primary->binary);
		*foreign = true;
	}
	return 0;
}

int tr_manifest_settle(const struct tr_plan *p, const struct tr_elf_info *elf,
		       const struct tr_manifest *theirs, bool allow_foreign,
		       bool *huge_mounted, bool *run_mounted, bool *foreign,
		       struct tr_error *err)
{
	struct tr_manifest mine = { 0 };
	*foreign = false;
	if (tr_manifest_from_plan(&mine, p, elf, *huge_mounted, *run_mounted, err) < 0)
		return -1;
	int rc;
	char ledger_dir[4200];
	snprintf(ledger_dir, sizeof(ledger_dir), "%s/" TR_LEDGER_DIR, p->iso.runtime_root);
	if (p->role == TR_ROLE_PRIMARY) {
		rc = tr_manifest_write(&mine, ledger_dir, p->tenant, err);
	} else if (theirs == NULL) {
		rc = tr_err(err, EX_UNAVAILABLE,
			    "the group has no record in %s (was the primary started by tenantrt-shim?)",
			    ledger_dir);
	} else {
		rc = tr_manifest_check(theirs, &mine, allow_foreign, foreign, err);
		*huge_mounted = theirs->huge_mounted;
		*run_mounted = theirs->run_mounted;
	}
	tr_manifest_free(&mine);
	return rc;
}
