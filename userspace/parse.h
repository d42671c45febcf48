/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers as fdpctl's users write them. Nothing here prints: a parser
 * returns 0, or -1 for text that is not what it takes, and the caller says
 * which argument was wrong. Kept apart so that host-side unit tests can
 * run them without a device.
 */
#ifndef FDPCTL_PARSE_H
#define FDPCTL_PARSE_H

#include <stdint.h>

/*
 * An unsigned number up to @max: decimal, or hexadecimal after 0x. A
 * leading 0 is not octal: 010 is 10.
 */
int parse_uint(const char *s, unsigned long max, unsigned long *v);

/* The same, decimal only: what policy files take. */
int parse_dec(const char *s, unsigned long max, unsigned long *v);

/* A real number from @min to @max (seconds, for instance). */
int parse_double(const char *s, double min, double max, double *v);

/*
 * A --range: START+LEN, each a plain number of 512-byte sectors, or of
 * bytes with a suffix K, M, G or T, or KiB, MiB, GiB or TiB (powers of
 * 1024 both; whole sectors); LEN > 0.
 */
int parse_range(const char *s, uint64_t *start, uint64_t *nr_sectors);

/* START or LEN of a range alone, in the same forms (0 is taken). */
int parse_sectors(const char *s, uint64_t *nr_sectors);

/*
 * A size in bytes (model sizes): a plain number is bytes, decimal unless
 * 0x is written; with a suffix as in parse_range(), whole sectors.
 */
int parse_bytes(const char *s, uint64_t *bytes);

/* @s without its leading and trailing blanks (the trailing ones cut in place). */
char *str_trim(char *s);

#endif /* FDPCTL_PARSE_H */
