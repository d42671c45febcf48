// SPDX-License-Identifier: GPL-2.0
/*
 * fdpblk tracepoint definitions.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
