#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic writes of several blocks through fdpblk, and over
# LBA-range boundaries. vm/check.sh runs it in a guest of its own
# (run-vm.sh --atomic), whose FDPBLK_NS_ATOMIC has an atomic write unit of
# 16 blocks (NAWUPF 15), 8 KiB. fdpblk shows the lower's atomic limits. An
# 8 KiB write that crosses a range boundary (into a range, between two, out
# of one) is split there and each part placed by its own rule without
# RWF_ATOMIC; with RWF_ATOMIC it stays one command on the lower (its write
# count) and is placed whole on the handle of its first sector's rule (the
# device's RUAMW), and it lands (read back from the lower). An atomic
# write larger than the unit is refused with EINVAL, as on the raw
# namespace.

. "$(dirname "$0")/../../test_common.sh"
_require_root
_require_cmd nvme
_require_ns FDPBLK_NS_ATOMIC

ns=$FDPBLK_NS_ATOMIC
_lbsize_to lb "$ns"
K=1024 M=$((1 << 20))
# QEMU's atomic.nawupf=15 of 512-byte blocks: a unit of 8 KiB, no boundary.
_assert_eq "test bed: the lower's atomic limits" "8192 $lb 8192 0" "$(_atomic_limits "$ns")"
_create_dev "$ns"
_assert_eq "atomic limits" "$(_atomic_limits "$ns")" "$(_atomic_limits "$DEV")"

# Default ph 8; rank r on data_pool[r % 2]: rank 1 on ph 5, rank 2 on 3.
# Rank 1 on [1M+4K, 1M+12K), rank 2 on [1M+12K, 1M+20K): boundaries at
# 1M+4K (into rank 1), 1M+12K (rank 1 to 2), 1M+20K (out of rank 2), each
# in the middle of an aligned 8 KiB block.
_set_attr "$DEV" default_ph 8
_set_attr "$DEV" data_pool "3 5"
s=$(((M + 4 * K) / 512))
"$FDPCTL" rank set "$DEV" --range "$s+16" 1 || _fail "rank set rank 1"
"$FDPCTL" rank set "$DEV" --range "$((s + 16))+16" 2 || _fail "rank set rank 2"

# Writes the lower completed (diskstats field 5), where nothing else
# writes: fdp_io runs with --no-fsync, as a flush counts as one.
lower_writes() { # VAR
	local _lw
	read -r _ _ _ _ _lw _ < "/sys/block/${ns#/dev/}/stat"
	printf -v "$1" '%s' "$_lw"
}
h=$((4 * K / lb))
_ruh_chain on
check() { # WHAT "ph:blocks ..." REQUESTS FDP_IO_ARGS...
	local what=$1 expect=$2 reqs=$3 w0 w1
	shift 3
	lower_writes w0
	_check_drop "$ns" "$what" "$expect" "$FDP_IO" write "$DEV" "$@" --no-fsync
	lower_writes w1
	_assert_eq "$what: requests on the lower" "$reqs" "$((w1 - w0))"
}

# Without RWF_ATOMIC each crossing splits (and the parts' streams differ,
# so the lower cannot merge them back): two requests.
check "into rank 1, split" "8:$h 5:$h" 2 $M 8K --bs 8K
check "rank 1 to 2, split" "5:$h 3:$h" 2 $((M + 8 * K)) 8K --bs 8K
check "out of rank 2, split" "3:$h 8:$h" 2 $((M + 16 * K)) 8K --bs 8K
# With RWF_ATOMIC: one request, placed by its first sector.
check "into rank 1, atomic" "8:$((2 * h))" 1 $M 8K --bs 8K --atomic --seed 2
check "rank 1 to 2, atomic" "5:$((2 * h))" 1 $((M + 8 * K)) 8K --bs 8K --atomic --seed 2
check "out of rank 2, atomic" "3:$((2 * h))" 1 $((M + 16 * K)) 8K --bs 8K --atomic --seed 2
"$FDP_IO" verify "$ns" $M 24K --bs 8K --seed 2 || _fail "the atomic writes did not land"

# Larger than the unit: refused on both, and nothing written.
_ruh_snapshot_to before "$ns"
for d in "$ns" "$DEV"; do
	out=$("$FDP_IO" write "$d" $((2 * M)) 16K --bs 16K --atomic 2>&1) &&
		_fail "$d: a 16 KiB atomic write was accepted"
	_assert_eq "$d: 16 KiB atomic" "fdp_io: pwrite: Invalid argument" "$out"
done
_ruh_snapshot_to after "$ns"
_assert_ruh_drop "$before" "$after" ""
_pass
