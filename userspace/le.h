/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Little-endian fields of NVMe data structures, read byte by byte: no
 * alignment or host byte order assumed.
 */
#ifndef FDPCTL_LE_H
#define FDPCTL_LE_H

#include <stdint.h>

static inline uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static inline uint32_t le32(const uint8_t *p)
{
	return le16(p) | (uint32_t)le16(p + 2) << 16;
}

static inline uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static inline unsigned __int128 le128(const uint8_t *p)
{
	return le64(p) | (unsigned __int128)le64(p + 8) << 64;
}

#endif /* FDPCTL_LE_H */
