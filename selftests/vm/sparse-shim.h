/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What Debian's sparse 0.6.4 lacks for Linux 7.3 (check.sh passes it with
 * -include to sparse only; the compiler never sees it):
 * - __typeof_unqual__, which 7.3 uses whenever __CHECKER__ is defined;
 * - __builtin_strlen() in a constant expression, which every MODULE_INFO
 *   static_assert()s on a string literal: an error there, and after an
 *   error sparse shows no warnings at all for the file.
 */
#define __typeof_unqual__ __typeof__
#define __builtin_strlen(s) (sizeof(s) - 1)
