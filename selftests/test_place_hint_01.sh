#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: a write hint lands on hint_map[hint], on that handle only,
# whether it arrives by O_DIRECT (block/fops.c turns it into a stream), by
# buffered writeback (bio->bi_write_hint) or by io_uring; with the default
# identity map and after the map is changed. Checked on the device's RUAMW.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
off=0

# Nothing is written between two place() calls: one chain of intervals.
_ruh_chain on
place() { # HINT EXPECTED_PH MODE
	local len=$((512 << 10))
	_check_drop "$ns" "hint $1 by $3 (ph RUAMW drop, other handles unchanged)" \
		"$2:$((len / lb))" "$FDP_IO" write "$DEV" "$off" "$len" --hint "$1" --mode "$3"
	off=$((off + len))
}

# Default map: hint h -> ph h.
for mode in direct buffered uring; do
	place 2 2 "$mode"
	place 5 5 "$mode"
done

# Remapped: hint 2 (SHORT) -> ph 7, hint 4 (LONG) -> ph 8. No expectation
# here is ph 1: in the test bed ph 1 is placement ID 0, where writes
# without a directive land too, so it could not tell a mapping from none.
_set_attr "$DEV" hint_map "0 1 7 3 8 5"
for mode in direct buffered uring; do
	place 2 7 "$mode"
	place 4 8 "$mode"
done

# Our own counters agree on the source: every one was placed as a hint,
# also the O_DIRECT and io_uring ones that block/fops.c turned into a
# stream of the hint's number.
read -r meta stream range cgroup hint default <<<"$(_get_attr "$DEV" source_bytes)"
_assert_eq "bytes placed by hint" $((12 * 512 << 10)) "$hint"
_assert_eq "bytes placed otherwise" "0 0 0 0 0" "$meta $stream $range $cgroup $default"
_pass
