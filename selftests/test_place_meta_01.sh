#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: ext4 on an fdpblk device with a metadata pool: each write of
# the file system's metadata and journal lands on the pool member that
# meta_pool[hash_64(sector >> chunk shift, 32) % len] predicts, for two
# chunk sizes (4 KiB: spread; 1 GiB: the whole device is one chunk, one
# member); file data lands by its fcntl write hint (buffered and O_DIRECT);
# writes to the device's page cache with no file system mounted, or from
# an O_EXCL opener that is not a file system, stay out of the pool. Checked
# on the device's RUAMW.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq mkfs.ext4 python3
_require_ns FDPBLK_NS_FDP8

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
M=$((1 << 20))
mnt=$(mktemp -d)
t=/sys/kernel/tracing
ev=$t/events/fdpblk/fdpblk_place/enable
cleanup() {
	trap - ERR
	set +e
	echo 0 > $ev
	umount "$mnt" 2>/dev/null
	rmdir "$mnt"
	_cleanup_devs
}
trap cleanup EXIT

mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0,nodiscard "$DEV" ||
	_fail "mkfs.ext4"
_set_attr "$DEV" default_ph 8
_set_attr "$DEV" meta_pool "6 7"

# The pool member the kernel must pick for each traced metadata write
# (hash_64 of include/linux/hash.h: the golden-ratio multiply, top 32
# bits). Prints "ph blocks" sums; fails on a write placed elsewhere.
predict() { # CHUNK_KIB < trace
	python3 -c '
import re, sys
shift = (int(sys.argv[1]) * 2).bit_length() - 1
lb, pool = int(sys.argv[2]), [int(p) for p in sys.argv[3:]]
sums = {p: 0 for p in pool}
for line in sys.stdin:
	m = re.search(r"sector=(\d+) nr_sectors=(\d+) source=meta ph=(\d+)", line)
	if not m:
		continue
	sector, n, ph = (int(x) for x in m.groups())
	h = (((sector >> shift) * 0x61C8864680B583EB) & (2**64 - 1)) >> 32
	want = pool[h % len(pool)]
	if ph != want:
		sys.exit("sector %d: placed on ph %d, the hash says ph %d" % (sector, ph, want))
	sums[ph] += n * 512 // lb
for p in pool:
	print(p, sums[p])
' "$1" "$lb" 6 7
}

phase() { # CHUNK_KIB: a file system workload; sets S6 S7 (predicted blocks)
	local before after sums meta_b
	_set_attr "$DEV" meta_chunk_kib "$1"
	mount -t ext4 "$DEV" "$mnt" || _fail "mount"
	sync
	echo > $t/trace
	echo 1 > $ev
	before=$(_ruh_snapshot "$ns")
	_set_attr "$DEV" reset_stats 1
	"$FDP_IO" write "$mnt/short$1" 0 $((2 * M)) --mode buffered --hint 2 || _fail "buffered file"
	"$FDP_IO" write "$mnt/long$1" 0 $M --mode direct --hint 4 || _fail "O_DIRECT file"
	mkdir "$mnt/dir$1"
	for i in $(seq 1 50); do : > "$mnt/dir$1/f$i"; done
	sync
	umount "$mnt"
	after=$(_ruh_snapshot "$ns")
	echo 0 > $ev
	sums=$(predict "$1" < $t/trace) || _fail "chunk $1 KiB: $sums"
	S6=$(awk '$1 == 6 { print $2 }' <<<"$sums")
	S7=$(awk '$1 == 7 { print $2 }' <<<"$sums")
	_log "chunk $1 KiB: metadata predicted on ph 6: $S6, ph 7: $S7 blocks"
	# No event was lost: the trace holds every metadata byte we counted.
	read -r meta_b _ <<<"$(_get_attr "$DEV" source_bytes)"
	_assert_eq "chunk $1 KiB: traced metadata bytes" "$meta_b" $(((S6 + S7) * lb))
	[ $((S6 + S7)) -gt 0 ] || _fail "chunk $1 KiB: no metadata written"
	# The device: data by its hint, metadata where the hash says.
	_assert_ruh_drop "$before" "$after" \
		"2:$((2 * M / lb)) 4:$((M / lb)) 6:$S6 7:$S7"
}

phase 4
[ "$S6" -gt 0 ] && [ "$S7" -gt 0 ] ||
	_fail "4 KiB chunks: metadata did not spread over the pool ($S6, $S7)"
phase 1048576
_assert_eq "1 GiB chunks: metadata on the second member" 0 "$S7"

# No file system: writes through the device's page cache are data.
before=$(_ruh_snapshot "$ns")
_set_attr "$DEV" reset_stats 1
dd if=/dev/urandom of="$DEV" bs=64k count=16 seek=8192 conv=fsync status=none ||
	_fail "dd to the device's page cache"
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" "8:$((M / lb))"
read -r meta_b _ <<<"$(_get_attr "$DEV" source_bytes)"
_assert_eq "metadata bytes with no file system" 0 "$meta_b"

# An exclusive opener that is not a file system (mkfs, a database holding
# the device with O_EXCL) claims it without holder operations: its writes
# through the page cache are data too.
before=$(_ruh_snapshot "$ns")
_set_attr "$DEV" reset_stats 1
python3 - "$DEV" <<'EOF' || _fail "buffered writes through an O_EXCL open of $DEV"
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_EXCL)
os.pwrite(fd, os.urandom(1 << 20), 513 << 20)
os.fsync(fd)
os.close(fd)
EOF
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" "8:$((M / lb))"
read -r meta_b _ <<<"$(_get_attr "$DEV" source_bytes)"
_assert_eq "metadata bytes from an O_EXCL opener" 0 "$meta_b"
_pass
