#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: LBA-range ranks place writes on data_pool[rank % len]; a bio
# that crosses a range boundary is split there and each part placed by its
# own rule (into, out of, between adjacent ranges, around a whole range,
# and by io_uring's REQ_NOWAIT path); an explicit stream still wins over a range, a range over a
# hint, whether it comes by buffered writeback or by O_DIRECT (as a stream
# of the hint's number); clearing a range restores the lower rules.
# Checked on the device's RUAMW.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
_lbsize_to lb "$ns"
M=$((1 << 20))

_set_attr "$DEV" default_ph 8
_set_attr "$DEV" data_pool "3 5"
"$FDPCTL" rank set "$DEV" --range 4M+1M 1 || _fail "rank set 4M+1M"
"$FDPCTL" rank set "$DEV" --range 16384+2048 2 || _fail "rank set 8M+1M"
_assert_attr "nr_range_ranks" 2 "$DEV" nr_range_ranks
_assert_eq "listed ranges" "8192 2048 1 16384 2048 2" \
	"$("$FDPCTL" rank list "$DEV" -o json | jq -r '[.ranges[] | .start, .nr_sectors, .rank] | join(" ")')"

# Nothing but the checks writes to the namespace (ranks and sysfs change
# the policy only): one chain of intervals, each check's "before" the
# previous one's "after".
_ruh_chain on
check() { # WHAT EXPECT FDP_IO_ARGS...
	local what=$1 expect=$2
	shift 2
	_check_drop "$ns" "$what" "$expect" "$FDP_IO" write "$DEV" "$@"
}

check "inside rank 1" "5:$((M / lb))" $((4 * M)) $M --bs 128K
check "inside rank 2" "3:$((M / lb))" $((8 * M)) $M --bs 128K
# One 1 MiB bio over the boundary at 8 MiB: half default, half rank 2.
check "across a boundary" "8:$((M / 2 / lb)) 3:$((M / 2 / lb))" \
	$((15 * M / 2)) $M --bs 1M
# ... and out of a range at 5 MiB: half rank 1, half default.
check "out of a range" "5:$((M / 2 / lb)) 8:$((M / 2 / lb))" \
	$((9 * M / 2)) $M --bs 1M
check "stream over range" "7:$((M / lb))" $((4 * M)) $M --mode uring --stream 7
check "range over hint" "5:$((M / lb))" $((4 * M)) $M --mode buffered --hint 2
check "range over an O_DIRECT hint" "5:$((M / lb))" $((4 * M)) $M --hint 2

# Split writes show up in our counters as range and default parts.
sources=''
_get_attr_to sources "$DEV" source_bytes
read -r _ _ range _ _ default <<<"$sources"
_assert_eq "range bytes" $((5 * M)) "$range"
_assert_eq "default bytes" $M "$default"

# Adjacent ranges of different ranks: one bio split between them.
"$FDPCTL" rank set "$DEV" --range 12M+1M 0 || _fail "rank set 12M+1M"
"$FDPCTL" rank set "$DEV" --range 13M+1M 1 || _fail "rank set 13M+1M"
check "across adjacent ranges" "3:$((M / 2 / lb)) 5:$((M / 2 / lb))" \
	$((25 * M / 2)) $M --bs 1M
# A bio that covers a whole range: split twice, at both of its ends.
"$FDPCTL" rank set "$DEV" --range 20M+256K 1 || _fail "rank set 20M+256K"
check "over a whole range" "8:$((3 * M / 4 / lb)) 5:$((M / 4 / lb))" \
	$((20 * M - M / 4)) $M --bs 1M
# io_uring submits with REQ_NOWAIT: the split at a boundary must not fail
# it with EAGAIN nor place it whole.
check "io_uring across a boundary" "8:$((M / 2 / lb)) 3:$((M / 2 / lb))" \
	$((15 * M / 2)) $M --bs 1M --mode uring
"$FDPCTL" rank clear "$DEV" --range 12M+2M || _fail "rank clear 12M+2M"
"$FDPCTL" rank clear "$DEV" --range 20M+256K || _fail "rank clear 20M+256K"

# Clearing part of a range splits it; clearing all restores the default.
"$FDPCTL" rank clear "$DEV" --range 8704+1024 || _fail "rank clear"
_assert_eq "ranges after a partial clear" "8192 512 1 9728 512 1 16384 2048 2" \
	"$("$FDPCTL" rank list "$DEV" -o json | jq -r '[.ranges[] | .start, .nr_sectors, .rank] | join(" ")')"
check "cleared hole" "8:$((M / 2 / lb))" $((4 * M + M / 4)) $((M / 2))
"$FDPCTL" rank clear "$DEV" --all || _fail "rank clear --all"
_assert_attr "nr_range_ranks after clear" 0 "$DEV" nr_range_ranks
check "no ranks" "8:$((M / lb))" $((8 * M)) $M

# Ranks without a data pool place nothing.
"$FDPCTL" rank set "$DEV" --range 4M+1M 1
_set_attr "$DEV" data_pool ""
check "no data pool" "8:$((M / lb))" $((4 * M)) $M
_pass
