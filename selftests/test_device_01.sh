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

lower=${FDPBLK_NS_FDP8##*/}
_create_dev "$FDPBLK_NS_FDP8"
name=${DEV##*/}
q=/sys/block/$name/queue
lq=/sys/block/$lower/queue

[ -e "/sys/block/$lower/holders/$name" ] || _fail "no holders link $lower -> $name"
_assert_same_file "capacity" "/sys/block/$lower/size" "/sys/block/$name/size"
for l in logical_block_size physical_block_size max_sectors_kb \
	 discard_max_bytes write_zeroes_max_bytes write_cache fua; do
	_assert_same_file "queue/$l" "$lq/$l" "$q/$l"
done
_assert_file "max_write_streams" 8 "$q/max_write_streams"
_assert_same_file "write_stream_granularity" "$lq/write_stream_granularity" \
	"$q/write_stream_granularity"
# Partitions allowed (test_partition_01 uses them); a dynamic dev_t under
# the block layer's extended major, as NVMe has.
_assert_file "ext_range" 256 "/sys/block/$name/ext_range"
devt=
read -r devt < "/sys/block/$name/dev" || true
_assert_eq "major" 259 "${devt%%:*}"

_assert_attr "lower" "$lower" "$DEV" lower
_assert_attr "max_ph" 8 "$DEV" max_ph
_assert_attr "nr_streams" 8 "$DEV" nr_streams
_assert_attr "passthrough" 0 "$DEV" passthrough
_assert_attr "hint_map" "0 1 2 3 4 5" "$DEV" hint_map
_assert_attr "stream_map" "-1 -1 -1 -1 -1 6 7 8" "$DEV" stream_map
_assert_attr "default_ph" 0 "$DEV" default_ph
_assert_attr "data_pool" "" "$DEV" data_pool
_assert_attr "meta_pool" "" "$DEV" meta_pool

# A second exclusive claim of the same namespace fails, saying so.
# ($(exec CMD): under set -E and the ERR trap, bash forks twice for a
# plain $(CMD).)
if err=$(exec "$FDPCTL" create "$FDPBLK_NS_FDP8" 2>&1); then
	_fail "a namespace was claimed twice"
fi
_assert_eq "error for a claimed namespace" \
	"fdpctl: $FDPBLK_NS_FDP8: in use (mounted or claimed by another driver)" "$err"

# More streams than handles: the extra streams map to no directive.
_create_dev "$FDPBLK_NS_FDP4" --streams 12
_assert_file "fdp4 max_write_streams" 12 \
	"/sys/block/${DEV##*/}/queue/max_write_streams"
_assert_attr "fdp4 stream_map" "-1 -1 -1 -1 -1 0 0 0 0 0 0 0" "$DEV" stream_map
_assert_attr "fdp4 hint_map" "0 1 2 3 4 0" "$DEV" hint_map

# No FDP: refused, with a message that says why and what to do.
mark=''
_kmsg_mark_to mark
if err=$(exec "$FDPCTL" create "$FDPBLK_NS_PLAIN" 2>&1); then
	_fail "create on a namespace without FDP succeeded"
fi
_match_line "$err" "no FDP write streams.*--passthrough" ||
	_fail "unclear error for a namespace without FDP: $err"
log=$(_dmesg_since "$mark")
_match_line "$log" "${FDPBLK_NS_PLAIN##*/} has no write streams" ||
	_fail "no kernel message for a namespace without FDP"
_create_dev "$FDPBLK_NS_PLAIN" --passthrough
_assert_attr "passthrough" 1 "$DEV" passthrough
_assert_file "passthrough max_write_streams" 0 \
	"/sys/block/${DEV##*/}/queue/max_write_streams"

# A zoned device is refused, pass-through or not.
_kmsg_mark_to mark
modprobe -d "$FDPBLK_MODROOT" null_blk nr_devices=1 zoned=1 gb=1 zone_size=64 ||
	_fail "modprobe null_blk zoned=1"
_assert_file "null_blk zoned" host-managed /sys/block/nullb0/queue/zoned
if err=$(exec "$FDPCTL" create /dev/nullb0 --passthrough 2>&1); then
	rmmod null_blk
	_fail "create on a zoned device succeeded"
fi
rmmod null_blk
_assert_eq "error for a zoned device" \
	"fdpctl: /dev/nullb0: a zoned device: fdpblk does not stack on zoned devices" "$err"
log=$(_dmesg_since "$mark")
_match_line "$log" "nullb0 is zoned" || _fail "no kernel message for a zoned device"

# An open device keeps the module loaded and cannot be removed.
exec 3<"$DEV"
if err=$(exec rmmod fdpblk 2>&1); then
	_fail "rmmod succeeded with a device open"
fi
[[ $err == *"in use"* ]] || _fail "rmmod with a device open: expected EBUSY, got: $err"
if err=$(exec "$FDPCTL" remove "$DEV" 2>&1); then
	_fail "remove succeeded with the device open"
fi
_assert_eq "error for removing an open device" "fdpctl: $DEV: in use (open or mounted)" "$err"
[ -b "$DEV" ] || _fail "$DEV went away on a refused remove"
exec 3<&-
# A short open, as udev's blkid makes on a new device, delays REMOVE (by at
# most 5 s) instead of failing it. The opener holds the device until REMOVE
# is seen waiting in the kernel (its stack, not a guess at how long fdpctl
# takes to start), then closes it; REMOVE must then succeed.
( exec sleep 20 4<"$DEV" ) &
opener=$!
fd4=''
for ((i = 0; i < 200; i++)); do
	fd4=$(exec readlink "/proc/$opener/fd/4" 2>/dev/null) || true
	[ "$fd4" = "$DEV" ] && break
	_sleep 0.05
done
[ "$fd4" = "$DEV" ] || _fail "the opener did not open $DEV"
( exec "$FDPCTL" remove "$DEV" > "$TMPDIR/remove.out" 2>&1 ) &
remover=$!
stack=''
for ((i = 0; i < 400; i++)); do
	[ -r "/proc/$remover/stack" ] || break
	stack=$(<"/proc/$remover/stack") || stack=''
	[[ $stack == *fdpblk_remove_dev* ]] && break
	_sleep 0.05
done
kill "$opener"
wait "$opener" 2>/dev/null || true
[[ $stack == *fdpblk_remove_dev* ]] ||
	_fail "REMOVE was not seen waiting for the opener of $DEV: $stack"
wait "$remover" ||
	_fail "REMOVE failed after a short opener closed $DEV: $(<"$TMPDIR/remove.out")"
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
# The devices, by their lowers, whatever numbers they got: "name:lower"
# lines in backed, the names in backed_names, the lowers in backed_lowers.
backing() {
	local d
	backed=''
	backed_names=()
	backed_lowers=''
	for d in /sys/block/fdpblk*; do
		[ -e "$d/fdpblk/lower" ] || continue
		backed+=${backed:+$'\n'}${d##*/}:$(<"$d/fdpblk/lower")
		backed_names+=("${d##*/}")
		backed_lowers+=${backed_lowers:+$'\n'}$(<"$d/fdpblk/lower")
	done
}
backing
want='' got=''
_sorted_lines_to want "$lower"$'\n'"${FDPBLK_NS_FDP4##*/}"
_sorted_lines_to got "$backed_lowers"
_assert_eq "devices created by backing=" "$want" "$got"
_unload_module
for d in "${backed_names[@]}"; do
	[ -e "/dev/$d" ] && _fail "/dev/$d left after rmmod"
done
# A backing= namespace that fails is logged and skipped; the module loads
# with the rest (as loop does: init must not fail once a disk exists).
_kmsg_mark_to mark
insmod "$FDPBLK_KO" "backing=/dev/nonexistent,$FDPBLK_NS_PLAIN,$FDPBLK_NS_FDP4" ||
	_fail "insmod with a missing and a plain backing= namespace failed"
_module_loaded || _fail "module not loaded after a partly failed backing="
log=$(_dmesg_since "$mark")
_match_line "$log" "backing=/dev/nonexistent: cannot create a device: -2: skipped" ||
	_fail "no kernel message naming the missing backing= device (ENOENT)"
_match_line "$log" "backing=$FDPBLK_NS_PLAIN: cannot create a device: -95: skipped" ||
	_fail "no kernel message naming the plain backing= namespace (EOPNOTSUPP)"
backing
_assert_eq "devices created by a partly failed backing=" \
	"${FDPBLK_NS_FDP4##*/}" "$backed_lowers"
_match_line "$log" "backing=$FDPBLK_NS_FDP4: ${backed%%:*}\$" ||
	_fail "no kernel message naming the device made for $FDPBLK_NS_FDP4"
_unload_module
_pass
