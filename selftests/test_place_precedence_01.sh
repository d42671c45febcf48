#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the resolution rules in order, one adjacent pair at a time,
# each write able to match both rules of its pair and landing on the
# handle of the first: hint over default, cgroup over hint (buffered and
# O_DIRECT hints), range over cgroup, stream over range, meta over range
# (ext4 on a device ranked end to end), meta over stream. In 7.3 only
# direct writes carry a stream; one is taken for metadata when a file
# system holds the device and its pages are the device's own page cache:
# an io_uring write with a stream from a shared mapping of the device,
# to sectors past the file system. Checked on the device's RUAMW.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq mkfs.ext4
_require_ns FDPBLK_NS_FDP8

cg=/sys/fs/cgroup
grep -qw io $cg/cgroup.controllers && grep -qw memory $cg/cgroup.controllers ||
	_skip "cgroup2 io and memory controllers are not available"
echo "+io +memory" > $cg/cgroup.subtree_control
parent=$cg/fdpblk-prec
child=$parent/a
mnt=$(mktemp -d)
cleanup() {
	trap - ERR
	set +e
	umount "$mnt" 2>/dev/null
	rmdir "$mnt" "$child" "$parent" 2>/dev/null
	_cleanup_devs
}
trap cleanup EXIT
mkdir -p "$child"
echo "+io +memory" > "$parent/cgroup.subtree_control"

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
M=$((1 << 20))
R=$((64 * M))			# the ranked range: [R, R + 8 MiB)
# Every rule its own handle: default 8, hints 3, stream 6 -> 2,
# data pool 5 6 7 (range rank 1 -> 6, cgroup rank 2 -> 7), meta 4.
_set_attr "$DEV" default_ph 8
_set_attr "$DEV" hint_map "0 1 3 3 3 3"
_set_attr "$DEV" stream_map "-1 -1 -1 -1 -1 2 7 8"
_set_attr "$DEV" data_pool "5 6 7"
"$FDPCTL" rank set "$DEV" --range $((R / 512))+$((8 * M / 512)) 1 || _fail "rank set --range"
"$FDPCTL" rank set "$DEV" --cgroup "$parent" 2 || _fail "rank set --cgroup"

check() { _check_drop "$ns" "$@"; }

B=$((M / lb))
# Nothing is written between these checks: one chain of intervals.
_ruh_chain on
check "hint over default (O_DIRECT hint 2)" "3:$B" \
	"$FDP_IO" write "$DEV" 0 $M --hint 2
check "cgroup over hint (buffered hint 2, child of rank 2)" "7:$B" \
	_in_cgroup "$child" "$FDP_IO" write "$DEV" $M $M --hint 2 --mode buffered
check "cgroup over hint (O_DIRECT hint 2, child of rank 2)" "7:$B" \
	_in_cgroup "$child" "$FDP_IO" write "$DEV" $((2 * M)) $M --hint 2
check "range over cgroup (O_DIRECT, child of rank 2, range rank 1)" "6:$B" \
	_in_cgroup "$child" "$FDP_IO" write "$DEV" $R $M
check "stream over range (io_uring stream 6 in range rank 1, child of rank 2)" "2:$B" \
	_in_cgroup "$child" "$FDP_IO" write "$DEV" $((R + M)) $M --mode uring --stream 6

_ruh_chain off

# Meta over range: every sector ranked, so a metadata write that lost to
# the range rule would land on ph 6, not 4.
"$FDPCTL" rank clear "$DEV" --all || _fail "rank clear"
"$FDPCTL" rank set "$DEV" --range 0+$(blockdev --getsz "$DEV") 1 || _fail "rank set whole device"
# The file system leaves the last 16 MiB free for the meta-over-stream case.
fs_kib=$(( ($(blockdev --getsize64 "$DEV") - 16 * M) >> 10 ))
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0,nodiscard "$DEV" "$fs_kib" ||
	_fail "mkfs.ext4"
_set_attr "$DEV" meta_pool "4"
mount -t ext4 "$DEV" "$mnt" || _fail "mount"
sync
_set_attr "$DEV" reset_stats 1
before=$(_ruh_snapshot "$ns")
mkdir "$mnt/d"
for i in $(seq 1 50); do : > "$mnt/d/f$i"; done
"$FDP_IO" write "$mnt/data" 0 $M --mode buffered
sync
umount "$mnt"
after=$(_ruh_snapshot "$ns")
read -r meta_b _ range_b _ <<<"$(_get_attr "$DEV" source_bytes)"
[ "$meta_b" -gt 0 ] || _fail "no metadata written"
_assert_ruh_drop "$before" "$after" "4:$((meta_b / lb)) 6:$((range_b / lb))"
_log "meta over range: ph 4 -$((meta_b / lb)), ph 6 -$((range_b / lb)) blocks"

# Meta over stream (and range): stream 6 alone would give ph 2.
mount -t ext4 "$DEV" "$mnt" || _fail "mount"
sync
check "meta over stream (io_uring stream 6 from the device's page cache, ext4 mounted)" "4:$B" \
	"$FDP_IO" write "$DEV" $(((fs_kib << 10) + 4 * M)) $M --mode uring --stream 6 --from-cache 0
umount "$mnt"
_pass
