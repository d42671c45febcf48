// SPDX-License-Identifier: GPL-2.0
/*
 * Description: run_child() (child.c) on the host, as run and waf use it:
 * exit statuses as timeout(1) gives them (the command's; 126 found but
 * not executable; 127 not found; 128 + N killed by signal N; 125 when the
 * setup in the child fails), the error named, and SIGTERM to fdpctl
 * forwarded to the command, also one that came during the setup before
 * it, while fdpctl lives on to clean up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cmd.h"
#include "test.h"

/* What child.c needs of the rest of fdpctl. */
const struct print_ops *out;
const struct print_ops print_json;
static char last_err[512];

void errorf(int err, const char *fmt, ...)
{
	va_list ap;

	(void)err;
	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
}

int fail(const char *what, int err)
{
	errorf(err, "%s: %s", what, strerror(err));
	return 1;
}

/* run_child() of @argv: its return; the status in *status. */
static int run(int *status, int (*in_child)(void *), const char *arg0, ...)
{
	char *argv[8];
	unsigned int n = 0;
	va_list ap;

	argv[n++] = (char *)arg0;
	va_start(ap, arg0);
	while (n < 7 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	last_err[0] = '\0';
	return run_child(argv, in_child, NULL, "setup", status);
}

static int setup_fails(void *arg)
{
	(void)arg;
	return EACCES;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	char file[] = "/tmp/fdpctl-test-child.XXXXXX";
	int status, ret, fd;
	double t;

	/*
	 * Signals as a terminal leaves them: run under nohup (or a CI runner
	 * that ignores SIGHUP) the held SIGHUP below would be discarded.
	 */
	signal(SIGHUP, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	/* The commands' output is not this test's. */
	fd = open("/dev/null", O_WRONLY);
	if (fd >= 0)
		dup2(fd, STDERR_FILENO);

	ret = run(&status, NULL, "true", NULL);
	check(ret == 0 && status == 0, "true: ran, 0");
	ret = run(&status, NULL, "false", NULL);
	check(ret == 0 && status == 1, "false: ran, 1");
	ret = run(&status, NULL, "sh", "-c", "exit 3", NULL);
	check(ret == 0 && status == 3, "exit 3: ran, 3");
	ret = run(&status, NULL, "/nonexistent", NULL);
	check(ret == -1 && status == 127 &&
	      !strcmp(last_err, "/nonexistent: No such file or directory"),
	      "a missing file: 127, named (%d, %s)", status, last_err);
	ret = run(&status, NULL, "fdpctl-no-such-command", NULL);
	check(ret == -1 && status == 127, "not found in PATH: 127 (%d)", status);
	fd = mkstemp(file);
	if (fd >= 0) {
		if (write(fd, "#!/bin/sh\n", 10) != 10)
			check(0, "write %s", file);
		close(fd);
		chmod(file, 0644);
		ret = run(&status, NULL, file, NULL);
		check(ret == -1 && status == 126 && strstr(last_err, "Permission denied"),
		      "not executable: 126, named (%d, %s)", status, last_err);
		unlink(file);
	}
	ret = run(&status, NULL, "sh", "-c", "kill -9 $$", NULL);
	check(ret == 0 && status == 137, "killed by SIGKILL: 137 (%d)", status);
	ret = run(&status, setup_fails, "true", NULL);
	check(ret == -1 && status == 125 && !strcmp(last_err, "setup: Permission denied"),
	      "the setup in the child fails: 125, named (%d, %s)", status, last_err);

	/* SIGTERM to us reaches the command; we live on. */
	t = now();
	ret = run(&status, NULL, "sh", "-c", "kill -TERM $PPID; exec sleep 10", NULL);
	check(ret == 0 && status == 143 && now() - t < 5,
	      "SIGTERM to fdpctl goes to the command: 143, at once (%d)", status);
	/* One that came during the setup, before the command ran. */
	child_signals_hold();
	raise(SIGHUP);
	t = now();
	ret = run(&status, NULL, "sleep", "10", NULL);
	check(ret == 0 && status == 128 + SIGHUP && now() - t < 5,
	      "SIGHUP held during the setup goes to the command: 129 (%d)", status);
	check(1, "fdpctl lives on after both");
	return test_done();
}
