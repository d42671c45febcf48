#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the test bed exposes what every placement test relies on:
# the FDP namespaces advertise 8 and 4 write streams (one per placement
# handle) with their reclaim unit size as granularity, the plain namespace
# none; nvme-cli sees as many RUH status descriptors. The small-MDTS
# controller's namespace has 8 handles too, and 8 KiB transfers at most.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_FDP4 FDPBLK_NS_PLAIN FDPBLK_NS_MDTS

q() { cat "/sys/block/$(basename "$1")/queue/$2"; }

_assert_eq "fdp8 max_write_streams" 8 "$(q "$FDPBLK_NS_FDP8" max_write_streams)"
_assert_eq "fdp4 max_write_streams" 4 "$(q "$FDPBLK_NS_FDP4" max_write_streams)"
_assert_eq "plain max_write_streams" 0 "$(q "$FDPBLK_NS_PLAIN" max_write_streams)"
_assert_eq "fdp8 granularity" $((8 << 20)) "$(q "$FDPBLK_NS_FDP8" write_stream_granularity)"
_assert_eq "fdp4 granularity" $((16 << 20)) "$(q "$FDPBLK_NS_FDP4" write_stream_granularity)"

_assert_eq "fdp8 RUH descriptors" 8 "$(_ruh_snapshot "$FDPBLK_NS_FDP8" | wc -l)"
_assert_eq "fdp4 RUH descriptors" 4 "$(_ruh_snapshot "$FDPBLK_NS_FDP4" | wc -l)"
_assert_eq "mdts max_write_streams" 8 "$(q "$FDPBLK_NS_MDTS" max_write_streams)"
_assert_eq "mdts max_hw_sectors_kb" 8 "$(q "$FDPBLK_NS_MDTS" max_hw_sectors_kb)"
_pass
