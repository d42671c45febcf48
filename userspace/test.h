/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little fdpctl's host-side unit tests need, in plain C: each check
 * prints one TAP line, "ok N - what" or "not ok N - what" with the failed
 * condition and where it is, and test_done() the plan, a summary and the
 * exit status (1 if any check failed). No library, no device, no root.
 */
#ifndef FDPCTL_TEST_H
#define FDPCTL_TEST_H

#include <stdarg.h>
#include <stdio.h>

static unsigned int test_nr, test_failed;

static inline __attribute__((format(printf, 5, 6)))
void test_check(int ok, const char *cond, const char *file, int line,
		const char *fmt, ...)
{
	va_list ap;

	test_nr++;
	printf("%s %u - ", ok ? "ok" : "not ok", test_nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok) {
		printf("#   %s:%d: %s\n", file, line, cond);
		test_failed++;
	}
}

/* check(COND, "what, printf-style"): one test case. */
#define check(cond, ...) \
	test_check(!!(cond), #cond, __FILE__, __LINE__, __VA_ARGS__)

static inline int test_done(void)
{
	printf("1..%u\n# %u passed, %u failed\n", test_nr,
	       test_nr - test_failed, test_failed);
	return test_failed ? 1 : 0;
}

#endif /* FDPCTL_TEST_H */
