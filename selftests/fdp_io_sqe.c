// SPDX-License-Identifier: GPL-2.0
/*
 * The one place fdp_io touches sqe->write_stream (Linux 6.16+). It is
 * compiled against the test-bed kernel's UAPI headers, which know the field,
 * while the rest of fdp_io uses the distribution's liburing, which does not;
 * both describe the same 64-byte SQE.
 */
#include <linux/io_uring.h>

#include "fdp_io.h"

void fdp_sqe_set_write_stream(void *sqe, unsigned int stream)
{
	((struct io_uring_sqe *)sqe)->write_stream = stream;
}
