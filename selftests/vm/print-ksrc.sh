#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the unpacked test-bed kernel source directory (unpacking it if need be).
set -euo pipefail
. "$(dirname "$0")/common.sh"
src=$(fdpblk_ksrc_dir)
[ -f "$src/.fdpblk-unpacked" ] || "$FDPBLK_VM/build-kernel.sh" >/dev/null
echo "$src"
