#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: a device follows its lower device when told to (fdpctl
# revalidate, which is the REVALIDATE ioctl, and the sysfs revalidate
# attribute). Until then it keeps the size and limits it had; after it,
# they equal the lower's and I/O works:
# - a dm-linear device (on a memory-backed null_blk) that grew and shrank
#   (dmsetup reload + resume);
# - a null_blk that lost its poll queues (configfs poll_queues=0): the top
#   stops offering polled I/O;
# - the plain NVMe namespace after a Format NVM to a 4 KiB LBA format and
#   back to its own (nvme format through its controller); a 512-byte
#   direct write to the 4 KiB device is refused by the top.
# The verdict fails the run on any kernel warning.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd dmsetup nvme jq cmp
_require_ns FDPBLK_NS_PLAIN

dm=fdpblk-reval
plain_lbaf=
cleanup() {
	trap - ERR
	set +e
	_cleanup_devs
	dmsetup remove --noudevsync "$dm" 2>/dev/null
	_nullb_cleanup
	rm -f "${TMPDIR:-/tmp}/fdpblk-reval-data.$$"
	if [ -n "$plain_lbaf" ]; then
		nvme format "$ctrl" -n "$nsid" --lbaf="$plain_lbaf" --force >/dev/null 2>&1
	fi
}
trap cleanup EXIT

geometry() { # BLOCKDEV: bytes, logical and physical block size
	blockdev --getsize64 --getss --getpbsz "$1" | tr '\n' ' '
}
same() { # WHAT LOWER
	_assert_eq "$1: top = lower" "$(geometry "$2")" "$(geometry "$DEV")"
}
roundtrip() { # WHAT BYTE_OFFSET BLOCK: write a block through the top, read it from the lower
	local data=${TMPDIR:-/tmp}/fdpblk-reval-data.$$
	head -c "$3" /dev/urandom > "$data"
	dd if="$data" of="$DEV" bs="$3" seek=$(($2 / $3)) count=1 oflag=direct \
		conv=notrunc status=none || _fail "$1: write through the top failed"
	cmp -n "$3" "$data" <(dd if="$lower" bs="$3" skip=$(($2 / $3)) count=1 \
		iflag=direct status=none) || _fail "$1: the lower does not have the data"
}

# ---- dm-linear on null_blk: grow, shrink ---------------------------------
_nullb_new nullb6 size=128 memory_backed=1 poll_queues=1
nb=$NULLB
table() { echo "0 $(($1 << 11)) linear /dev/nullb6 0"; }
dmsetup create "$dm" --noudevsync --table "$(table 64)" || _fail "dmsetup create"
# No udev here: devtmpfs makes /dev/dm-N, not /dev/mapper/.
lower=/dev/dm-$(dmsetup info -c --noheadings -o minor "$dm" | tr -d ' ')
_wait_path exists "$lower" || _fail "$lower did not appear"
_create_dev "$lower" --passthrough --name reval-dm
same "at creation" "$lower"

resize() { # MIB
	dmsetup reload "$dm" --noudevsync --table "$(table "$1")" &&
		dmsetup resume "$dm" --noudevsync || _fail "dm resize to $1 MiB"
	_assert_eq "lower resized" $(($1 << 20)) "$(blockdev --getsize64 "$lower")"
}
resize 96
_assert_eq "top before revalidate" $((64 << 20)) "$(blockdev --getsize64 "$DEV")"
"$FDPCTL" revalidate "$DEV" || _fail "fdpctl revalidate"
same "grown, fdpctl revalidate" "$lower"
roundtrip "grown" $((95 << 20)) 4096

resize 48
_assert_eq "top before revalidate" $((96 << 20)) "$(blockdev --getsize64 "$DEV")"
_set_attr "$DEV" revalidate 1
same "shrunk, sysfs revalidate" "$lower"
roundtrip "shrunk" $((47 << 20)) 4096
_assert_eq "read beyond the end" 0 \
	"$(dd if="$DEV" bs=4096 skip=$((48 << 8)) count=1 iflag=direct status=none | wc -c)"
