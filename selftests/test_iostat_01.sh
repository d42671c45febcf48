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
_require_cmd nvme fio sync
_require_ns FDPBLK_NS_FDP8

cleanup() {
	trap - ERR
	set +e
	_cleanup_devs
	_nullb_cleanup
	rm -f "$TMPDIR/fdpblk-iostat.$$"
}
trap cleanup EXIT

# Each sets the variable named first (no $(...) subshell: a fork costs a
# few tenths of a second in the test VM).
stat_to() { # VAR BLOCKDEV: "reads read_sectors writes write_sectors inflight"
	local _st_s
	read -r -a _st_s < "/sys/block/${2##*/}/stat"
	printf -v "$1" '%s' "${_st_s[0]} ${_st_s[2]} ${_st_s[4]} ${_st_s[6]} ${_st_s[8]}"
}
delta_to() { # VAR BEFORE AFTER: field-wise difference of stat_to lines
	local -a _dt_a _dt_b
	read -r -a _dt_a <<<"$2"
	read -r -a _dt_b <<<"$3"
	printf -v "$1" '%s' "$((_dt_b[0] - _dt_a[0])) $((_dt_b[1] - _dt_a[1])) $((_dt_b[2] - _dt_a[2])) $((_dt_b[3] - _dt_a[3]))"
}
inflight_to() { # VAR BLOCKDEV
	local _if_r _if_w
	read -r _if_r _if_w < "/sys/block/${2##*/}/inflight"
	printf -v "$1" '%s' "$_if_r $_if_w"
}

ns=$FDPBLK_NS_FDP8
_lbsize_to lb "$ns"
_create_dev "$ns"
_assert_file "queue/iostats at creation" 0 "/sys/block/${DEV#/dev/}/queue/iostats"
echo 1 > "/sys/block/${DEV#/dev/}/queue/iostats"

flushes_to() { # VAR BLOCKDEV: "reads writes flushes"
	local _fl_s
	read -r -a _fl_s < "/sys/block/${2##*/}/stat"
	printf -v "$1" '%s' "${_fl_s[0]} ${_fl_s[4]} ${_fl_s[15]}"
}
f0='' f1=''
flushes_to f0 "$DEV"
# sync FILE is open and fsync(2) (coreutils; a python3 costs seconds here).
sync "$DEV" || _fail "fsync"
read -r r0 w0 fl0 <<<"$f0"
flushes_to f1 "$DEV"
_assert_eq "an fsync: reads writes flushes" "$r0 $w0 $((fl0 + 1))" "$f1"

# One I/O per 4 KiB direct write or read: no merging at queue depth 1.
# Only the rounds write to the namespace (the reads, queue/iostats and
# revalidate do not): one _ruh_chain of RUAMW intervals, one nvme-cli run
# per round.
_ruh_chain on
io_round() { # WHAT EXPECT_TOP EXPECT_LOWER HINT_PH OFFSET
	local t0 l0 t1 l1 d
	stat_to t0 "$DEV"
	stat_to l0 "$ns"
	# io_uring: no fsync at the end (a flush the lower may count as a write).
	_check_drop "$ns" "$1" "$4:$((64 * 4096 / lb))" \
		"$FDP_IO" write "$DEV" "$5" $((64 << 12)) --bs 4096 --hint 5 --mode uring
	dd if="$DEV" of=/dev/null bs=4k count=32 skip=$(($5 >> 12)) iflag=direct \
		status=none || _fail "$1: reads"
	stat_to t1 "$DEV"
	delta_to d "$t0" "$t1"
	_assert_eq "$1: top stat (reads sectors writes sectors)" "$2" "$d"
	stat_to l1 "$ns"
	delta_to d "$l0" "$l1"
	_assert_eq "$1: lower stat" "$3" "$d"
	_log "$1: top $2, lower $3, placed on ph $4"
}
io_round "iostats on" "32 256 64 512" "32 256 64 512" 5 0

echo 0 > "/sys/block/${DEV#/dev/}/queue/iostats"
io_round "iostats off" "0 0 0 0" "32 256 64 512" 5 $((1 << 20))
"$FDPCTL" revalidate "$DEV" || _fail "revalidate"
_assert_file "queue/iostats after revalidate" 0 "/sys/block/${DEV#/dev/}/queue/iostats"
echo 1 > "/sys/block/${DEV#/dev/}/queue/iostats"
io_round "iostats on again" "32 256 64 512" "32 256 64 512" 5 $((2 << 20))
"$FDPCTL" revalidate "$DEV" || _fail "revalidate"
_assert_file "queue/iostats after revalidate" 1 "/sys/block/${DEV#/dev/}/queue/iostats"
"$FDPCTL" remove "$DEV" || _fail "remove"
_ruh_chain off

# ---- in flight, on a lower that takes 2 s per I/O ------------------------
_nullb_new nullb5 size=64 memory_backed=1 irqmode=2 completion_nsec=2000000000 \
	poll_queues=1
_create_dev /dev/nullb5 --passthrough
echo 1 > "/sys/block/${DEV#/dev/}/queue/iostats"
held() { # WHAT EXPECT_INFLIGHT
	local pid i v
	dd if=/dev/zero of="$DEV" bs=4k count=1 oflag=direct status=none &
	pid=$!
	# In flight once the lower has it (blk-mq counts its requests). Polled
	# without a process: 30 rounds of a sleep 0.05 process took up to half
	# a minute here; 300 rounds of _sleep 0.05 take 15 s.
	for ((i = 0; i < 300; i++)); do
		inflight_to v /dev/nullb5
		[ "$v" = "0 1" ] && break
		_sleep 0.05
	done
	inflight_to v /dev/nullb5
	_assert_eq "$1: the lower's inflight" "0 1" "$v"
	inflight_to v "$DEV"
	_assert_eq "$1: inflight (reads writes) during a held write" "$2" "$v"
	wait "$pid" || _fail "$1: held write"
	inflight_to v "$DEV"
	_assert_eq "$1: inflight after it" "0 0" "$v"
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
_assert_file "top polls" 1 "/sys/block/${DEV#/dev/}/queue/io_poll"
stat_to t0 "$DEV"
stat_to l0 /dev/nullb4
# The write, then (stonewall) the read: two jobs of one fio process.
fio --filename="$DEV" --ioengine=io_uring --hipri=1 --direct=1 \
	--bs=4k --size=1M --iodepth=4 --output="$TMPDIR/fdpblk-iostat.$$" \
	--name=polled-write --rw=write --name=polled-read --stonewall --rw=read ||
	_fail "polled fio write, read: $(cat "$TMPDIR/fdpblk-iostat.$$")"
stat_to t1 "$DEV"
delta_to d "$t0" "$t1"
_assert_eq "polled I/O: top stat" "0 0 0 0" "$d"
# The lower's in sectors (blk-mq may merge its requests).
stat_to l1 /dev/nullb4
delta_to d "$l0" "$l1"
read -r _ rs _ ws <<<"$d"
_assert_eq "polled I/O: the lower's read and write sectors" "2048 2048" "$rs $ws"
_log "polled I/O: 1 MiB written and read, counted by the lower only"
_pass
