#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: install what is missing, build everything against the test-bed
# kernel, boot the VM and run demo-guest.sh in it.

set -euo pipefail
. "$(dirname "$0")/common.sh"

"$FDPBLK_VM/setup-host.sh"
kb=$("$FDPBLK_VM/build-kernel.sh")
make -s -C "$FDPBLK_TOP" clean >/dev/null
make -s -C "$FDPBLK_TOP" KDIR="$kb" modules userspace >/dev/null
make -s -C "$FDPBLK_TOP/selftests" KSRC="$(fdpblk_ksrc_dir)" KBUILD="$kb" >/dev/null
exec "$FDPBLK_VM/run-vm.sh" --name demo --timeout 900 -- selftests/vm/demo-guest.sh