echo 2 > "$(_attr_dir "$DEV")/revalidate" 2>/dev/null &&
	_fail "sysfs revalidate took 2"
"$FDPCTL" remove "$DEV" || _fail "remove the dm device's fdpblk"
FDPBLK_DEVS=()
dmsetup remove --noudevsync "$dm" || _fail "dmsetup remove"

# ---- null_blk without its poll queues ------------------------------------
lower=/dev/nullb6
_create_dev "$lower" --passthrough --name reval-poll
_assert_eq "poll at creation" "1 1" \
	"$(cat /sys/block/nullb6/queue/io_poll "/sys/block/${DEV#/dev/}/queue/io_poll" | tr '\n' ' ' | sed 's/ $//')"
echo 0 > "$nb/poll_queues" || _fail "poll_queues=0"
_assert_eq "lower poll" 0 "$(cat /sys/block/nullb6/queue/io_poll)"
"$FDPCTL" revalidate reval-poll || _fail "fdpctl revalidate by name"
_assert_eq "top poll after revalidate" 0 "$(cat "/sys/block/${DEV#/dev/}/queue/io_poll")"
roundtrip "no poll" $((1 << 20)) 4096
"$FDPCTL" remove "$DEV" || _fail "remove the null_blk's fdpblk"
FDPBLK_DEVS=()

# ---- the plain NVMe namespace: Format NVM to 4 KiB and back ---------------
ns=$FDPBLK_NS_PLAIN
ng=/dev/ng${ns#/dev/nvme}
[ -c "$ng" ] || _fail "no char device $ng"
# Formatted through the controller, which nvme-cli then rescans (it cannot
# rescan through a namespace's char device).
ctrl=${ns%n*}
nsid=$(<"/sys/block/${ns#/dev/}/nsid")
idns=$(nvme id-ns "$ng" -o json) || _fail "nvme id-ns $ng"
cur=$(jq '.flbas % 16' <<<"$idns")
lbaf4k=$(jq '[.lbafs[] | .ds == 12 and .ms == 0] | index(true)' <<<"$idns")
[ "$lbaf4k" != null ] || _fail "$ns: no 4 KiB LBA format without metadata"
lower=$ns
_create_dev "$ns" --passthrough
same "NVMe, at creation" "$ns"
plain_lbaf=$cur
nvme format "$ctrl" -n "$nsid" --lbaf="$lbaf4k" --force >/dev/null ||
	_fail "nvme format --lbaf=$lbaf4k"
for _ in $(seq 100); do
	[ "$(blockdev --getss "$ns")" = 4096 ] && break
	sleep 0.1
done
_assert_eq "namespace block size after format" 4096 "$(blockdev --getss "$ns")"
"$FDPCTL" revalidate "$DEV" || _fail "fdpctl revalidate after format"
same "NVMe, 4 KiB format" "$ns"
roundtrip "NVMe, 4 KiB format" $((1 << 20)) 4096
# Refused by the top's own limits (EINVAL), not failed by the lower (EIO).
if err=$(head -c 512 /dev/zero | dd of="$DEV" bs=512 seek=1 count=1 \
		oflag=direct conv=notrunc status=none 2>&1); then
	_fail "a 512-byte direct write to a 4 KiB device went through"
fi
grep -q "Invalid argument" <<<"$err" || _fail "512-byte write: $err"

nvme format "$ctrl" -n "$nsid" --lbaf="$cur" --force >/dev/null ||
	_fail "nvme format --lbaf=$cur"
plain_lbaf=
for _ in $(seq 100); do
	[ "$(blockdev --getss "$ns")" = 512 ] && break
	sleep 0.1
done
_set_attr "$DEV" revalidate 1
same "NVMe, format restored" "$ns"
roundtrip "NVMe, format restored" $((1 << 20)) 512
_pass
