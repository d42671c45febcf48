#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: allocation-failure sweep (fail_nth, fault injection's
# fail-nth with failslab and fail_page_alloc made to fail sleeping
# allocations too). Over SET_POLICY, SET and CLEAR of range and cgroup
# ranks, CREATE (on a null_blk) and a write to each writable sysfs
# attribute: for n = 1, 2, ... the n-th fault point of the call fails, and
# the call either fails with an error leaving the policy, the ranks and
# the device list exactly as they were, or absorbs the fault; until a call
# runs without reaching its n-th fault point. The verdict's kmemleak scan
# finds any leak on those error paths.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_ns FDPBLK_NS_FDP8

dbg=/sys/kernel/debug
mounts=$(</proc/mounts)
[[ $mounts == *" $dbg "* ]] || mount -t debugfs debugfs $dbg ||
	_fail "cannot mount debugfs"
[ -w /proc/thread-self/fail-nth ] || _fail "no fail-nth (CONFIG_FAULT_INJECTION)"
for f in failslab fail_page_alloc; do
	[ -d "$dbg/$f" ] || _fail "no $dbg/$f (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC)"
done
cg=/sys/fs/cgroup/fdpblk-fail-nth
declare -A saved=()
setting() { # FILE VALUE
	saved[$1]=$(<"$1")
	echo "$2" > "$1" || _fail "cannot set $1"
}
cleanup() {
	trap - ERR
	set +e
	for f in "${!saved[@]}"; do echo "${saved[$f]}" > "$f"; done
	rmdir "$cg" 2>/dev/null
	_cleanup_devs
	rmmod null_blk 2>/dev/null
}
trap cleanup EXIT
# Fail sleeping allocations and single pages too; no stack dump per fault.
setting $dbg/failslab/ignore-gfp-wait N
setting $dbg/failslab/verbose 0
setting $dbg/fail_page_alloc/ignore-gfp-wait N
setting $dbg/fail_page_alloc/ignore-gfp-highmem N
setting $dbg/fail_page_alloc/min-order 0
setting $dbg/fail_page_alloc/verbose 0

modprobe -d "$FDPBLK_MODROOT" null_blk nr_devices=1 gb=1 || _fail "modprobe null_blk"
mkdir -p "$cg" || _fail "mkdir $cg"
_create_dev "$FDPBLK_NS_FDP8"
id=${DEV#/dev/fdpblk}
out=$("$FDPBLK_SELFTESTS/fail_nth" "$id" "$cg" /dev/nullb0 2>&1) ||
	{ echo "$out"; _fail "fail_nth"; }
echo "$out"
# Every operation was swept and reached at least one fault point.
for op in SET_POLICY SET_RANGE_RANKS CLEAR_RANGE_RANKS SET_CGROUP_RANKS \
	  CLEAR_CGROUP_RANKS CREATE "sysfs default_ph" "sysfs hint_map" \
	  "sysfs stream_map" "sysfs data_pool" "sysfs meta_pool" \
	  "sysfs meta_chunk_kib" "sysfs reset_stats" "sysfs revalidate"; do
	_lines_matching line "$out" "^# $op: " || _fail "$op was not swept"
	[[ $line != "# $op: 0 fault points"* ]] || _fail "$op reached no fault point: $line"
done
_pass
