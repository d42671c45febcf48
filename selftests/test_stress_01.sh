#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: concurrency stress. For FDPBLK_STRESS_SECONDS (40 here;
# make stress runs 600), in parallel on one device: fio writes with
# crc32c verification (io_uring, O_DIRECT, QD16) until shortly before the
# removal below, fio reads and writes on another part, policy pushes and range
# rank changes every 2 ms (bench_ctl churn), reads of every sysfs
# attribute, and the creation and removal of another device; and at a
# random moment in the second half, the lower device goes away (a
# memory-backed null_blk powered off). No verification error before the
# removal, no failed control call before it, every create/remove cycle
# works, the device is gone within 5 s of the removal and fio has ended
# with an I/O error within 10 s; the verdict fails the run on any kernel
# report.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd fio

T=${FDPBLK_STRESS_SECONDS:-40}
out=$(mktemp -d "${TMPDIR:-/tmp}/fdpblk-stress.XXXXXX")
pids=()
cleanup() {
	trap - ERR
	set +e
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	_cleanup_devs
	_nullb_cleanup
	rm -rf "$out"
}
trap cleanup EXIT

_nullb_new nullb8 size=256 memory_backed=1
nb=$NULLB
_nullb_new nullb9 size=64
_create_dev /dev/nullb8 --passthrough
id=${DEV#/dev/fdpblk}
name=${DEV#/dev/}
sysdir=/sys/block/$name/fdpblk

t_remove=$((T / 2 + RANDOM % (T / 2)))
_log "$T s, the lower goes at $t_remove s"
start=$SECONDS

# Verified writes until 4 s before the removal: fio reads back what it
# wrote and must find it all. (Verifying across the removal would judge
# stale buffers of reads that failed.) And I/O without verification that
# runs into the removal and must end with an error: its runtime reaches far
# past T, so only the removal can end it (with runtime=T, a removal at
# T - 2 s raced fio's own end on a loaded guest and fio exited 0).
fio --name=checked --filename="$DEV" --ioengine=io_uring --direct=1 \
	--rw=randwrite --bs=4k --iodepth=16 --size=64m --verify=crc32c \
	--verify_backlog=512 --verify_fatal=1 --time_based \
	--runtime=$((t_remove - 4)) > "$out/verify" 2>&1 &
verify_pid=$!
pids+=("$verify_pid")
fio --name=load --filename="$DEV" --ioengine=io_uring --direct=1 \
	--rw=randrw --bs=4k --iodepth=16 --offset=64m --size=64m \
	--time_based --runtime=$((T + 300)) > "$out/fio" 2>&1 &
fio_pid=$!
pids+=("$fio_pid")
"$FDPBLK_SELFTESTS/bench_ctl" churn "$id" $((t_remove - 2)) 2000 > "$out/churn" 2>&1 &
churn_pid=$!
pids+=("$churn_pid")
(
	n=0
	while [ $((SECONDS - start)) -lt "$T" ]; do
		# Write-only attributes fail to read; the device goes at the end.
		cat "$sysdir"/* > /dev/null 2>&1 || true
		n=$((n + 1))
	done
	echo "$n"
) > "$out/sysfs" 2>&1 &
pids+=($!)
(
	n=0 bad=0
	while [ $((SECONDS - start)) -lt "$T" ]; do
		d=$("$FDPCTL" create /dev/nullb9 --passthrough --name stress-other) &&
			"$FDPCTL" remove "$d" || bad=$((bad + 1))
		n=$((n + 1))
	done
	echo "$n $bad"
) > "$out/other" 2>&1 &
pids+=($!)

while [ $((SECONDS - start)) -lt "$t_remove" ]; do
	sleep 1
done
kill -0 "$fio_pid" 2>/dev/null || { cat "$out/fio"; _fail "fio ended before the removal"; }
# The verified writes end by themselves, all read back, before the removal.
wait "$verify_pid" || { cat "$out/verify"; _fail "verified writes before the removal failed"; }
grep -Eiq "bad magic|bad header|verify failed" "$out/verify" &&
	{ cat "$out/verify"; _fail "fio found corrupt data"; }
grep -Eq "issued rwts: total=[1-9][0-9]*," "$out/verify" ||
	{ cat "$out/verify"; _fail "fio read nothing back to verify"; }
echo 0 > "$nb/power" || _fail "power off nullb8"
gone=$SECONDS
_wait_path gone "/sys/block/$name" 50 || _fail "$name still there 5 s after its lower went"
# Its I/O fails at once; the process then reports and exits.
for _ in $(seq 100); do
	kill -0 "$fio_pid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$fio_pid" 2>/dev/null && _fail "fio still running 10 s after the lower went"
FDPBLK_DEVS=()
wait "$fio_pid" && _fail "fio ended without an error after the lower went"
grep -Eq "Input/output error|No such device|err= *[1-9]" "$out/fio" ||
	{ cat "$out/fio"; _fail "fio reported no I/O error after the removal"; }
wait "$churn_pid" || { cat "$out/churn"; _fail "a policy or rank change failed before the removal"; }
wait
read -r passes < "$out/sysfs"
[[ $passes =~ ^[0-9]+$ ]] && [ "$passes" -gt 0 ] || _fail "sysfs reads: $passes"
read -r cycles bad < "$out/other"
[ "$bad" = 0 ] && [ "$cycles" -gt 0 ] || _fail "create/remove of another device: $cycles cycles, $bad failed"
_log "churn: $(<"$out/churn"); sysfs passes: $passes; other device: $cycles cycles; fio ended $((SECONDS - gone)) s after the removal"
pids=()
_pass
