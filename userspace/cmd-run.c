// SPDX-License-Identifier: GPL-2.0
/*
 * Commands around another command: waf (FDP statistics before and after
 * it) and run (it, in a cgroup of its own with a rank).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "cmd.h"
#include "ctl.h"

int cmd_waf(int argc, char **argv)
{
	struct waf_report w = { .cmd_status = -1 };
	struct fdp_info info;
	struct fdp_ns ns;
	struct ns_ctx c;
	char **cmd;
	int ret, idx, nopt;

	nopt = split_command(argc, argv, &cmd);
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
		w.cmd_status = run_child(cmd, NULL, NULL);
		if (w.cmd_status < 0)
			return 1;
		/* What the command left in the page cache belongs to it too. */
		sync();
	}
	ret = fdp_stats(&ns, info.endgid, &w.after);
	if (ret)
		return explain_nvme(argv[idx], ret);
	out->waf(&w);
	if (w.cmd_status > 0) {
		errorf(0, "%s: exited with status %d", cmd[0],
			w.cmd_status);
		return 1;
	}
	return 0;
}

/* In the child, before exec: join the cgroup. */
static void join_cgroup(void *dir)
{
	char pid[16];
	int ret;

	snprintf(pid, sizeof(pid), "%d", getpid());
	ret = cgroup_write(dir, "cgroup.procs", pid);
	if (ret) {
		errorf(0, "%s: cannot join: %s", (char *)dir,
			strerror(-ret));
		_exit(127);
	}
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

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct fdpblk_cgroup_rank cg = { 0 };
	unsigned int one = 1;
	struct fdpblk_info d;
	char dir[256], **cmd;
	int ctl, ret, idx, status, nopt;

	nopt = split_command(argc, argv, &cmd);
	idx = parse_args(nopt, argv, 1, run_opt, &o);
	if (idx < 0)
		return 2;
	if (!o.have_rank || !cmd)
		return usage_error();
	if (dev_arg(argv[idx], &d))
		return 1;
	if (!cgroup_has_controller("io")) {
		errorf(0, "%s: the io controller is not available: is cgroup v2 mounted there?",
			CGROUP_ROOT);
		return 1;
	}
	ctl = open_control();
	if (ctl < 0)
		return 1;

	/*
	 * A cgroup of our own below the root, with io (and memory, which
	 * writeback needs to know whose dirty pages it writes) enabled.
	 */
	ret = cgroup_write(CGROUP_ROOT, "cgroup.subtree_control",
			   cgroup_has_controller("memory") ? "+io +memory" : "+io");
	if (ret)
		return fail(CGROUP_ROOT "/cgroup.subtree_control", -ret);
	if (!cgroup_has_controller("memory"))
		fprintf(stderr, "fdpctl: warning: no memory controller: buffered writes will not carry the rank\n");
	snprintf(dir, sizeof(dir), CGROUP_ROOT "/fdpctl-run-%d", getpid());
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

	status = run_child(cmd, join_cgroup, dir);
	/* Write back what the command left dirty while its rank still holds. */
	sync();
	cg.rank = 0;
	ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_CLEAR_CGROUP_RANKS, d.id, 0,
				  &cg, &one);
	if (ret && ret != -ENODEV)
		explain_rank(argv[idx], -ret);
	if (rmdir(dir))
		errorf(0, "%s: cannot remove: %s", dir, strerror(errno));
	if (out->run)
		out->run(&d, o.rank, dir, status);
	return status < 0 ? 127 : status;
}
