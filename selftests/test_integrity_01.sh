#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: a namespace formatted with protection information (Type 1,
# 8 bytes per 512-byte block) keeps its integrity profile through fdpblk:
# the device shows the lower's integrity/ attributes, so that a file system
# on it gets stable pages. ext4 on it, with buffered, mmap and direct
# rewrites checked by fio (verify=crc32c) and a python mmap writer that
# keeps changing pages under writeback: zero I/O errors, zero integrity
# errors in the kernel log, fsck clean. Placement works on the PI namespace
# as on any other: a write lands on the handle the policy names (RUAMW).

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd mkfs.ext4 fsck.ext4 fio python3
_require_ns FDPBLK_NS_PI

ns=$FDPBLK_NS_PI
nsname=${ns#/dev/}
# ($(exec CMD): under set -E and the ERR trap bash forks twice for a
# plain $(CMD), and every process costs in the test VM.)
mnt=$(exec mktemp -d "${TMPDIR:-/tmp}/fdpblk-pi.XXXXXX")
cleanup() {
	trap - ERR
	set +e
	umount "$mnt" 2>/dev/null
	rmdir "$mnt"
	_cleanup_devs
}
trap cleanup EXIT

[ -d "/sys/block/$nsname/integrity" ] ||
	_fail "$ns has no integrity/ (a kernel without CONFIG_BLK_DEV_INTEGRITY?)"
_assert_file "namespace PI format" T10-DIF-TYPE1-CRC "/sys/block/$nsname/integrity/format"
# QEMU fails reads of blocks never written on a PI namespace (reference
# tag check): write every block once, through the raw namespace. Its
# size from sysfs (512-byte sectors), not blockdev.
read -r sectors < "/sys/block/$nsname/size"
dd if=/dev/zero of="$ns" bs=1M count=$((sectors >> 11)) \
	oflag=direct status=none || _fail "filling $ns"

mark=''
_kmsg_mark_to mark
_create_dev "$ns"
top=${DEV#/dev/}
for a in format tag_size protection_interval_bytes read_verify \
	 write_generate device_is_integrity_capable; do
	_assert_same_file "integrity/$a" "/sys/block/$nsname/integrity/$a" \
		"/sys/block/$top/integrity/$a"
done

_set_attr "$DEV" default_ph 2
_check_drop "$ns" "direct write, default_ph 2" "2:8" \
	dd if=/dev/urandom of="$DEV" bs=4096 seek=100 count=1 oflag=direct status=none

mkfs.ext4 -q -F -E nodiscard "$DEV" || _fail "mkfs.ext4 on $DEV"
mount "$DEV" "$mnt" || _fail "mount"
# Buffered, mmap and direct rewrites, verified: three jobs of one fio
# process, one after the other (stonewall), instead of three fio runs.
# Terse output: the failing job is named by its line (field 3: the job,
# field 5: its error).
fio_out=${TMPDIR:-/tmp}/fdpblk-pi-fio.out
if ! fio --directory="$mnt" --rw=randwrite --bs=4k --size=8m \
	--verify=crc32c --do_verify=1 --verify_fatal=1 \
	--output-format=terse --terse-version=3 --output="$fio_out" \
	--name=pi-psync --ioengine=psync --overwrite=1 --loops=2 \
	--name=pi-mmap --stonewall --ioengine=mmap --overwrite=1 --loops=2 \
	--name=pi-direct --stonewall --ioengine=psync --direct=1; then
	failed=
	while IFS=';' read -r v _ job _ err _; do
		[ "$v" = 3 ] && [ "$err" != 0 ] && failed+=" ${job#pi-}"
	done < "$fio_out" || true
	cat "$fio_out"
	_fail "fio${failed:- (psync, mmap, direct)} with verify"
fi
# Pages changed again and again while writeback sends them: without stable
# pages a page can change after its guard tag was computed. One thread
# keeps the file under writeback (fsync in a loop; it runs without the
# GIL) while the other keeps writing into the mapping; an fsync that
# fails (EIO from a guard-tag mismatch) fails the test.
python3 - "$mnt/mmap-rewrite" <<'PY' || _fail "mmap rewriter"
import mmap, os, sys, threading
n = 4 << 20
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
os.ftruncate(fd, n)
m = mmap.mmap(fd, n)
done = threading.Event()
syncs, errors = [0], []


def syncer():
    while not done.is_set():
        try:
            os.fsync(fd)
        except OSError as e:
            errors.append(e)
            return
        syncs[0] += 1


t = threading.Thread(target=syncer)
t.start()
try:
    for rnd in range(40):
        for off in range(0, n, 4096):
            m[off:off + 8] = (rnd * 4096 + off).to_bytes(8, "little")
finally:
    done.set()
    t.join()
m.flush()
os.fsync(fd)
print("mmap rewriter: 40 rounds over %d pages, %d fsyncs beside them" %
      (n // 4096, syncs[0]))
assert not errors, "fsync beside the writer: %s" % errors
assert syncs[0] > 1, "no fsync ran beside the writer"
for off in range(0, n, 4096):
    assert int.from_bytes(m[off:off + 8], "little") == 39 * 4096 + off
PY
sync
umount "$mnt" || _fail "umount"
fsck.ext4 -n -f "$DEV" >/dev/null 2>&1 || _fail "fsck.ext4 found errors"

log=$(_dmesg_since "$mark")
errs=''
shopt -s nocasematch	# grep -i
_lines_matching errs "$log" "I/O error|integrity|guard|ref(erence)? tag|protection" || true
shopt -u nocasematch
[ -z "$errs" ] || _fail "I/O or integrity errors: $errs"
_pass
