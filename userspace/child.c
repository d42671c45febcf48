// SPDX-License-Identifier: GPL-2.0
/*
 * Commands around a child process (run, waf): the command after "--",
 * running it to completion, and its exit status as timeout(1) gives it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cmd.h"

int split_command(int argc, char **argv, char ***cmd)
{
	int i;

	*cmd = NULL;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			if (i + 1 < argc)
				*cmd = argv + i + 1;
			return i;
		}
	}
	return argc;
}

/* The signals fdpctl passes on to the child. */
static const int fwd_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NR_FWD	(sizeof(fwd_signals) / sizeof(fwd_signals[0]))

static volatile sig_atomic_t child_pid;
static sigset_t orig_mask;
static bool held;

static void fwd_set(sigset_t *set)
{
	unsigned int i;

	sigemptyset(set);
	for (i = 0; i < NR_FWD; i++)
		sigaddset(set, fwd_signals[i]);
}

void child_signals_hold(void)
{
	sigset_t set;

	if (held)
		return;
	fwd_set(&set);
	sigprocmask(SIG_BLOCK, &set, &orig_mask);
	held = true;
}

/*
 * Pass the signal on, unless the terminal sent it (^C, ^\, a hangup): it
 * went to the child's process group too, and twice is not once.
 */
static void forward(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	(void)uc;
	if (child_pid > 0 && si->si_code != SI_KERNEL)
		kill(child_pid, sig);
	errno = saved;
}

/* Why the child did not get to run the command. */
struct child_err {
	int stage;	/* 0: in_child() failed, 1: exec failed */
	int err;
};

int run_child(char **cmd, int (*in_child)(void *), void *arg,
	      const char *what, int *status)
{
	struct sigaction act = { .sa_sigaction = forward,
				 .sa_flags = SA_SIGINFO | SA_RESTART };
	struct sigaction old[NR_FWD];
	struct child_err ce = { 0, 0 };
	int wstatus, err_pipe[2];
	unsigned int i;
	sigset_t set;
	pid_t pid;

	*status = 125;
	fwd_set(&set);
	child_signals_hold();
	if (pipe2(err_pipe, O_CLOEXEC))
		return fail("pipe", errno), -1;
	/* What fdpctl buffered is printed once, not by the child too. */
	fflush(stdout);
	sigfillset(&act.sa_mask);
	for (i = 0; i < NR_FWD; i++)
		sigaction(fwd_signals[i], &act, &old[i]);
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < NR_FWD; i++)
			sigaction(fwd_signals[i], &old[i], NULL);
		sigprocmask(SIG_SETMASK, &orig_mask, NULL);
		close(err_pipe[0]);
		ce.err = in_child ? in_child(arg) : 0;
		/* Under -o json, stdout is fdpctl's document alone. */
		if (!ce.err && out == &print_json &&
		    dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			ce.err = errno;
		if (!ce.err) {
			ce.stage = 1;
			execvp(cmd[0], cmd);
			ce.err = errno;
		}
		/* Tell the parent why; it reports, the child just goes. */
		if (write(err_pipe[1], &ce, sizeof(ce)) != sizeof(ce))
			_exit(125);
		_exit(ce.stage ? 127 : 125);
	}
	close(err_pipe[1]);
	if (pid < 0) {
		close(err_pipe[0]);
		for (i = 0; i < NR_FWD; i++)
			sigaction(fwd_signals[i], &old[i], NULL);
		return fail("fork", errno), -1;
	}
	/* A signal held since the caller's setup goes to the child now. */
	child_pid = pid;
	sigprocmask(SIG_SETMASK, &orig_mask, NULL);
	if (read(err_pipe[0], &ce, sizeof(ce)) != sizeof(ce))
		ce.err = 0;
	close(err_pipe[0]);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	/*
	 * Until exit the caller cleans up after the child undisturbed: what
	 * comes now stays pending, to be dropped at exit.
	 */
	sigprocmask(SIG_BLOCK, &set, NULL);
	child_pid = 0;
	for (i = 0; i < NR_FWD; i++)
		sigaction(fwd_signals[i], &old[i], NULL);
	if (ce.err && !ce.stage) {
		errorf(ce.err, "%s: %s", what, strerror(ce.err));
		return -1;
	}
	if (ce.err) {
		errorf(ce.err, "%s: %s", cmd[0], strerror(ce.err));
		*status = ce.err == ENOENT ? 127 : 126;
		return -1;
	}
	*status = WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) :
					 WEXITSTATUS(wstatus);
	return 0;
}

int around_command(int argc, char **argv,
		   int (*fn)(int argc, char **argv, int nopt, char **cmd,
			     int *status))
{
	int nopt, status = 0, ret;
	char **cmd;

	nopt = split_command(argc, argv, &cmd);
	ret = fn(argc, argv, nopt, cmd, &status);
	/* Around a command (after "--"), fdpctl's failure is 125. */
	if (ret)
		return nopt < argc ? EXIT_CHILD_FDPCTL : ret;
	return status;
}
