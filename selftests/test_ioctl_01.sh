#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: every control ioctl error path (short or oversized struct,
# unknown flag, non-zero reserved, ph out of range, bad ranks, missing
# devices, unprivileged caller, unknown command, stale version, a range off
# the logical blocks of a 4 KiB-block device) is refused with its errno and
# changes nothing (ioctl_errors, kselftest harness).

. "$(dirname "$0")/test_common.sh"
_require_root
_require_ns FDPBLK_NS_FDP8

modprobe -d "$FDPBLK_MODROOT" null_blk nr_devices=1 bs=4096 gb=1 ||
	_fail "modprobe null_blk"
trap '_cleanup_devs; rmmod null_blk' EXIT
_create_dev /dev/nullb0 --passthrough
id_4k=${DEV#/dev/fdpblk}
_create_dev "$FDPBLK_NS_FDP8"
id=${DEV#/dev/fdpblk}
v0=$(_get_attr "$DEV" policy_version)
"$FDPBLK_SELFTESTS/ioctl_errors" "$id" "$id_4k" || _fail "ioctl_errors"
# Only the versions test changed the policy: twice.
_assert_eq "policy_version" $((v0 + 2)) "$(_get_attr "$DEV" policy_version)"
_pass
