#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test-bed guest. The root file system is the host's, read-only
# over 9p; the run's results directory is a second, writable 9p share. Runs
# the command the host left in $R/env.sh, records its status, the taint mask
# and a kmemleak scan, then powers off.

main() {
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export TERM=dumb LANG=C.UTF-8

	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mount -t tmpfs tmpfs /run
	mount -t debugfs debugfs /sys/kernel/debug
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
	mount -t cgroup2 cgroup2 /sys/fs/cgroup
	# One mkdir for all (every process costs a good part of a second).
	mkdir -p /dev/pts /dev/shm /run/results /run/state /run/tmp
	mount -t tmpfs tmpfs /dev/shm
	ln -sf /proc/self/fd /dev/fd
	ln -sf /proc/self/fd/0 /dev/stdin
	ln -sf /proc/self/fd/1 /dev/stdout
	ln -sf /proc/self/fd/2 /dev/stderr

	R=/run/results
	if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results $R; then
		echo "guest-init: cannot mount the results share" >&2
		echo o > /proc/sysrq-trigger
		while :; do :; done
	fi

	# shellcheck disable=SC1091
	. $R/env.sh
	# run-vm.sh --images: the files kept with the disk images, across boots.
	if [ "${FDPBLK_STATE:-0}" = 1 ]; then
		mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 state /run/state &&
			export FDPBLK_STATE_DIR=/run/state
	fi

	# Scratch space: a tmpfs on /tmp, unless the tree or the kernel build
	# lives there (it would be hidden); TMPDIR points to scratch either way.
	export TMPDIR=/run/tmp HOME=/run/tmp
	case "$FDPBLK_TOP/:$FDPBLK_KBUILD/:$FDPBLK_KSRC/" in
	/tmp/*|*:/tmp/*) ;;
	*) mount -t tmpfs tmpfs /tmp ;;
	esac
	# The test-bed kernel's own modules (null_blk, lkdtm): modprobe -d.
	export FDPBLK_MODROOT=$FDPBLK_KBUILD/modroot
	# Files a command leaves for the host (the run directory).
	export FDPBLK_RESULTS_DIR=$R

	# Identify the emulated namespaces by controller serial, not probe order
	# (builtins only: every fork and exec costs a second under TCG).
	for c in /sys/class/nvme/nvme*; do
		[ -e "$c/serial" ] || continue
		read -r serial < "$c/serial"
		ns=
		for n in "$c/${c##*/}n"*; do
			ns=${n##*/}
			break
		done
		case $serial in
		fdpblk-fdp8) echo "FDPBLK_NS_FDP8=/dev/$ns" ;;
		fdpblk-fdp4) echo "FDPBLK_NS_FDP4=/dev/$ns" ;;
		fdpblk-plain) echo "FDPBLK_NS_PLAIN=/dev/$ns" ;;
		fdpblk-pi) echo "FDPBLK_NS_PI=/dev/$ns" ;;
		fdpblk-mdts) echo "FDPBLK_NS_MDTS=/dev/$ns" ;;
		fdpblk-atomic) echo "FDPBLK_NS_ATOMIC=/dev/$ns" ;;
		esac
	done > $R/namespaces
	set -a
	. $R/namespaces
	set +a

	echo 1 > /proc/sys/kernel/panic_on_oops
	# Tests fail instead of skipping here (test_common.sh, run_suite.sh).
	export FDPBLK_IN_VM=1
	cd "$FDPBLK_TOP" || exit 1
	echo "guest-init: running: $FDPBLK_CMD" > /dev/kmsg
	# The command's output goes to the share (the host follows it live), so
	# that the console carries only the kernel's log for the verdict.
	timeout -k 10 "$FDPBLK_CMD_TIMEOUT" bash -c "$FDPBLK_CMD" < /dev/null > $R/output 2>&1
	echo $? > $R/status.tmp
	echo "guest-init: command finished" > /dev/kmsg

	# kmemleak reports objects unreferenced for at least 5 seconds: let the
	# last test's objects age, then scan twice (a first scan can miss or
	# falsely suspect objects in flux; Documentation/dev-tools/kmemleak.rst).
	# Where the kernel has kmemleak (FDPBLK_KMEMLEAK=1) it must run: a
	# missing file or a failed scan is reported to the verdict.
	if [ "${FDPBLK_KMEMLEAK:-0}" = 1 ]; then
		kml=/sys/kernel/debug/kmemleak
		if [ ! -w $kml ]; then
			echo "$kml is missing or not writable" > $R/kmemleak-error
		else
			sleep 5
			t0=$(date +%s)
			for scan in 1 2; do
				echo "guest-init: kmemleak scan $scan" > /dev/kmsg
				echo scan > $kml ||
					echo "kmemleak scan $scan failed" >> $R/kmemleak-error
			done
			cat $kml > $R/kmemleak ||
				echo "cannot read $kml" >> $R/kmemleak-error
			echo "guest-init: kmemleak scans done in $(($(date +%s) - t0))s" > /dev/kmsg
			[ -e $R/kmemleak-error ] || : > $R/kmemleak-scanned
		fi
	fi
	cat /proc/sys/kernel/tainted > $R/tainted
	# The kernel log as the kernel keeps it: the verdict's second source.
	dmesg > $R/dmesg
	mv $R/status.tmp $R/status
	sync
	[ -z "${FDPBLK_STATE_DIR:-}" ] || umount /run/state
	umount $R
	echo o > /proc/sysrq-trigger
	# Power-off is asynchronous; PID 1 must not exit meanwhile, and may not
	# touch the root file system any more: spin in a builtin.
	while :; do :; done
}

main "$@"
