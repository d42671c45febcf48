#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Judge a finished test-bed run:  verdict.sh RUNDIR QEMU_EXIT_STATUS
#
# Fails (exit 1) on any kernel BUG, WARNING, KASAN, UBSAN, KFENCE, lockdep,
# hung-task, soft-lockup, RCU-stall or kmemleak report in the console log,
# on taint other than out-of-tree (O) and unsigned module (E), and when the
# guest did not finish; prints the offending lines. Otherwise exits with the
# status of the command run in the guest, and marks the run directory with
# kernel-clean.

set -uo pipefail
run=$1
qemu_rc=$2
bad=0

say() { echo "verdict: $*" | tee -a "$run/verdict.log" >&2; }
rm -f "$run/kernel-clean" "$run/verdict.log"

patterns='(BUG:|WARNING:|KASAN:|UBSAN:|KFENCE:|kernel BUG at|Oops|general protection fault|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|lock held when returning|blocked for more than|soft lockup|hard LOCKUP|rcu_.* detected stalls|Unable to handle kernel|unreferenced object|Call Trace:)'
if [ -r "$run/console.log" ]; then
	hits=$(grep -nE "$patterns" "$run/console.log" | grep -v 'guest-init: running:' | head -40)
	if [ -n "$hits" ]; then
		say "kernel reports in $run/console.log:"
		echo "$hits" | sed 's/^/    /' | tee -a "$run/verdict.log" >&2
		bad=1
	fi
else
	say "no console log"
	bad=1
fi

if [ -s "$run/kmemleak" ]; then
	say "kmemleak reports ($run/kmemleak):"
	grep -E 'unreferenced object|comm "' "$run/kmemleak" | head -20 |
		sed 's/^/    /' | tee -a "$run/verdict.log" >&2
	bad=1
fi

if [ -r "$run/tainted" ]; then
	t=$(cat "$run/tainted")
	# TAINT_OOT_MODULE (12) and TAINT_UNSIGNED_MODULE (13) are expected.
	rest=$(( t & ~((1 << 12) | (1 << 13)) ))
	if [ "$rest" -ne 0 ]; then
		flags=""
		for b in $(seq 0 19); do
			(( rest & (1 << b) )) && flags="$flags $b"
		done
		say "kernel tainted: $t (unexpected bits:$flags)"
		bad=1
	fi
fi

if [ ! -r "$run/status" ]; then
	if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
		say "guest timed out; last console lines:"
	else
		say "guest did not finish (qemu exit $qemu_rc); last console lines:"
	fi
	tail -25 "$run/console.log" 2>/dev/null | sed 's/^/    /' >&2
	exit 124
fi
status=$(cat "$run/status")
[ "$bad" = 0 ] || exit 1
touch "$run/kernel-clean"
exit "$status"
