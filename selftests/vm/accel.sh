#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the QEMU accelerator to use: FDPBLK_ACCEL if set to tcg or kvm;
# otherwise kvm only where a KVM guest really boots and runs a command here
# (probed once per host boot), else tcg.

set -euo pipefail
. "$(dirname "$0")/common.sh"

case ${FDPBLK_ACCEL:-auto} in
tcg|kvm) echo "$FDPBLK_ACCEL"; exit 0 ;;
auto) ;;
*) echo "accel: FDPBLK_ACCEL must be tcg, kvm or auto" >&2; exit 2 ;;
esac

cache=/run/fdpblk-accel
if [ -r "$cache" ]; then
	cat "$cache"
	exit 0
fi
accel=tcg
if [ -w /dev/kvm ]; then
	tmp=$(mktemp -d)
	if FDPBLK_ACCEL=kvm FDPBLK_RESULTS=$tmp "$FDPBLK_VM/run-vm.sh" \
		--name kvm-probe --timeout 40 -- 'test -e /sys/kernel/debug' \
		>/dev/null 2>&1; then
		accel=kvm
	fi
	rm -rf "$tmp"
fi
echo "$accel" > "$cache" 2>/dev/null || true
echo "$accel"
