// SPDX-License-Identifier: GPL-2.0
/*
 * Commands around another command: waf (FDP statistics before and after
 * it) and run (it, in a cgroup of its own with a rank). Around a command
 * both exit as timeout(1) does: with the command's status (see
 * run_child()), and 125 when fdpctl itself fails.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "cmd.h"
#include "ctl.h"

/* waf's own part: 0, or its failure (1, 2) after a message. */
static int waf(int argc, char **argv, int nopt, char **cmd, int *status)
{
	struct waf_report w = { .cmd_status = -1 };
	struct fdp_info info;
	struct fdp_ns ns;
	struct ns_ctx c;
	int ret, idx;

	idx = parse_args(nopt, argv, 1, NULL, NULL);
	if (idx < 0)
		return 2;
	if (nopt < argc && !cmd)
		return usage_error();
	ret = open_ns(argv[idx], NS_DEVICE | NS_FDP, &ns, &info, &c);
	if (ret)
		return ret;
	w.ctx = &c;
	if (cmd) {
		ret = fdp_stats(&ns, info.endgid, &w.before);
		if (ret)
			return explain_nvme(argv[idx], ret);
		w.interval = true;
		/* It did not run: there is no interval to tell about. */
		if (run_child(cmd, NULL, NULL, NULL, status))
			return 0;
		w.cmd_status = *status;
		/* What the command left in the page cache belongs to it too. */
		sync();
	}
	ret = fdp_stats(&ns, info.endgid, &w.after);
	if (ret)
		return explain_nvme(argv[idx], ret);
	out->waf(&w);
	if (*status)
		errorf(0, "%s: exited with status %d", cmd[0], *status);
	return 0;
}

int cmd_waf(int argc, char **argv)
{
	return around_command(argc, argv, waf);
}

/* In the child, before exec: join the cgroup. */
static int join_cgroup(void *dir)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", getpid());
	return -cgroup_write(dir, "cgroup.procs", pid);
}

/*
 * Where run makes its cgroup: below the caller's own (@self), so that it
 * works inside a systemd unit or a container; the rank counts only where
 * the io controller is on, and for buffered writes memory too. cgroup v2
 * lets a cgroup other than the root enable controllers for its children
 * only while it holds no process, and the caller's holds fdpctl: then the
 * cgroup goes next to the caller's, below its parent, if that parent
 * (the root excepted) enables io already, as in a delegated subtree.
 * 0 with the directory in @parent, or 1 after a message.
 */
static int run_parent(const char *self, char *parent, size_t len)
{
	char up[4096], ctl[16] = "+io";
	bool mem;
	int ret;

	snprintf(parent, len, "%s", self);
	if (cgroup_has_controller(self, "cgroup.subtree_control", "io"))
		goto out;
	if (!cgroup_has_controller(self, "cgroup.controllers", "io")) {
		errorf(0, "%s: the io controller is not available here (its parent does not enable it)",
			self);
		return 1;
	}
	mem = cgroup_has_controller(self, "cgroup.controllers", "memory");
	if (mem)
		strcat(ctl, " +memory");
	ret = cgroup_write(self, "cgroup.subtree_control", ctl);
	if (!ret)
		goto out;
	snprintf(up, sizeof(up), "%s", self);
	dirname(up);
	if (ret != -EBUSY || !strcmp(self, CGROUP_ROOT) || !strcmp(up, CGROUP_ROOT) ||
	    !cgroup_has_controller(up, "cgroup.subtree_control", "io")) {
		if (ret == -EBUSY)
			errorf(-ret, "%s: holds processes, so cgroup v2 lets it enable io for no cgroup below it, and its parent is the root or does not enable io: start fdpctl in a leaf of a subtree that enables io",
				self);
		else
			fail(self, -ret);
		return 1;
	}
	snprintf(parent, len, "%s", up);
out:
	if (!cgroup_has_controller(parent, "cgroup.subtree_control", "memory"))
		fprintf(stderr, "fdpctl: warning: %s: no memory controller: buffered writes will not carry the rank\n",
			parent);
	return 0;
}

struct run_opts {
	bool have_rank;
	__u32 rank;
};

static int run_opt(int c, const char *arg, void *data)
{
	struct run_opts *o = data;

	(void)c;
	o->have_rank = true;
	return parse_rank(arg, &o->rank);
}

/* run's own part: 0, or its failure after a message. */
static int run(int argc, char **argv, int *status)
{
	struct run_opts o = { 0 };
	struct fdpblk_cgroup_rank cg = { 0 };
	char self[4096], parent[4096], dir[4200], what[4300], **cmd;
	unsigned int one = 1;
	struct fdpblk_info d;
	int ctl, ret, idx, nopt, ran;

	nopt = split_command(argc, argv, &cmd);
	idx = parse_args(nopt, argv, 1, run_opt, &o);
	if (idx < 0)
		return 2;
	if (!o.have_rank || !cmd)
		return usage_error();
	if (dev_arg(argv[idx], &d))
		return 1;
	ctl = open_control();
	if (ctl < 0)
		return 1;
	ret = cgroup_self(self, sizeof(self));
	if (ret) {
		errorf(-ret, "/proc/self/cgroup: no cgroup v2 (is it mounted at " CGROUP_ROOT "?)");
		return 1;
	}
	if (run_parent(self, parent, sizeof(parent)))
		return 1;

	/*
	 * From here on a signal waits until the command runs and goes to it:
	 * fdpctl stays to remove what it made.
	 */
	child_signals_hold();
	snprintf(dir, sizeof(dir), "%s/fdpctl-run-%d", parent, getpid());
	if (mkdir(dir, 0755))
		return fail(dir, errno);
	ret = cgroup_id(dir, &cg.cgroup_id) ? -ENOENT : 0;
	cg.rank = o.rank;
	if (!ret)
		ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_SET_CGROUP_RANKS, d.id, 0,
					  &cg, &one);
	if (ret) {
		rmdir(dir);
		return explain_rank(argv[idx], -ret);
	}

	snprintf(what, sizeof(what), "%s: cannot join", dir);
	ran = !run_child(cmd, join_cgroup, dir, what, status);
	/* Write back what the command left dirty while its rank still holds. */
	sync();
	cg.rank = 0;
	ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_CLEAR_CGROUP_RANKS, d.id, 0,
				  &cg, &one);
	if (ret && ret != -ENODEV)
		explain_rank(argv[idx], -ret);
	if (rmdir(dir))
		errorf(errno, "%s: cannot remove: %s%s", dir, strerror(errno),
			errno == EBUSY ? " (processes the command left run in it)" : "");
	if (out->run)
		out->run(&d, o.rank, dir, ran ? *status : -1);
	return 0;
}

int cmd_run(int argc, char **argv)
{
	int status = 0;

	/* Every failure of fdpctl's own, usage too, is 125 (timeout(1)). */
	if (run(argc, argv, &status))
		return EXIT_CHILD_FDPCTL;
	return status;
}
