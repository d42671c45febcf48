#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the runner's kernel self-checks (vm/check.sh):
#
#   guest.sh warning|kasan|lockdep|hung|kmemleak|hang
#
# Runs a suite in which every test passes, then provokes one fault: a NUL
# byte on the console and a real WARNING (LKDTM), a KASAN use-after-free
# (LKDTM), an AB-BA locking order (fdpblk_selfcheck.ko), a hung task
# (LKDTM), a leak (fdpblk_selfcheck.ko), or a guest that hangs in shutdown
# after writing its status. The run's status is the suite's (0): only the
# verdict may fail it. (The suite-level self-checks need no kernel and run
# on the host: vm/check.sh.)

here=$(cd "$(dirname "$0")" && pwd)
suite=$here/../../run_suite.sh
KMOD=$here/kmod/fdpblk_selfcheck.ko

lkdtm() { # CRASHTYPE
	modprobe -d "$FDPBLK_MODROOT" lkdtm || exit 3
	echo "$1" > /sys/kernel/debug/provoke-crash/DIRECT
}

# guest-init.sh tells the tests they run in the test VM.
echo "${FDPBLK_IN_VM:-unset}" > "$FDPBLK_RESULTS_DIR/in-vm"
"$suite" "$here/test_selfcheck_pass.sh" || exit
case $1 in
warning)
	# A NUL byte on the serial console before the report.
	printf 'fdpblk-selfcheck: a NUL byte follows: \000 :\n' > /dev/ttyS0
	lkdtm WARNING
	;;
kasan)
	lkdtm READ_AFTER_FREE
	;;
lockdep)
	insmod "$KMOD" provoke=abba || exit 3
	;;
hung)
	# The self-check waits 5 s, not the suite's threshold (vm/run-vm.sh).
	echo 5 > /proc/sys/kernel/hung_task_timeout_secs
	lkdtm HUNG_TASK &
	for ((i = 0; i < 120; i++)); do
		dmesg | grep -q 'blocked for more than' && break
		sleep 1
	done
	;;
kmemleak)
	insmod "$KMOD" provoke=leak || exit 3
	;;
hang)
	# Buffered data for a suspended dm device, kept open so that no close
	# writes it back: guest-init.sh's sync after the status never returns.
	modprobe -d "$FDPBLK_MODROOT" null_blk nr_devices=1 gb=1 || exit 3
	dmsetup create fdpblk-selfcheck --noudevsync \
		--table "0 $(blockdev --getsz /dev/nullb0) linear /dev/nullb0 0" || exit 3
	dm=/dev/dm-$(dmsetup info -c --noheadings -o minor fdpblk-selfcheck | tr -d ' ')
	sleep infinity 3< "$dm" &
	dmsetup suspend --noudevsync fdpblk-selfcheck || exit 3
	dd if=/dev/zero of="$dm" bs=64k count=16 status=none || exit 3
	;;
*)
	echo "guest.sh: unknown case $1" >&2
	exit 3
	;;
esac
exit 0
