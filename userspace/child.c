// SPDX-License-Identifier: GPL-2.0
/*
 * Commands around a child process (run, waf): the command after "--",
 * and running it to completion.
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

/*
 * Run CMD... to completion; its exit status (128 + signal when killed), or
 * -1 after a message when it could not start. fdpctl ignores SIGINT and
 * SIGQUIT meanwhile, as system(3) does, so that ^C reaches only the child
 * and fdpctl can still clean up after it.
 */
int run_child(char **cmd, void (*in_child)(void *), void *arg)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	int status, err_pipe[2], err = 0;
	pid_t pid;

	if (pipe2(err_pipe, O_CLOEXEC))
		return fail("pipe", errno), -1;
	/* What fdpctl buffered is printed once, not by the child too. */
	fflush(stdout);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		close(err_pipe[0]);
		if (in_child)
			in_child(arg);
		/* Under -o json, stdout is fdpctl's document alone. */
		if (out == &print_json && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			_exit(126);
		execvp(cmd[0], cmd);
		/* Tell the parent why; it reports, the child just goes. */
		err = errno;
		if (write(err_pipe[1], &err, sizeof(err)) != sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(err_pipe[1]);
	if (pid < 0) {
		close(err_pipe[0]);
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		return fail("fork", errno), -1;
	}
	if (read(err_pipe[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(err_pipe[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	if (err) {
		errorf(0, "%s: %s", cmd[0], strerror(err));
		return -1;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
