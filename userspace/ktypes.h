/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's type names, for the module's headers that fdpctl compiles
 * too (kmod/fdpblk-rules.h).
 */
#ifndef FDPCTL_KTYPES_H
#define FDPCTL_KTYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#endif /* FDPCTL_KTYPES_H */
