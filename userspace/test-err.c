// SPDX-License-Identifier: GPL-2.0
/*
 * Description: explain_nvme() (err.c) on the host, with io_uring that
 * works: what the kernel's EINVAL, EOPNOTSUPP and the chunked reads'
 * errors are said to be. stderr is read back from a file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "test.h"

/* What err.c needs of the rest of fdpctl. */
const struct print_ops *out = &print_json;
const struct print_ops print_json = { 0 };
const struct cmd *cur_cmd, *cur_sub;

int fdp_uring_probe(void)
{
	return 0;	/* io_uring with big SQEs and CQEs works */
}

/* explain_nvme(@what, @ret)'s line on stderr, in @buf. */
static const char *said(int ret, char *buf, size_t len)
{
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	explain_nvme("ns", ret);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

int main(void)
{
	char b[512];

	check(strstr(said(-EINVAL, b, sizeof(b)), "the kernel refused the command") &&
	      !strstr(b, "no io_uring"),
	      "EINVAL: the kernel refused the command, not no passthrough");
	check(strstr(said(-EOPNOTSUPP, b, sizeof(b)), "no io_uring NVMe passthrough"),
	      "EOPNOTSUPP: no passthrough");
	check(strstr(said(-EMSGSIZE, b, sizeof(b)), "no log page offset"),
	      "EMSGSIZE: a log larger than a transfer, no offsets");
	check(strstr(said(-EDOM, b, sizeof(b)), "FDPCTL_MAX_XFER"),
	      "EDOM: FDPCTL_MAX_XFER named");
	return test_done();
}
