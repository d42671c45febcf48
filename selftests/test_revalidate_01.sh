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
	rm -f "${TMPDIR:-/tmp}/fdpblk-reval-data.$$" \
		"${TMPDIR:-/tmp}/fdpblk-reval-data.$$.back"
	if [ -n "$plain_lbaf" ]; then
		nvme format "$ctrl" -n "$nsid" --lbaf="$plain_lbaf" --force >/dev/null 2>&1
	fi
}
trap cleanup EXIT

# Sizes and block sizes from sysfs, with builtins (blockdev, tr, head
# and cmp cost a process each, a good fraction of a second in the test
# VM): queue/logical_block_size and physical_block_size are what
# BLKSSZGET and BLKPBSZGET return, size (in 512-byte sectors) what
# BLKGETSIZE64 returns in bytes.
sysfs_to() { # VAR BLOCKDEV FILE: /sys/class/block/NAME/FILE, first line
	local _sf_f=/sys/class/block/${2##*/}/$3 _sf_v=
	[ -r "$_sf_f" ] || _fail "cannot read $_sf_f"
	read -r _sf_v < "$_sf_f" || true
	printf -v "$1" '%s' "$_sf_v"
}
bytes_to() { # VAR BLOCKDEV: its size in bytes
	local _by_s
	sysfs_to _by_s "$2" size
	printf -v "$1" '%s' $((_by_s << 9))
}
geometry_to() { # VAR BLOCKDEV: bytes, logical and physical block size
	local _ge_b _ge_l _ge_p
	bytes_to _ge_b "$2"
	sysfs_to _ge_l "$2" queue/logical_block_size
	sysfs_to _ge_p "$2" queue/physical_block_size
	printf -v "$1" '%s' "$_ge_b $_ge_l $_ge_p"
}
same() { # WHAT LOWER
	local lg tg
	geometry_to lg "$2"
	geometry_to tg "$DEV"
	_assert_eq "$1: top = lower" "$lg" "$tg"
}
roundtrip() { # WHAT BYTE_OFFSET BLOCK: write a block through the top, read it from the lower
	local data=${TMPDIR:-/tmp}/fdpblk-reval-data.$$ block back i
	local -a r=()
	# A block of random hex digits, made with builtins.
	for ((i = 0; i < $3; i += 8)); do r+=("$RANDOM" "$RANDOM"); done
	printf -v block '%04x' "${r[@]}"
	printf '%s' "$block" > "$data"
	dd if="$data" of="$DEV" bs="$3" seek=$(($2 / $3)) count=1 oflag=direct \
		conv=notrunc status=none || _fail "$1: write through the top failed"
	dd if="$lower" of="$data.back" bs="$3" skip=$(($2 / $3)) count=1 \
		iflag=direct status=none || _fail "$1: cannot read the lower"
	{ back=$(<"$data.back"); } 2>/dev/null	# NULs (not our data) dropped
	[ "$back" = "$block" ] || _fail "$1: the lower does not have the data"
}

# ---- dm-linear on null_blk: grow, shrink ---------------------------------
_nullb_new nullb6 size=128 memory_backed=1 poll_queues=1
nb=$NULLB
table() { echo "0 $(($1 << 11)) linear /dev/nullb6 0"; }
dmsetup create "$dm" --noudevsync --table "$(table 64)" || _fail "dmsetup create"
# No udev here: devtmpfs makes /dev/dm-N, not /dev/mapper/. N by the dm
# device's name in sysfs.
lower=
for d in /sys/block/dm-*; do
	[ -r "$d/dm/name" ] || continue
	[ "$(<"$d/dm/name")" = "$dm" ] || continue
	lower=/dev/${d##*/}
done
[ -n "$lower" ] || _fail "no dm-N in /sys/block is named $dm"
_wait_path exists "$lower" || _fail "$lower did not appear"
_create_dev "$lower" --passthrough --name reval-dm
same "at creation" "$lower"

resize() { # MIB
	dmsetup reload "$dm" --noudevsync --table "$(table "$1")" &&
		dmsetup resume "$dm" --noudevsync || _fail "dm resize to $1 MiB"
	local b
	bytes_to b "$lower"
	_assert_eq "lower resized" $(($1 << 20)) "$b"
}
resize 96
bytes_to b "$DEV"
_assert_eq "top before revalidate" $((64 << 20)) "$b"
"$FDPCTL" revalidate "$DEV" || _fail "fdpctl revalidate"
same "grown, fdpctl revalidate" "$lower"
roundtrip "grown" $((95 << 20)) 4096

resize 48
bytes_to b "$DEV"
_assert_eq "top before revalidate" $((96 << 20)) "$b"
_set_attr "$DEV" revalidate 1
same "shrunk, sysfs revalidate" "$lower"
roundtrip "shrunk" $((47 << 20)) 4096
# The bytes read, in a file: counted (wc) only if there are any. dd's
# status is not the check (it may or may not fail at the end).
beyond=${TMPDIR:-/tmp}/fdpblk-reval-data.$$.back
dd if="$DEV" bs=4096 skip=$((48 << 8)) count=1 iflag=direct status=none \
	> "$beyond" || true
[ ! -s "$beyond" ] || _assert_eq "read beyond the end" 0 "$(wc -c < "$beyond")"
echo 2 > "/sys/block/${DEV##*/}/fdpblk/revalidate" 2>/dev/null &&
	_fail "sysfs revalidate took 2"
"$FDPCTL" remove "$DEV" || _fail "remove the dm device's fdpblk"
FDPBLK_DEVS=()
dmsetup remove --noudevsync "$dm" || _fail "dmsetup remove"

# ---- null_blk without its poll queues ------------------------------------
lower=/dev/nullb6
_create_dev "$lower" --passthrough --name reval-poll
lp='' tp=''
sysfs_to lp nullb6 queue/io_poll
sysfs_to tp "$DEV" queue/io_poll
_assert_eq "poll at creation" "1 1" "$lp $tp"
echo 0 > "$nb/poll_queues" || _fail "poll_queues=0"
_assert_file "lower poll" 0 /sys/block/nullb6/queue/io_poll
# By name, in JSON: the device as revalidated.
json=$(exec "$FDPCTL" revalidate reval-poll -o json) || _fail "fdpctl revalidate by name"
_assert_eq "revalidate -o json" "[\"revalidate\",\"reval-poll\",\"$DEV\",true,\"nullb6\"]" \
	"$(jq -c '[.action, .name, .path, .passthrough, .lower]' <<<"$json")"
_assert_file "top poll after revalidate" 0 "/sys/block/${DEV#/dev/}/queue/io_poll"
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
idns=$(exec nvme id-ns "$ng" -o json) || _fail "nvme id-ns $ng"
# One jq for both (a jq costs about two seconds in the test VM).
formats=$(exec jq -r '"\(.flbas % 16) \([.lbafs[] | .ds == 12 and .ms == 0] | index(true))"' <<<"$idns")
read -r cur lbaf4k <<<"$formats"
[ "$lbaf4k" != null ] || _fail "$ns: no 4 KiB LBA format without metadata"
lower=$ns
_create_dev "$ns" --passthrough
same "NVMe, at creation" "$ns"
plain_lbaf=$cur
nvme format "$ctrl" -n "$nsid" --lbaf="$lbaf4k" --force >/dev/null ||
	_fail "nvme format --lbaf=$lbaf4k"
# nvme-cli's rescan updates the namespace asynchronously: polled without
# a process (_sleep), for up to 30 s.
lbs_of_ns=/sys/class/block/${ns##*/}/queue/logical_block_size
lbs=''
for ((i = 0; i < 300; i++)); do
	{ read -r lbs < "$lbs_of_ns"; } 2>/dev/null || true
	[ "$lbs" = 4096 ] && break
	_sleep 0.1
done
sysfs_to lbs "$ns" queue/logical_block_size
_assert_eq "namespace block size after format" 4096 "$lbs"
"$FDPCTL" revalidate "$DEV" || _fail "fdpctl revalidate after format"
same "NVMe, 4 KiB format" "$ns"
roundtrip "NVMe, 4 KiB format" $((1 << 20)) 4096
# Refused by the top's own limits (EINVAL), not failed by the lower (EIO).
if err=$(exec dd if=/dev/zero of="$DEV" bs=512 seek=1 count=1 \
		oflag=direct conv=notrunc status=none 2>&1); then
	_fail "a 512-byte direct write to a 4 KiB device went through"
fi
[[ $err == *"Invalid argument"* ]] || _fail "512-byte write: $err"

nvme format "$ctrl" -n "$nsid" --lbaf="$cur" --force >/dev/null ||
	_fail "nvme format --lbaf=$cur"
plain_lbaf=
for ((i = 0; i < 300; i++)); do
	{ read -r lbs < "$lbs_of_ns"; } 2>/dev/null || true
	[ "$lbs" = 512 ] && break
	_sleep 0.1
done
_set_attr "$DEV" revalidate 1
same "NVMe, format restored" "$ns"
roundtrip "NVMe, format restored" $((1 << 20)) 512
_pass
