#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make stress: the long versions of the suite's stress tests, not run by CI:
# the ioctl fuzzer (test_ioctl_03.sh) with a million calls instead of the
# 100000 of make check, and the concurrency stress (test_stress_01.sh) for
# 600 s instead of 40. FDPBLK_FUZZ_CALLS, FDPBLK_FUZZ_SEED (to replay a
# run) and FDPBLK_STRESS_SECONDS override. The verdict judges the guest's
# kernel log as for make check: any kernel report fails the run.

set -euo pipefail
. "$(dirname "$0")/common.sh"

fdpblk_build_for_vm
calls=${FDPBLK_FUZZ_CALLS:-1000000}
secs=${FDPBLK_STRESS_SECONDS:-600}
seed=${FDPBLK_FUZZ_SEED:+FDPBLK_FUZZ_SEED=$FDPBLK_FUZZ_SEED}
exec "$FDPBLK_VM/run-vm.sh" --name stress --timeout 14400 -- \
	"FDPBLK_FUZZ_CALLS=$calls $seed selftests/test_ioctl_03.sh &&
	 FDPBLK_STRESS_SECONDS=$secs selftests/test_stress_01.sh"
