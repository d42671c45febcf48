#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: partitions on an fdpblk device. sfdisk writes a GPT and the
# kernel reads it (BLKRRPART works); each partition has a dev_t of its own.
# Through a partition, a write hint, a range rank (set in whole-device
# sectors, or by fdpctl relative to a partition and within it) and ext4's
# metadata are placed as on the whole device. The block
# layer gives a partition no write streams. Checked on the device's RUAMW.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq sfdisk blockdev mkfs.ext4
_require_ns FDPBLK_NS_FDP8

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
M=$((1 << 20))
name=${DEV#/dev/}
mnt=$(mktemp -d)
trap 'trap - ERR; set +e; umount "$mnt" 2>/dev/null; rmdir "$mnt"; _cleanup_devs' EXIT

# p1: 64 MiB at 1 MiB; p2: 64 MiB after it.
sfdisk -q "$DEV" <<EOF || _fail "sfdisk $DEV"
label: gpt
start=1MiB, size=64MiB, name=one
start=65MiB, size=64MiB, name=two
EOF
p1=${DEV}p1 p2=${DEV}p2
_wait_path exists "$p1" && _wait_path exists "$p2" ||
	_fail "the partitions did not appear"
read -r p1start < "/sys/block/$name/${name}p1/start"
_assert_eq "p1 start (sectors)" 2048 "$p1start"
read -r devt < "/sys/block/$name/dev"
read -r devt1 < "/sys/block/$name/${name}p1/dev"
read -r devt2 < "/sys/block/$name/${name}p2/dev"
[ "$devt1" != "$devt" ] && [ "$devt2" != "$devt" ] && [ "$devt1" != "$devt2" ] ||
	_fail "partitions without a dev_t of their own: $devt $devt1 $devt2"
blockdev --rereadpt "$DEV" || _fail "BLKRRPART on $DEV"
_wait_path exists "$p2" || _fail "$p2 gone after BLKRRPART"

check() { # WHAT EXPECT FDP_IO_ARGS...
	local what=$1 expect=$2
	shift 2
	_check_drop "$ns" "$what" "$expect" "$FDP_IO" write "$@"
}

# A hint, by O_DIRECT and by buffered writeback of the partition's cache.
# Nothing is written between the checks up to mkfs: one chain.
_ruh_chain on
_set_attr "$DEV" hint_map "0 1 7 3 8 5"
check "p1: hint 4 by O_DIRECT" "8:$((M / lb))" "$p1" 0 $M --hint 4
check "p1: hint 2 buffered" "7:$((M / lb))" "$p1" $M $M --hint 2 --mode buffered

# A range rank, in whole-device sectors: 8 MiB into p1.
_set_attr "$DEV" data_pool "3 5"
"$FDPCTL" rank set "$DEV" --range "$((p1start + 16384))+2048" 1 ||
	_fail "rank set on p1's 8 MiB"
check "p1: a write into a ranked range" "5:$((M / lb))" "$p1" $((8 * M)) $M
check "p1: a write next to it" "8:$((M / lb))" "$p1" $((9 * M)) $M --hint 4

# fdpctl takes a range relative to a partition (8 MiB into p2), within it.
"$FDPCTL" rank set "$p2" --range 16384+2048 2 || _fail "rank set on p2, partition-relative"
check "p2: a write into its ranked range" "3:$((M / lb))" "$p2" $((8 * M)) $M
if err=$("$FDPCTL" rank set "$p2" --range 131064+16 1 2>&1); then
	_fail "a range past p2's end was taken"
fi
grep -q "runs past the end of the partition" <<<"$err" || _fail "past p2's end: $err"
"$FDPCTL" rank list "$p2" >/dev/null 2>&1 && _fail "rank list took a partition"
"$FDPCTL" rank clear "$p2" --range 16384+2048 || _fail "rank clear on p2"
_assert_eq "ranges left" 1 "$(_get_attr "$DEV" nr_range_ranks)"

# No write streams on a partition: io_uring refuses an explicit stream.
"$FDP_IO" write "$p1" $((10 * M)) 128K --mode uring --stream 2 2>/dev/null &&
	_fail "an io_uring write stream on a partition was accepted"

_ruh_chain off

# ext4 on p2: its metadata goes to the pool, its file data by default.
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0,nodiscard "$p2" ||
	_fail "mkfs.ext4 $p2"
_set_attr "$DEV" meta_pool "7"
_set_attr "$DEV" default_ph 8
_set_attr "$DEV" reset_stats 1
before=$(_ruh_snapshot "$ns")
mount "$p2" "$mnt" || _fail "mount $p2"
dd if=/dev/urandom of="$mnt/f" bs=64k count=16 conv=fsync status=none ||
	_fail "write a file on $p2"
umount "$mnt" || _fail "umount $mnt"
after=$(_ruh_snapshot "$ns")
read -r meta _ _ _ hint default <<<"$(_get_attr "$DEV" source_bytes)"
_log "ext4 on p2: metadata $meta bytes, default $default bytes"
[ "$meta" -gt 0 ] || _fail "no metadata placed from ext4 on a partition"
_assert_eq "bytes placed by hint" 0 "$hint"
# Everything else ext4 wrote (journal, checkpoint, superblock: buffer heads
# of p2's page cache, most without REQ_META) is metadata.
_assert_eq "bytes placed by default (the file's data only)" $M "$default"
_assert_ruh_drop "$before" "$after" "7:$((meta / lb)) 8:$((default / lb))"
_pass
