#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the statistics count what was placed: ph_writes and
# ph_bytes per ph (0..N), source_writes and source_bytes per rule in the
# order sources names, clamped_writes stays 0 on a namespace that keeps its
# streams; every count agrees with the device's RUAMW; reset_stats zeroes
# them all. A lower that lost streams (fault injection: debugfs
# fdpblk/fdpblkN/lower_streams_cap) gets a write for a handle it no longer
# has without a directive, on the handle such writes land on, and
# clamped_writes counts it; with the cap lifted the handle is used again.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
K=1024
_set_attr "$DEV" default_ph 8
_set_attr "$DEV" stream_map "-1 -1 -1 -1 -1 6 7 8"
_assert_eq "sources" "meta stream range cgroup hint default" "$(_get_attr "$DEV" sources)"
_set_attr "$DEV" reset_stats 1

before=$(_ruh_snapshot "$ns")
# 16 hinted writes (ph 2), 8 on stream 6 (ph 6), 4 by default (ph 8).
"$FDP_IO" write "$DEV" 0 $((1024 * K)) --bs 64K --hint 2 || _fail "hint write"
"$FDP_IO" write "$DEV" $((1024 * K)) $((512 * K)) --bs 64K --mode uring --stream 6 ||
	_fail "stream write"
"$FDP_IO" write "$DEV" $((2048 * K)) $((256 * K)) --bs 64K || _fail "default write"
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" \
	"2:$((1024 * K / lb)) 6:$((512 * K / lb)) 8:$((256 * K / lb))"

_assert_eq "ph_writes" "0 0 16 0 0 0 8 0 4" "$(_get_attr "$DEV" ph_writes)"
_assert_eq "ph_bytes" "0 0 $((1024 * K)) 0 0 0 $((512 * K)) 0 $((256 * K))" \
	"$(_get_attr "$DEV" ph_bytes)"
_assert_eq "source_writes" "0 8 0 0 16 4" "$(_get_attr "$DEV" source_writes)"
_assert_eq "source_bytes" "0 $((512 * K)) 0 0 $((1024 * K)) $((256 * K))" \
	"$(_get_attr "$DEV" source_bytes)"
_assert_eq "clamped_writes" 0 "$(_get_attr "$DEV" clamped_writes)"

_set_attr "$DEV" reset_stats 1
_assert_eq "ph_writes after reset" "0 0 0 0 0 0 0 0 0" "$(_get_attr "$DEV" ph_writes)"
_assert_eq "ph_bytes after reset" "0 0 0 0 0 0 0 0 0" "$(_get_attr "$DEV" ph_bytes)"
_assert_eq "source_writes after reset" "0 0 0 0 0 0" "$(_get_attr "$DEV" source_writes)"
_assert_eq "source_bytes after reset" "0 0 0 0 0 0" "$(_get_attr "$DEV" source_bytes)"

# The namespace taken to have 4 streams: 4 writes on stream 6 (ph 6) go
# without a directive; then 4 more with the cap lifted land on ph 6.
cap=/sys/kernel/debug/fdpblk/${DEV##*/}/lower_streams_cap
[ -e "$cap" ] || _skip "no $cap: the kernel has no CONFIG_FAULT_INJECTION_DEBUG_FS"
echo 4 > "$cap"
_ruh_snapshot_to before "$ns"
"$FDP_IO" write "$DEV" $((3072 * K)) $((256 * K)) --bs 64K --mode uring --stream 6 ||
	_fail "stream write, 4 streams"
_ruh_snapshot_to after "$ns"
_assert_ruh_drop "$before" "$after" "$FDPBLK_PH0_LANDS_ON:$((256 * K / lb))"
_assert_attr "clamped_writes with 4 streams" 4 "$DEV" clamped_writes
_assert_attr "ph_writes with 4 streams" "4 0 0 0 0 0 0 0 0" "$DEV" ph_writes
echo 0 > "$cap"
before=$after
"$FDP_IO" write "$DEV" $((3072 * K)) $((256 * K)) --bs 64K --mode uring --stream 6 ||
	_fail "stream write, the cap lifted"
_ruh_snapshot_to after "$ns"
_assert_ruh_drop "$before" "$after" "6:$((256 * K / lb))"
_assert_attr "clamped_writes, the cap lifted" 4 "$DEV" clamped_writes
_pass
