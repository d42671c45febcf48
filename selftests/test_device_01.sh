#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: a device stacks on an FDP namespace: exclusive claim with a
# holders link, capacity and queue limits stacked, V write streams with the
# lower granularity, partitions allowed, default policy (identity for hints and
# streams); create on a namespace without FDP fails with a clear error
# unless pass-through is asked for; a zoned device is refused even then; an
# open device keeps the module busy; backing= creates devices at load (a
# namespace that fails is skipped) and unload removes them.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_FDP4 FDPBLK_NS_PLAIN

lower=$(basename "$FDPBLK_NS_FDP8")
_create_dev "$FDPBLK_NS_FDP8"
name=$(basename "$DEV")
q=/sys/block/$name/queue
lq=/sys/block/$lower/queue

[ -e "/sys/block/$lower/holders/$name" ] || _fail "no holders link $lower -> $name"
_assert_eq "capacity" "$(cat /sys/block/$lower/size)" "$(cat /sys/block/$name/size)"
for l in logical_block_size physical_block_size max_sectors_kb \
	 discard_max_bytes write_zeroes_max_bytes write_cache fua; do
	_assert_eq "queue/$l" "$(cat $lq/$l)" "$(cat $q/$l)"
done
_assert_eq "max_write_streams" 8 "$(cat $q/max_write_streams)"
_assert_eq "write_stream_granularity" "$(cat $lq/write_stream_granularity)" \
	"$(cat $q/write_stream_granularity)"
# Partitions allowed (test_partition_01 uses them); a dynamic dev_t under
# the block layer's extended major, as NVMe has.
_assert_eq "ext_range" 256 "$(cat /sys/block/$name/ext_range)"
_assert_eq "major" 259 "$(cut -d: -f1 /sys/block/$name/dev)"

_assert_eq "lower" "$lower" "$(_get_attr "$DEV" lower)"
_assert_eq "max_ph" 8 "$(_get_attr "$DEV" max_ph)"
_assert_eq "nr_streams" 8 "$(_get_attr "$DEV" nr_streams)"
_assert_eq "passthrough" 0 "$(_get_attr "$DEV" passthrough)"
_assert_eq "hint_map" "0 1 2 3 4 5" "$(_get_attr "$DEV" hint_map)"
_assert_eq "stream_map" "-1 -1 -1 -1 -1 6 7 8" "$(_get_attr "$DEV" stream_map)"
_assert_eq "default_ph" 0 "$(_get_attr "$DEV" default_ph)"
_assert_eq "data_pool" "" "$(_get_attr "$DEV" data_pool)"
_assert_eq "meta_pool" "" "$(_get_attr "$DEV" meta_pool)"

# A second exclusive claim of the same namespace fails, saying so.
if err=$("$FDPCTL" create "$FDPBLK_NS_FDP8" 2>&1); then
	_fail "a namespace was claimed twice"
fi
_assert_eq "error for a claimed namespace" \
	"fdpctl: $FDPBLK_NS_FDP8: in use (mounted or claimed by another driver)" "$err"

# More streams than handles: the extra streams map to no directive.
_create_dev "$FDPBLK_NS_FDP4" --streams 12
_assert_eq "fdp4 max_write_streams" 12 \
	"$(cat /sys/block/$(basename "$DEV")/queue/max_write_streams)"
_assert_eq "fdp4 stream_map" "-1 -1 -1 -1 -1 0 0 0 0 0 0 0" "$(_get_attr "$DEV" stream_map)"
_assert_eq "fdp4 hint_map" "0 1 2 3 4 0" "$(_get_attr "$DEV" hint_map)"

# No FDP: refused, with a message that says why and what to do.
mark=$(_kmsg_mark)
if err=$("$FDPCTL" create "$FDPBLK_NS_PLAIN" 2>&1); then
	_fail "create on a namespace without FDP succeeded"
fi
echo "$err" | grep -q "no FDP write streams.*--passthrough" ||
	_fail "unclear error for a namespace without FDP: $err"
_dmesg_since "$mark" | grep -q "$(basename "$FDPBLK_NS_PLAIN") has no write streams" ||
	_fail "no kernel message for a namespace without FDP"
_create_dev "$FDPBLK_NS_PLAIN" --passthrough
_assert_eq "passthrough" 1 "$(_get_attr "$DEV" passthrough)"
_assert_eq "passthrough max_write_streams" 0 \
	"$(cat /sys/block/$(basename "$DEV")/queue/max_write_streams)"

# A zoned device is refused, pass-through or not.
mark=$(_kmsg_mark)
modprobe -d "$FDPBLK_MODROOT" null_blk nr_devices=1 zoned=1 gb=1 zone_size=64 ||
	_fail "modprobe null_blk zoned=1"
