#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: install what is missing, build everything against the test-bed
# kernel, boot the VM and run demo-guest.sh in it.

set -euo pipefail
. "$(dirname "$0")/common.sh"

fdpblk_build_for_vm
exec "$FDPBLK_VM/run-vm.sh" --name demo --timeout 1500 -- selftests/vm/demo-guest.sh
