#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: I/O errors of the lower reach the submitter, each one, and
# nothing else fails. fail_make_request, enabled on the lower namespace
# only (make-it-fail), fails bios submitted to it at random until its
# budget (the fault attribute's own "times" counter) is spent; the errors
# injected are what that counter went down by. Every direct write and read
# through fdpblk is its own bio, so the calls that return EIO must number
# exactly the errors injected, and no call fails with anything else. Over
# both ways a bio goes down: cloned (queue/iostats on) and remapped (off);
# and for a write split at a range boundary, whose one failing half fails
# the whole call. kmemleak, judged by the verdict, finds no clone left.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd python3
_require_ns FDPBLK_NS_FDP8

fmr=/sys/kernel/debug/fail_make_request
[ -d "$fmr" ] || _skip "no $fmr (CONFIG_FAIL_MAKE_REQUEST)"
ns=$FDPBLK_NS_FDP8
mif=/sys/block/${ns##*/}/make-it-fail
[ -w "$mif" ] || _skip "no $mif"
cleanup() {
	trap - ERR
	set +e
	echo 0 > "$mif"
	echo 0 > "$fmr/probability"
	echo 1 > "$fmr/times"
	_cleanup_devs
}
trap cleanup EXIT

# Each call one bio: N direct calls of BS bytes from OFFSET, at BS steps.
# Prints "calls eio other".
calls() { # DEV read|write OFFSET BS N
	python3 - "$@" <<'PY'
import errno, mmap, os, sys
dev, op, off, bs, n = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
fd = os.open(dev, os.O_RDWR | os.O_DIRECT)
buf = mmap.mmap(-1, bs)
buf.write(os.urandom(bs))
eio = other = 0
for i in range(n):
    try:
        if op == "write":
            r = os.pwritev(fd, [buf], off + i * bs)
        else:
            r = os.preadv(fd, [buf], off + i * bs)
        if r != bs:
            other += 1
    except OSError as e:
        if e.errno == errno.EIO:
            eio += 1
        else:
            other += 1
print(n, eio, other)
PY
}

# Inject at PERCENT per bio to the lower, at most BUDGET; run the calls.
inject() { # WHAT PERCENT BUDGET DEV read|write OFFSET BS N
	local what=$1 left n eio other
	echo 0 > "$fmr/verbose"
	echo 1 > "$fmr/interval"
	echo "$2" > "$fmr/probability"
	echo "$3" > "$fmr/times"
	echo 1 > "$mif"
	read -r n eio other <<<"$(calls "${@:4}")"
	echo 0 > "$mif"
	read -r left < "$fmr/times"
	_assert_eq "$what: calls failed otherwise" 0 "$other"
	_assert_eq "$what: calls with EIO = errors injected" $(($3 - left)) "$eio"
	[ "$eio" -gt 0 ] || _fail "$what: nothing was injected"
	_log "$what: $eio of $n calls failed, $(($3 - left)) errors injected"
}

_create_dev "$ns"
q=/sys/block/${DEV#/dev/}/queue/iostats
for mode in 1 0; do
	echo "$mode" > "$q"
	inject "iostats $mode, writes" 30 12 "$DEV" write 0 4096 64
	inject "iostats $mode, reads" 30 12 "$DEV" read 0 4096 64
done

# A write across a range boundary goes down as two bios; one fails.
echo 1 > "$q"
"$FDPCTL" rank set "$DEV" --range 1M+1M 1 || _fail "rank set"
inject "split writes" 100 1 "$DEV" write $(((1 << 20) - 4096)) 8192 1
# The device is whole after the errors: a write and read back.
"$FDP_IO" write "$DEV" 0 1M || _fail "write after the errors"
"$FDP_IO" verify "$DEV" 0 1M || _fail "verify after the errors"
_pass
