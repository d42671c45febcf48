#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: an orderly removal of the lower device under ext4 on an
# fdpblk device: fdpblk lets the file system write back while the lower
# still takes I/O, then goes away. The lower is a memory-backed null_blk
# powered off through configfs (its data survives power-on again; NVMe in
# 7.3 zeroes a namespace's capacity before it reports the removal, so
# nothing can be written back there). A file written just before, never
# synced by the test, reads back whole after power-on.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd mkfs.ext4 cmp

mnt=$(mktemp -d)
ref=$TMPDIR/ref
cleanup() {
	trap - ERR
	set +e
	umount "$mnt" 2>/dev/null
	rmdir "$mnt"
	_cleanup_devs
	_nullb_cleanup
}
trap cleanup EXIT

_nullb_new nullb7 size=512 memory_backed=1 blocksize=4096	# size in MiB
nb=$NULLB
lower=/dev/nullb7

_create_dev "$lower" --passthrough
name=$(basename "$DEV")
mkfs.ext4 -q -F "$DEV"
mount "$DEV" "$mnt"
dd if=/dev/urandom of="$ref" bs=1M count=8 status=none
cp "$ref" "$mnt/file"		# dirty in the page cache, not synced

mark=$(_kmsg_mark)
echo 0 > "$nb/power"
_wait_path gone "/sys/block/$name" 100 || _fail "$name still there after its lower device went"
_dmesg_since "$mark" | grep -q "$name: lower device $(basename "$lower") is gone" ||
	_fail "no kernel message about the removal"
umount "$mnt"
FDPBLK_DEVS=()
_unload_module

echo 1 > "$nb/power"
_wait_path exists "$lower" 50 || _fail "$lower did not come back"
# As after a reboot: mount (replaying the journal) and read.
mount "$lower" "$mnt" || _fail "mount $lower"
cmp "$ref" "$mnt/file" || _fail "the file did not reach the lower device before it went"
_pass
