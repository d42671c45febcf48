#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: every control ioctl error path (short or oversized struct,
# unknown flag, non-zero reserved, ph out of range, bad ranks, missing
# devices, unprivileged caller, unknown command, stale version, a range off
# the logical blocks of a 4 KiB-block device, LIST into too small a buffer
# or unwritable memory, a CREATE whose result cannot be copied out (it
# leaves no device), the per-device totals of range and cgroup ranks) is
# refused with its errno and changes nothing (ioctl_errors, kselftest
# harness); names and descriptors of CREATE; every command at every struct
# size that matters. The module is loaded with small max_range_ranks= and
# max_cgroup_ranks= so that both totals are reached.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_FDP4

modprobe -d "$FDPBLK_MODROOT" null_blk nr_devices=1 bs=4096 gb=1 ||
	_fail "modprobe null_blk"
trap 'trap - ERR; set +e; rmdir /sys/fs/cgroup/fdpblk-limit/* /sys/fs/cgroup/fdpblk-limit 2>/dev/null; _cleanup_devs; rmmod null_blk' EXIT
_unload_module
_load_module max_range_ranks=64 max_cgroup_ranks=64
_create_dev /dev/nullb0 --passthrough
id_4k=${DEV#/dev/fdpblk}
_create_dev "$FDPBLK_NS_FDP8"
id=${DEV#/dev/fdpblk}
v0=$(_get_attr "$DEV" policy_version)
out=$("$FDPBLK_SELFTESTS/ioctl_errors" "$id" "$id_4k" "$FDPBLK_NS_FDP4" 2>&1) || { echo "$out"; _fail "ioctl_errors"; }
echo "$out"
# The harness passes a run in which some cases skipped: such a case is a
# skip of this test (and so a failure in the test VM).
if grep -q '# SKIP' <<<"$out"; then
	_skip "ioctl_errors skipped: $(grep '# SKIP' <<<"$out" | head -3 | tr '\n' ' ')"
fi
# Only the versions test changed the policy: twice.
_assert_eq "policy_version" $((v0 + 2)) "$(_get_attr "$DEV" policy_version)"
_pass
