/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FDP_IO_H
#define FDP_IO_H

void fdp_sqe_set_write_stream(void *sqe, unsigned int stream);

#endif
