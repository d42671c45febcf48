#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Judge a finished test-bed run:  verdict.sh RUNDIR QEMU_EXIT_STATUS
#
# Fails (exit 1) on any kernel BUG, WARNING, KASAN, UBSAN, KFENCE, lockdep,
# hung-task, soft-lockup, RCU-stall or kmemleak report in the console log or
# the guest's dmesg, on a kmemleak that did not scan, on taint other than
# out-of-tree (O) and unsigned module (E); exits 124 when the guest did not
# finish, or finished and then did not power off; prints the offending
# lines. Otherwise exits with the status of the command run in the guest,
# and marks the run directory with kernel-clean.

set -uo pipefail
run=$1
qemu_rc=$2
bad=0

say() { echo "verdict: $*" | tee -a "$run/verdict.log" >&2; }
rm -f "$run/kernel-clean" "$run/verdict.log"

patterns='(BUG:|WARNING:|KASAN:|UBSAN:|KFENCE:|kernel BUG at|Oops|general protection fault|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|lock held when returning|blocked for more than|soft lockup|hard LOCKUP|rcu_.* detected stalls|Unable to handle kernel|unreferenced object|Call Trace:)'
# Two sources: the serial console as the host recorded it, and the guest's
# own dmesg saved at the end of the run. Both are read as text (-a): a
# single NUL byte on the console would otherwise turn grep's output into
# "binary file matches" and hide every report.
for src in console.log dmesg; do
	if [ ! -r "$run/$src" ]; then
		say "no $src in $run"
		bad=1
		continue
	fi
	# One exception: the stack that warn_alloc() prints for an allocation
	# that the fail-nth sweep (test_fail_nth_01.sh, its tool fail_nth)
	# made fail on purpose is not a report.
	hits=$(tr -d '\000' < "$run/$src" | awk -v pat="$patterns" '
		{ ring[NR % 8] = $0 }
		$0 ~ pat && $0 !~ /guest-init: running:/ {
			if ($0 ~ /Call Trace:/) {
				alloc = 0; ours = 0
				for (i = 1; i <= 6; i++) {
					l = ring[(NR - i + 8) % 8]
					if (l ~ /vmalloc error: |page allocation failure: /)
						alloc = 1
					if (l ~ /Comm: fail_nth /)
						ours = 1
				}
				if (alloc && ours)
					next
			}
			print NR ":" $0
		}' | head -40)
	if [ -n "$hits" ]; then
		say "kernel reports in $run/$src:"
		echo "$hits" | sed 's/^/    /' | tee -a "$run/verdict.log" >&2
		bad=1
	fi
done

# A kernel with kmemleak must have scanned, twice, without error.
if grep -qx 'FDPBLK_KMEMLEAK=1' "$run/env.sh" 2>/dev/null &&
   [ -r "$run/status" ] && [ ! -e "$run/kmemleak-scanned" ]; then
	say "kmemleak did not run: $(cat "$run/kmemleak-error" 2>/dev/null || echo "no scan recorded")"
	bad=1
fi
if [ -s "$run/kmemleak" ]; then
	say "kmemleak reports ($run/kmemleak):"
	grep -aE 'unreferenced object|comm "' "$run/kmemleak" | head -20 |
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

timed_out=0
[ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ] && timed_out=1
if [ ! -r "$run/status" ]; then
	if [ "$timed_out" = 1 ]; then
		say "guest timed out; last console lines:"
	else
		say "guest did not finish (qemu exit $qemu_rc); last console lines:"
	fi
	tail -25 "$run/console.log" 2>/dev/null | tr -d '\000' | sed 's/^/    /' >&2
	exit 124
fi
if [ "$timed_out" = 1 ]; then
	say "guest hung after its command finished: it wrote its status ($(cat "$run/status")) but did not power off before the timeout; last console lines:"
	tail -10 "$run/console.log" 2>/dev/null | tr -d '\000' | sed 's/^/    /' >&2
	exit 124
elif [ "$qemu_rc" != 0 ]; then
	say "QEMU exited $qemu_rc after the guest wrote its status"
	bad=1
fi
status=$(cat "$run/status")
[ "$bad" = 0 ] || exit 1
touch "$run/kernel-clean"
exit "$status"
