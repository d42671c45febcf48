#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: an io_uring write stream s on the fdpblk device lands on
# stream_map[s] (streams 1..5 follow the hint map by default), on that
# handle only; a stream beyond V is refused; the fdpblk_place tracepoint
# and block_bio_remap report each placed write.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
off=0

# Nothing is written between two place() calls: one chain of intervals.
_ruh_chain on
place() { # STREAM EXPECTED_PH
	local len=$((256 << 10))
	_check_drop "$ns" "stream $1 (ph RUAMW drop, other handles unchanged)" \
		"$2:$((len / lb))" "$FDP_IO" write "$DEV" "$off" "$len" --mode uring --stream "$1"
	off=$((off + len))
}

# Default map; stream 1 (ph 1, indistinguishable on the device from no
# directive) is proven below, remapped.
for s in 2 3 6 8; do
	place "$s" "$s"
done
_set_attr "$DEV" hint_map "0 1 2 6 4 5"
place 3 6			# follows the hint map
_set_attr "$DEV" stream_map "4 -1 -1 -1 -1 2 0 3"
place 1 4
place 3 6
place 6 2
# ph 0: no directive. The device sees the default handle; our counters
# tell it apart from ph 1.
read -r ph0 _ <<<"$(_get_attr "$DEV" ph_writes)"
place 7 "$FDPBLK_PH0_LANDS_ON"
read -r ph0_after _ <<<"$(_get_attr "$DEV" ph_writes)"
[ "$ph0_after" -gt "$ph0" ] || _fail "stream 7 (map 0) was not sent without a directive"
place 8 3

if err=$("$FDP_IO" write "$DEV" 0 4096 --bs 4096 --mode uring --stream 9 2>&1); then
	_fail "stream 9 accepted on a device with 8 streams"
fi
grep -q "Invalid argument" <<<"$err" || _fail "stream 9: expected EINVAL, got: $err"

# Tracepoints: one fdpblk_place per placed write, and the remap.
t=/sys/kernel/tracing
[ -d $t/events/fdpblk ] || _fail "no fdpblk trace events"
echo > $t/trace
echo 1 > $t/events/fdpblk/fdpblk_place/enable
echo 1 > $t/events/block/block_bio_remap/enable
"$FDP_IO" write "$DEV" $((64 << 20)) 128K --mode uring --stream 8
echo 0 > $t/events/fdpblk/fdpblk_place/enable
echo 0 > $t/events/block/block_bio_remap/enable
sector=$(((64 << 20) / 512))
grep -q "fdpblk_place: .* sector=$sector nr_sectors=256 source=stream ph=3" $t/trace ||
	_fail "no fdpblk_place event for the write: $(grep fdpblk_place $t/trace | head -3)"
grep -q "block_bio_remap: .* $sector + 256 <- ($(cat /sys/block/$(basename "$DEV")/dev | tr : ,)) $sector" $t/trace ||
	_fail "no block_bio_remap event for the write: $(grep block_bio_remap $t/trace | head -3)"
echo > $t/trace
_pass
