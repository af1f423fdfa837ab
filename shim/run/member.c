/* SPDX-License-Identifier: BSD-3-Clause */
#include "run/member.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "isolate/isolate.h"

/* How long the shim keeps killing and reaping the app's orphans. */
#define END_WAIT_MS 2000

/* The parent pid in /proc/<pid>/stat ("pid (comm) S ppid ..."; comm may
 * hold spaces and parentheses, so after the last ')'). */
static pid_t parent_of(const char *pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (tr_read_text(path, buf, sizeof(buf)) < 0)
		return -1;
	const char *p = strrchr(buf, ')');
	char state;
	int ppid;
	if (p == NULL || sscanf(p + 1, " %c %d", &state, &ppid) != 2)
		return -1;
	return (pid_t)ppid;
}

/* SIGKILL every child of ours but keep; how many there were. */
static unsigned kill_children(pid_t keep)
{
	DIR *d = opendir("/proc");
	if (d == NULL)
		return 0;
	pid_t me = getpid();
	unsigned n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid_t pid = (pid_t)atoi(de->d_name);
		if (pid == keep || parent_of(de->d_name) != me)
			continue;
		kill(pid, SIGKILL);
		n++;
	}
	closedir(d);
	return n;
}

int tr_member_end(const struct tr_plan *p, pid_t keep, struct tr_error *err)
{
	int rc = 0;
	/* The leaf holds every process the app made, double forks included,
	 * and cgroup.kill refuses their forks while it kills. */
	if (tr_isolate_member_stop(p->iso.cgroup, p->member, err) < 0)
		rc = -1;
	/* Orphans of the app are ours (PR_SET_CHILD_SUBREAPER): kill and reap
	 * them, round after round, as a killed parent hands its children on. */
	for (unsigned t = 0;; t += 10) {
		unsigned left = kill_children(keep);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (left == 0)
			break;
		if (t >= END_WAIT_MS) {
			if (rc == 0)
				rc = tr_err(err, EX_TEMPFAIL,
					    "%u processes the app left would not die within %u ms",
					    left, END_WAIT_MS);
			break;
		}
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return rc;
}