_assert_eq "null_blk zoned" host-managed "$(cat /sys/block/nullb0/queue/zoned)"
if err=$("$FDPCTL" create /dev/nullb0 --passthrough 2>&1); then
	rmmod null_blk
	_fail "create on a zoned device succeeded"
fi
rmmod null_blk
_assert_eq "error for a zoned device" \
	"fdpctl: /dev/nullb0: a zoned device: fdpblk does not stack on zoned devices" "$err"
_dmesg_since "$mark" | grep -q "nullb0 is zoned" || _fail "no kernel message for a zoned device"

# An open device keeps the module loaded and cannot be removed.
exec 3<"$DEV"
if err=$(rmmod fdpblk 2>&1); then
	_fail "rmmod succeeded with a device open"
fi
grep -q "in use" <<<"$err" || _fail "rmmod with a device open: expected EBUSY, got: $err"
if err=$("$FDPCTL" remove "$DEV" 2>&1); then
	_fail "remove succeeded with the device open"
fi
_assert_eq "error for removing an open device" "fdpctl: $DEV: in use (open or mounted)" "$err"
[ -b "$DEV" ] || _fail "$DEV went away on a refused remove"
exec 3<&-
# A short open, as udev's blkid makes on a new device, delays REMOVE (by at
# most 5 s) instead of failing it: an opener that holds the device for a
# second while REMOVE starts.
ready=$TMPDIR/opener.ready
rm -f "$ready"
( exec 4<"$DEV"; : > "$ready"; sleep 1 ) &
opener=$!
_wait_path exists "$ready" || _fail "the opener did not open $DEV"
[ -d "/proc/$opener" ] || _fail "the opener closed $DEV before REMOVE began"
"$FDPCTL" remove "$DEV" || _fail "REMOVE failed while a short opener held $DEV"
wait "$opener"
left=()
for d in "${FDPBLK_DEVS[@]}"; do [ "$d" = "$DEV" ] || left+=("$d"); done
FDPBLK_DEVS=("${left[@]}")
_wait_path gone "$DEV" || _fail "$DEV still there after remove"
for d in "${FDPBLK_DEVS[@]}"; do
	"$FDPCTL" remove "$d" || _fail "remove $d"
	_wait_path gone "$d" || _fail "$d still there after remove"
done
[ -e "/sys/block/$lower/holders/$name" ] && _fail "holders link left behind"
FDPBLK_DEVS=()
_unload_module

# backing= at load; unload removes every device.
_load_module "backing=$FDPBLK_NS_FDP8,$FDPBLK_NS_FDP4"
# The devices, by their lowers, whatever numbers they got.
backed=$(for d in /sys/block/fdpblk*; do [ -e "$d/fdpblk/lower" ] && echo "${d##*/}:$(cat "$d/fdpblk/lower")"; done)
_assert_eq "devices created by backing=" \
	"$(printf '%s\n' "$lower" "$(basename "$FDPBLK_NS_FDP4")" | sort)" \
	"$(cut -d: -f2 <<<"$backed" | sort)"
_unload_module
for d in $(cut -d: -f1 <<<"$backed"); do
	[ -e "/dev/$d" ] && _fail "/dev/$d left after rmmod"
done
# A backing= namespace that fails is logged and skipped; the module loads
# with the rest (as loop does: init must not fail once a disk exists).
mark=$(_kmsg_mark)
insmod "$FDPBLK_KO" "backing=/dev/nonexistent,$FDPBLK_NS_PLAIN,$FDPBLK_NS_FDP4" ||
	_fail "insmod with a missing and a plain backing= namespace failed"
_module_loaded || _fail "module not loaded after a partly failed backing="
log=$(_dmesg_since "$mark")
grep -q "backing=/dev/nonexistent: cannot create a device: -2: skipped" <<<"$log" ||
	_fail "no kernel message naming the missing backing= device (ENOENT)"
grep -q "backing=$FDPBLK_NS_PLAIN: cannot create a device: -95: skipped" <<<"$log" ||
	_fail "no kernel message naming the plain backing= namespace (EOPNOTSUPP)"
backed=$(for d in /sys/block/fdpblk*; do [ -e "$d/fdpblk/lower" ] && echo "${d##*/}:$(cat "$d/fdpblk/lower")"; done)
_assert_eq "devices created by a partly failed backing=" \
	"$(basename "$FDPBLK_NS_FDP4")" "$(cut -d: -f2 <<<"$backed")"
grep -q "backing=$FDPBLK_NS_FDP4: ${backed%%:*}\$" <<<"$log" ||
	_fail "no kernel message naming the device made for $FDPBLK_NS_FDP4"
_unload_module
_pass
