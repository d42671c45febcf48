#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: ext4 on an fdpblk device with a metadata pool: the file
# system's metadata and journal land in the pool, file data lands by its
# fcntl write hint (buffered and O_DIRECT), and nothing lands anywhere
# else. Checked on the device's RUAMW.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq mkfs.ext4
_require_ns FDPBLK_NS_FDP8

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
M=$((1 << 20))
mnt=$(mktemp -d)
cleanup() {
	trap - ERR
	umount "$mnt" 2>/dev/null || true
	rmdir "$mnt"
	_cleanup_devs
}
trap cleanup EXIT

mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0,nodiscard "$DEV" ||
	_fail "mkfs.ext4"
_set_attr "$DEV" default_ph 8
_set_attr "$DEV" meta_pool "6 7"
mount -t ext4 "$DEV" "$mnt" || _fail "mount"
sync

before=$(_ruh_snapshot "$ns")
_set_attr "$DEV" reset_stats 1
"$FDP_IO" write "$mnt/short" 0 $((2 * M)) --mode buffered --hint 2 || _fail "buffered file"
"$FDP_IO" write "$mnt/long" 0 $M --mode direct --hint 4 || _fail "O_DIRECT file"
mkdir "$mnt/dir"
for i in $(seq 1 50); do : > "$mnt/dir/f$i"; done
sync
umount "$mnt"
after=$(_ruh_snapshot "$ns")

drops=$(_ruh_drop "$before" "$after")
_log "RUAMW drops per ph: $(echo $drops)"
meta=$(awk '$1 == 6 || $1 == 7 { s += $2 } END { print s }' <<<"$drops")
[ "$meta" -gt 0 ] || _fail "no metadata landed in the pool (ph 6, 7)"
# Data exactly where its hint says; the pool's share is whatever the
# metadata and journal were, and nothing else moved.
_assert_ruh_drop "$before" "$after" \
	"2:$((2 * M / lb)) 4:$((M / lb)) 6:$(awk '$1 == 6 { print $2 }' <<<"$drops") 7:$(awk '$1 == 7 { print $2 }' <<<"$drops")"
read -r meta_b _ _ _ _ _ <<<"$(_get_attr "$DEV" source_bytes)"
_assert_eq "metadata bytes (ours vs device)" "$((meta * lb))" "$meta_b"
_pass
