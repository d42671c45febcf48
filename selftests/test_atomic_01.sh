#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: atomic writes through fdpblk. On an NVMe namespace (whose
# atomic write unit is one logical block here: the kernel takes only a
# namespace's NAWUPF, which the test bed's QEMU does not set; units of
# several blocks, and writes over range boundaries, are vm/atomic/
# test_atomic_02's, in a guest of its own) the device shows the
# lower's atomic write limits, a RWF_ATOMIC write of one block works and
# lands (read back from the lower, and placed on the handle its hint
# names), and one of two blocks is refused with EINVAL, as on the raw
# namespace. On a lower without atomic writes (null_blk) RWF_ATOMIC is
# refused with EOPNOTSUPP, as on that lower.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd python3 cmp
_require_ns FDPBLK_NS_FDP8

atomic_write() { # DEV BYTE_OFFSET BYTES [HINT]: prints ok or the errno's name
	python3 - "$@" <<'PY'
import errno, fcntl, mmap, os, sys
dev, off, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fd = os.open(dev, os.O_RDWR | os.O_DIRECT)
if len(sys.argv) > 4:
    F_SET_RW_HINT = 1036
    fcntl.fcntl(fd, F_SET_RW_HINT, int(sys.argv[4]).to_bytes(8, "little"))
m = mmap.mmap(-1, 1 << 16)
m.write(bytes((off + i) % 251 for i in range(n)))
RWF_ATOMIC = 0x40
try:
    r = os.pwritev(fd, [memoryview(m)[:n]], off, RWF_ATOMIC)
    print("ok" if r == n else "short %d" % r)
except OSError as e:
    print(errno.errorcode[e.errno])
PY
}

ns=$FDPBLK_NS_FDP8
lb=$(_lbsize "$ns")
_assert_eq "raw namespace: one block" ok "$(atomic_write "$ns" 0 "$lb")"
_create_dev "$ns"
_assert_eq "atomic limits" "$(_atomic_limits "$ns")" "$(_atomic_limits "$DEV")"
[ "$(<"/sys/block/${DEV#/dev/}/queue/atomic_write_unit_max_bytes")" -ge "$lb" ] ||
	_fail "no atomic write unit on $DEV"
before=$(_ruh_snapshot "$ns")
_assert_eq "one block, hint 3" ok "$(atomic_write "$DEV" $((64 * lb)) "$lb" 3)"
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" "3:1"
cmp <(python3 -c "import sys; sys.stdout.buffer.write(bytes(($((64 * lb))+i)%251 for i in range($lb)))") \
	<(dd if="$ns" bs="$lb" skip=64 count=1 iflag=direct status=none) ||
	_fail "the atomic write did not land"
_assert_eq "two blocks, raw" EINVAL "$(atomic_write "$ns" 0 $((2 * lb)))"
_assert_eq "two blocks, fdpblk" EINVAL "$(atomic_write "$DEV" 0 $((2 * lb)))"
"$FDPCTL" remove "$DEV" || _fail "remove"
FDPBLK_DEVS=()

modprobe -d "$FDPBLK_MODROOT" null_blk nr_devices=1 gb=1 || _fail "modprobe null_blk"
trap 'trap - ERR; set +e; _cleanup_devs; rmmod null_blk' EXIT
# EOPNOTSUPP, which python names by its other name, ENOTSUP (both 95).
_assert_eq "null_blk: atomic" ENOTSUP "$(atomic_write /dev/nullb0 0 512)"
_create_dev /dev/nullb0 --passthrough
_assert_eq "fdpblk on null_blk: atomic" ENOTSUP "$(atomic_write "$DEV" 0 512)"
_assert_eq "fdpblk on null_blk: limits" "0 0 0 0" "$(_atomic_limits "$DEV")"
_pass
