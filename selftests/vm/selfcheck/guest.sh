#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the runner self-check (vm/check.sh): run a suite holding one
# failing test, then make the kernel print a real WARNING through LKDTM.
# Both must fail the run, each on its own evidence.

here=$(cd "$(dirname "$0")" && pwd)
"$here/../../run_suite.sh" "$here/test_selfcheck_fail.sh"
rc=$?
modprobe -d "$FDPBLK_MODROOT" lkdtm || exit 3
echo WARNING > /sys/kernel/debug/provoke-crash/DIRECT
exit $rc
