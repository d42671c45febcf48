#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the policy is replaced every few milliseconds (sysfs and
# ioctls: hint map, default ph, data pool, range ranks) while fio writes
# and verifies with crc32c, by O_DIRECT io_uring and by buffered writes
# with a hint: no I/O error, no corruption, and every byte fio wrote was
# placed.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd fio
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_FDP4

# Two devices: a write hint set on a block device's inode applies to every
# opener, so the hinted buffered job gets a device of its own.
_create_dev "$FDPBLK_NS_FDP4"
bdev=$DEV
bdir=$(_attr_dir "$bdev")
_create_dev "$FDPBLK_NS_FDP8"
dir=$(_attr_dir "$DEV")
size=$((16 << 20))
# Policy changes the churner makes: each device gets exactly one new
# version per iteration (ITERS a multiple of 4; ranks publish none).
ITERS=400

# No policy version maps anything to these handles: the device must show
# that they never took a write (RUAMW unchanged to the block).
unused_fdp8="4 5 6 8"
unused_fdp4="4"

# Builtins only in the loop (sysfs writes, a pipe read as a 2 ms sleep),
# so that changes come every few milliseconds; ranks by ioctl every 64th,
# on ranges that start 4 KiB off a 16 KiB write, so that writes cross
# their boundaries and are split.
churn() {
	local i pause
	exec {pause}<> <(:)
	for ((i = 0; i < ITERS; i++)); do
		case $((i % 4)) in
		0) echo "0 3 2 1 2 1" > "$bdir/hint_map" ;;
		1) echo "1 2 3" > "$dir/data_pool"; echo "2 3" > "$bdir/data_pool" ;;
		2) echo "0 1 3 3 2 0" > "$bdir/hint_map"; echo 7 > "$dir/default_ph" ;;
		3) echo "" > "$dir/data_pool"; echo 0 > "$dir/default_ph"
		   echo "" > "$bdir/data_pool" ;;
		esac
		case $((i % 128)) in
		1) "$FDPCTL" rank set "$DEV" --range $((i % 16 * 1024 + 8))+4096 "$i"
		   "$FDPCTL" rank set "$bdev" --range $((i % 16 * 1024 + 8))+4096 "$i" ;;
		65) "$FDPCTL" rank clear "$DEV" --all
		    "$FDPCTL" rank clear "$bdev" --all ;;
		esac
		read -r -t 0.002 -u "$pause" || true
	done
}

v0='' bv0='' before8='' before4=''
_get_attr_to v0 "$DEV" policy_version
_get_attr_to bv0 "$bdev" policy_version
_ruh_snapshot_to before8 "$FDPBLK_NS_FDP8"
_ruh_snapshot_to before4 "$FDPBLK_NS_FDP4"
churn &
churner=$!

# terse v3: one line per job, field 5 is its error code. Whether there
# are two jobs' lines and each says 0 (as awk read it: a field that is no
# number is an error), read with builtins.
fio_ok() { # FILE
	local line jobs=0 bad=0
	local -a f
	while IFS= read -r line || [ -n "$line" ]; do
		[[ $line == "3;"* ]] || continue
		jobs=$((jobs + 1))
		IFS=';' read -r -a f <<<"$line"
		if ! [[ ${f[4]-} =~ ^[0-9]+$ ]] || ((10#${f[4]} != 0)); then
			bad=1
		fi
	done < "$1"
	[ "$bad" = 0 ] && [ "$jobs" = 2 ]
}
# fio runs, whole, until the churn is over: every run but the last starts
# and ends under churn.
runs=0
while :; do
	rc=0
	fio --output-format=terse --terse-version=3 --minimal \
		--verify=crc32c --verify_fatal=1 --do_verify=1 \
		--random_generator=lfsr --rw=randwrite --size=$size \
		--verify_state_save=0 \
		--name=direct --filename="$DEV" --ioengine=io_uring --direct=1 \
		--iodepth=16 --bs=16k \
		--name=buffered --filename="$bdev" --ioengine=psync --direct=0 \
		--bs=16k --write_hint=short > "$TMPDIR/fio.out" 2>&1 || rc=$?
	runs=$((runs + 1))
	if [ "$rc" != 0 ]; then
		kill "$churner" 2>/dev/null || true
		cat "$TMPDIR/fio.out"
		_fail "fio failed (exit $rc) while the policy changed"
	fi
	if ! fio_ok "$TMPDIR/fio.out"; then
		kill "$churner" 2>/dev/null || true
		cat "$TMPDIR/fio.out"
		_fail "fio reported errors"
	fi
	kill -0 "$churner" 2>/dev/null || break
done
wait "$churner" || _fail "the policy churner failed"

# Every change the churner made was published, exactly once.
_assert_attr "policy versions on $DEV" $((v0 + ITERS)) "$DEV" policy_version
_assert_attr "policy versions on $bdev" $((bv0 + ITERS)) "$bdev" policy_version

# The device: handles that no version mapped took nothing.
ruamw_of() { # VAR SNAPSHOT PH: the RUAMW of PH's lines (newline-joined)
	local _ro_p _ro_r _ro_v=''
	while read -r _ro_p _ _ro_r _; do
		[ "$_ro_p" != "$3" ] || _ro_v+=${_ro_v:+$'\n'}$_ro_r
	done <<<"$2"
	printf -v "$1" '%s' "$_ro_v"
}
unmoved() { # BEFORE AFTER PH...
	local b=$1 a=$2 ph rb ra
	shift 2
	for ph in "$@"; do
		ruamw_of rb "$b" "$ph"
		ruamw_of ra "$a" "$ph"
		# An empty list would compare equal to another empty one.
		[ -n "$rb" ] || _fail "ph $ph is not in the RUH status"
		_assert_eq "RUAMW of unmapped ph $ph" "$rb" "$ra"
	done
}
after8='' after4=''
_ruh_snapshot_to after8 "$FDPBLK_NS_FDP8"
_ruh_snapshot_to after4 "$FDPBLK_NS_FDP4"
unmoved "$before8" "$after8" $unused_fdp8
unmoved "$before4" "$after4" $unused_fdp4

# The O_DIRECT job is placed by range or default, exactly once per byte;
# the buffered one by range or hint, at least once per byte (writeback may
# write a page again).
sources=''
_get_attr_to sources "$DEV" source_bytes
read -r meta stream range cgroup hint default <<<"$sources"
_assert_eq "O_DIRECT bytes placed" $((runs * size)) $((range + default))
_assert_eq "O_DIRECT bytes by other rules" "0 0 0 0" "$meta $stream $cgroup $hint"
_get_attr_to sources "$bdev" source_bytes
read -r meta stream range cgroup hint default <<<"$sources"
[ $((range + hint)) -ge $((runs * size)) ] ||
	_fail "buffered bytes placed: $((range + hint)) < $((runs * size))"
_assert_eq "buffered bytes by other rules" "0 0 0 0" "$meta $stream $cgroup $default"
_log "$((2 * ITERS)) policy versions during $runs x $((2 * size >> 20)) MiB of verified writes"
_pass
