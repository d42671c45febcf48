#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the device-side oracle works: a write with an explicit
# io_uring write stream to the raw FDP namespace lowers exactly that
# handle's RUAMW by exactly the blocks written, and no other handle's.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_FDP4

check() { # NS STREAM OFFSET LEN NR_HANDLES
	local before after blocks
	blocks=$(($4 / $(_lbsize "$1")))
	before=$(_ruh_snapshot "$1")
	"$FDP_IO" write "$1" "$3" "$4" --mode uring --stream "$2" ||
		_fail "stream $2 write to $1"
	after=$(_ruh_snapshot "$1")
	_assert_ruh_drop "$before" "$after" "$2:$blocks"
	# The oracle must tell handles apart: the same data claimed for the
	# next handle, or by one block less, must be rejected.
	if (_assert_ruh_drop "$before" "$after" "$(($2 % $5 + 1)):$blocks") >/dev/null ||
	   (_assert_ruh_drop "$before" "$after" "$2:$((blocks - 1))") >/dev/null; then
		_fail "the RUAMW oracle accepted a wrong expectation"
	fi
	_log "$1 stream $2: ph $2 RUAMW -$blocks, others unchanged"
}

# Not stream 1: it is placement ID 0, where writes without a directive
# land too, so a lost directive would pass unnoticed.
for s in 2 3 8; do
	check "$FDPBLK_NS_FDP8" "$s" $((s << 20)) $((1 << 20)) 8
done
check "$FDPBLK_NS_FDP4" 4 0 $((2 << 20)) 4
_pass
