#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: reads, flushes, discards and write-zeroes pass through with
# no placement (our counters do not move, the device sees no directive);
# data written through fdpblk reads back the same through the raw
# namespace and the other way round; a pass-through device places
# nothing, whatever its policy says; on a device with 4 KiB logical blocks
# (null_blk) a range rank must start and end between blocks.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq blkdiscard cmp
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_PLAIN

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
M=$((1 << 20))
_set_attr "$DEV" default_ph 5

placed() { _get_attr "$DEV" ph_writes | tr ' ' '\n' | awk '{ s += $1 } END { print s }'; }

# Data goes both ways unchanged.
"$FDP_IO" write "$DEV" 0 $M --seed 7 || _fail "write via fdpblk"
"$FDP_IO" verify "$ns" 0 $M --seed 7 || _fail "raw namespace reads back other data"
"$FDP_IO" write "$ns" $M $M --seed 9 || _fail "write via the namespace"
"$FDP_IO" verify "$DEV" $M $M --seed 9 || _fail "fdpblk reads back other data"

_set_attr "$DEV" reset_stats 1
lower=$(basename "$ns")
_assert_eq "lower write cache" "write back" "$(cat /sys/block/$lower/queue/write_cache)"
flushes() { awk '{ print $16 }' "/sys/block/$lower/stat"; }	# flush I/Os
f0=$(flushes)
before=$(_ruh_snapshot "$ns")
dd if="$DEV" of=/dev/null bs=1M count=8 iflag=direct status=none || _fail "read"
blkdiscard -o $((4 * M)) -l $M "$DEV" || _fail "discard"
sync "$DEV" || _fail "fsync (a flush)"
after=$(_ruh_snapshot "$ns")
[ "$(flushes)" -gt "$f0" ] || _fail "fsync of $DEV sent no flush to $lower"
_assert_ruh_drop "$before" "$after" ""
_assert_eq "writes placed by reads, discards, flushes" 0 "$(placed)"

# Write zeroes carry no directive: the device counts them on its default
# handle, not on default_ph's.
before=$(_ruh_snapshot "$ns")
blkdiscard -z -o $((6 * M)) -l $M "$DEV" || _fail "write zeroes"
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" "$FDPBLK_PH0_LANDS_ON:$((M / lb))"
_assert_eq "writes placed by write zeroes" 0 "$(placed)"
cmp -n $M "$DEV" /dev/zero --ignore-initial=$((6 * M)):0 || _fail "write zeroes did not zero"

# Pass-through on the FDP namespace: the device shows that nothing was
# placed. Hinted O_DIRECT and buffered writes all land on the default
# handle (no directive), and our counters place nothing either.
"$FDPCTL" remove "$DEV" || _fail "remove $DEV"
FDPBLK_DEVS=()
_create_dev "$ns" --passthrough
before=$(_ruh_snapshot "$ns")
"$FDP_IO" write "$DEV" 0 $M --hint 3 --mode direct || _fail "O_DIRECT write, pass-through"
"$FDP_IO" write "$DEV" $M $M --hint 5 --mode buffered || _fail "buffered write, pass-through"
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" "$FDPBLK_PH0_LANDS_ON:$((2 * M / lb))"
_assert_eq "placed on a pass-through device over FDP" 0 "$(placed)"

# Pass-through: the namespace without FDP, and no placement at all.
_create_dev "$FDPBLK_NS_PLAIN" --passthrough
"$FDP_IO" write "$DEV" 0 $M --hint 3 || _fail "write on a pass-through device"
"$FDP_IO" verify "$FDPBLK_NS_PLAIN" 0 $M || _fail "pass-through data differs"
_assert_eq "placed on a pass-through device" 0 "$(placed)"
if err=$( (echo 1 > "$(_attr_dir "$DEV")/default_ph") 2>&1); then
	_fail "a pass-through device took a ph"
fi
grep -q "Invalid argument" <<<"$err" || _fail "ph on a pass-through device: expected EINVAL, got: $err"

modprobe -d "$FDPBLK_MODROOT" null_blk nr_devices=1 bs=4096 gb=1 ||
	_fail "modprobe null_blk"
trap 'trap - ERR; set +e; _cleanup_devs; rmmod null_blk' EXIT
_create_dev /dev/nullb0 --passthrough
"$FDPCTL" rank set "$DEV" --range 8+16 1 || _fail "an aligned range was refused"
for r in 4+8 8+4 12+16; do
	if err=$("$FDPCTL" rank set "$DEV" --range $r 2 2>&1); then
		_fail "range $r on 4 KiB blocks was accepted"
	fi
	grep -q "Invalid argument\|logical block" <<<"$err" ||
		_fail "range $r on 4 KiB blocks: expected EINVAL, got: $err"
done
_assert_eq "ranges" "8 16 1" \
	"$("$FDPCTL" rank list "$DEV" -o json | jq -r '.ranges[] | "\(.start) \(.nr_sectors) \(.rank)"')"
_pass
