#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the control device under an ioctl fuzzer (ioctl_fuzz):
# 100000 random calls (FDPBLK_FUZZ_CALLS; make stress makes a million) with
# random command numbers, struct sizes, flags, counts, descriptors and
# pointers (NULL, unmapped, misaligned, read-only, running off the end of a
# mapping). After every call that can change something (and every 8th of
# the read-only ones) the device's policy, range and cgroup ranks (and the
# device list, after CREATE and REMOVE) are compared with what they were:
# they may change only through a call that returned 0. The
# verdict fails the run on any kernel report. The fuzzer must reach the
# commands: some calls succeed, and each of the errors the size, flag,
# pointer and device checks give is seen.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_ns FDPBLK_NS_FDP8

calls=${FDPBLK_FUZZ_CALLS:-100000}
_create_dev "$FDPBLK_NS_FDP8"
id=${DEV#/dev/fdpblk}
start=$SECONDS
out=$("$FDPBLK_SELFTESTS/ioctl_fuzz" "$id" "$calls" ${FDPBLK_FUZZ_SEED:-} 2>&1) ||
	{ echo "$out"; _fail "ioctl_fuzz"; }
echo "$out"
_log "$calls calls in $((SECONDS - start)) s"
summary=$(grep "^# $calls calls, " <<<"$out") || _fail "no summary of $calls calls"
okcalls=$(sed -E 's/.* ([0-9]+) returned 0;.*/\1/' <<<"$summary")
[ "$okcalls" -gt $((calls / 100)) ] || _fail "only $okcalls calls succeeded"
# CREATEs that succeed (a pass-through device on the fuzzer's own one):
# each must show in the disk count the state check reads.
[[ $out =~ \#\ ([0-9]+)\ CREATEs\ succeeded ]] && [ "${BASH_REMATCH[1]}" -gt 0 ] ||
	_fail "no CREATE succeeded: the device list check was never proven"
for e in EINVAL E2BIG EFAULT ENOTTY ENODEV EBADF ENOTBLK; do
	grep -q " $e [0-9]" <<<"$summary" || _fail "the fuzzer never got $e: $summary"
done
# Whatever it did, the device still works and takes a policy.
_set_attr "$DEV" default_ph 2
dd if=/dev/zero of="$DEV" bs=4096 count=16 oflag=direct status=none ||
	_fail "I/O after the fuzzer"
_pass
