#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: per-device I/O statistics, as dm and md give them: with
# queue/iostats on (off by default: it costs a clone per bio) each bio is
# accounted in the top's /proc/diskstats through a clone sent to the
# lower.
# - 64 direct 4 KiB writes and 32 reads through the top count 64 and 32
#   I/Os and their sectors in the top's stat, and as many reach the lower;
#   the writes are placed as before (RUAMW of the hint's handle); an
#   fsync of the device (an empty flush) counts as one flush, not a write;
# - a write held by a slow lower (null_blk, 2 s timer completion) shows in
#   the top's inflight while it is in flight, and leaves it 0 after;
# - with queue/iostats 0 nothing is counted, nothing shows in flight, the
#   writes are still placed, and a revalidation keeps the setting;
# - polled I/O (io_uring IOPOLL, fio hipri) is remapped, not cloned: it
#   completes and is not counted (documented). Over a null_blk that is not
#   memory-backed: a memory-backed one allocates under RCU in its poll
#   handler (null_poll -> null_insert_page, a BUG in 7.3's null_blk), so
#   the data cannot be verified there.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme fio python3
_require_ns FDPBLK_NS_FDP8

cleanup() {
	trap - ERR
	set +e
	_cleanup_devs
	_nullb_cleanup
	rm -f "$TMPDIR/fdpblk-iostat.$$"
}
trap cleanup EXIT

stat_of() { # BLOCKDEV: "reads read_sectors writes write_sectors inflight"
	local s
	read -r -a s < "/sys/block/${1##*/}/stat"
	echo "${s[0]} ${s[2]} ${s[4]} ${s[6]} ${s[8]}"
}
delta() { # BEFORE AFTER: field-wise difference of stat_of lines
	local -a a b
	read -r -a a <<<"$1"
	read -r -a b <<<"$2"
	echo "$((b[0] - a[0])) $((b[1] - a[1])) $((b[2] - a[2])) $((b[3] - a[3]))"
}
inflight() { local r w; read -r r w < "/sys/block/${1##*/}/inflight"; echo "$r $w"; }

ns=$FDPBLK_NS_FDP8
lb=$(_lbsize "$ns")
_create_dev "$ns"
_assert_eq "queue/iostats at creation" 0 "$(cat "/sys/block/${DEV#/dev/}/queue/iostats")"
echo 1 > "/sys/block/${DEV#/dev/}/queue/iostats"

flushes() { local s; read -r -a s < "/sys/block/${1##*/}/stat"; echo "${s[0]} ${s[4]} ${s[15]}"; }
f0=$(flushes "$DEV")
python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_WRONLY); os.fsync(fd)' "$DEV" ||
	_fail "fsync"
read -r r0 w0 fl0 <<<"$f0"
_assert_eq "an fsync: reads writes flushes" "$r0 $w0 $((fl0 + 1))" "$(flushes "$DEV")"

# One I/O per 4 KiB direct write or read: no merging at queue depth 1.
io_round() { # WHAT EXPECT_TOP EXPECT_LOWER HINT_PH OFFSET
	local t0 l0 r0 r1
	t0=$(stat_of "$DEV")
	l0=$(stat_of "$ns")
	r0=$(_ruh_snapshot "$ns")
	# io_uring: no fsync at the end (a flush the lower may count as a write).
	"$FDP_IO" write "$DEV" "$5" $((64 << 12)) --bs 4096 --hint 5 --mode uring ||
		_fail "$1: writes"
	r1=$(_ruh_snapshot "$ns")
	dd if="$DEV" of=/dev/null bs=4k count=32 skip=$(($5 >> 12)) iflag=direct \
		status=none || _fail "$1: reads"
	_assert_eq "$1: top stat (reads sectors writes sectors)" "$2" \
		"$(delta "$t0" "$(stat_of "$DEV")")"
	_assert_eq "$1: lower stat" "$3" "$(delta "$l0" "$(stat_of "$ns")")"
	_assert_ruh_drop "$r0" "$r1" "$4:$((64 * 4096 / lb))"
	_log "$1: top $2, lower $3, placed on ph $4"
}
io_round "iostats on" "32 256 64 512" "32 256 64 512" 5 0

echo 0 > "/sys/block/${DEV#/dev/}/queue/iostats"
io_round "iostats off" "0 0 0 0" "32 256 64 512" 5 $((1 << 20))
"$FDPCTL" revalidate "$DEV" || _fail "revalidate"
_assert_eq "queue/iostats after revalidate" 0 "$(cat "/sys/block/${DEV#/dev/}/queue/iostats")"
echo 1 > "/sys/block/${DEV#/dev/}/queue/iostats"
io_round "iostats on again" "32 256 64 512" "32 256 64 512" 5 $((2 << 20))
"$FDPCTL" revalidate "$DEV" || _fail "revalidate"
_assert_eq "queue/iostats after revalidate" 1 "$(cat "/sys/block/${DEV#/dev/}/queue/iostats")"
"$FDPCTL" remove "$DEV" || _fail "remove"

# ---- in flight, on a lower that takes 2 s per I/O ------------------------
_nullb_new nullb5 size=64 memory_backed=1 irqmode=2 completion_nsec=2000000000 \
	poll_queues=1
_create_dev /dev/nullb5 --passthrough
echo 1 > "/sys/block/${DEV#/dev/}/queue/iostats"
held() { # WHAT EXPECT_INFLIGHT
	local pid i
	dd if=/dev/zero of="$DEV" bs=4k count=1 oflag=direct status=none &
	pid=$!
	# In flight once the lower has it (blk-mq counts its requests).
	for ((i = 0; i < 30; i++)); do
		[ "$(inflight /dev/nullb5)" = "0 1" ] && break
		sleep 0.05
	done
	_assert_eq "$1: the lower's inflight" "0 1" "$(inflight /dev/nullb5)"
	_assert_eq "$1: inflight (reads writes) during a held write" "$2" "$(inflight "$DEV")"
	wait "$pid" || _fail "$1: held write"
	_assert_eq "$1: inflight after it" "0 0" "$(inflight "$DEV")"
}
held "iostats on" "0 1"
echo 0 > "/sys/block/${DEV#/dev/}/queue/iostats"
held "iostats off" "0 0"
echo 1 > "/sys/block/${DEV#/dev/}/queue/iostats"
"$FDPCTL" remove "$DEV" || _fail "remove"

# ---- polled I/O: remapped, completes, not counted ------------------------
_nullb_new nullb4 size=64 poll_queues=1
_create_dev /dev/nullb4 --passthrough
echo 1 > "/sys/block/${DEV#/dev/}/queue/iostats"
_assert_eq "top polls" 1 "$(cat "/sys/block/${DEV#/dev/}/queue/io_poll")"
t0=$(stat_of "$DEV")
l0=$(stat_of /dev/nullb4)
for rw in write read; do
	fio --name=polled --filename="$DEV" --ioengine=io_uring --hipri=1 --direct=1 \
		--rw=$rw --bs=4k --size=1M --iodepth=4 --output="$TMPDIR/fdpblk-iostat.$$" ||
		_fail "polled fio $rw: $(cat "$TMPDIR/fdpblk-iostat.$$")"
done
_assert_eq "polled I/O: top stat" "0 0 0 0" "$(delta "$t0" "$(stat_of "$DEV")")"
# The lower's in sectors (blk-mq may merge its requests).
read -r _ rs _ ws <<<"$(delta "$l0" "$(stat_of /dev/nullb4)")"
_assert_eq "polled I/O: the lower's read and write sectors" "2048 2048" "$rs $ws"
_log "polled I/O: 1 MiB written and read, counted by the lower only"
_pass
