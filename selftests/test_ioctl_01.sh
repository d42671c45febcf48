#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: every control ioctl error path (short or oversized struct,
# unknown flag, non-zero reserved, ph out of range, bad ranks, missing
# devices, unprivileged caller, unknown command, stale version) is refused
# with its errno and changes nothing (ioctl_errors, kselftest harness).

. "$(dirname "$0")/test_common.sh"
_require_root
_require_ns FDPBLK_NS_FDP8

_create_dev "$FDPBLK_NS_FDP8"
id=${DEV#/dev/fdpblk}
v0=$(_get_attr "$DEV" policy_version)
"$FDPBLK_SELFTESTS/ioctl_errors" "$id" || _fail "ioctl_errors"
# Only the versions test changed the policy: twice.
_assert_eq "policy_version" $((v0 + 2)) "$(_get_attr "$DEV" policy_version)"
_pass
