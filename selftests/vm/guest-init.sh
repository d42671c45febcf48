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
	mkdir -p /dev/pts /dev/shm /run/results
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

	# Scratch space: a tmpfs on /tmp, unless the tree or the kernel build
	# lives there (it would be hidden); TMPDIR points to scratch either way.
	mkdir -p /run/tmp
	export TMPDIR=/run/tmp HOME=/run/tmp
	case "$FDPBLK_TOP/:$FDPBLK_KBUILD/:$FDPBLK_KSRC/" in
	/tmp/*|*:/tmp/*) ;;
	*) mount -t tmpfs tmpfs /tmp ;;
	esac
	# The test-bed kernel's own modules (null_blk, lkdtm): modprobe -d.
	export FDPBLK_MODROOT=$FDPBLK_KBUILD/modroot
	# Files a command leaves for the host (the run directory).
	export FDPBLK_RESULTS_DIR=$R

	# Identify the emulated namespaces by controller serial, not probe order.
	for c in /sys/class/nvme/nvme*; do
		[ -e "$c/serial" ] || continue
		serial=$(tr -d ' ' < "$c/serial")
		ctrl=${c##*/}
		ns=$(ls -d "$c/${ctrl}n"* 2>/dev/null | head -1)
		ns=${ns##*/}
		case $serial in
		fdpblk-fdp8) echo "FDPBLK_NS_FDP8=/dev/$ns" ;;
		fdpblk-fdp4) echo "FDPBLK_NS_FDP4=/dev/$ns" ;;
		fdpblk-plain) echo "FDPBLK_NS_PLAIN=/dev/$ns" ;;
		esac
	done > /run/fdpblk-ns.env
	set -a
	. /run/fdpblk-ns.env
	set +a
	cp /run/fdpblk-ns.env $R/namespaces

	echo 1 > /proc/sys/kernel/panic_on_oops
	cd "$FDPBLK_TOP" || exit 1
	echo "guest-init: running: $FDPBLK_CMD" > /dev/kmsg
	# The command's output goes to the share (the host follows it live), so
	# that the console carries only the kernel's log for the verdict.
	timeout -k 10 "$FDPBLK_CMD_TIMEOUT" bash -c "$FDPBLK_CMD" < /dev/null > $R/output 2>&1
	echo $? > $R/status.tmp
	echo "guest-init: command finished" > /dev/kmsg

	# kmemleak reports objects unreferenced for at least 5 seconds: let the
	# last test's objects age, then scan once.
	if [ -w /sys/kernel/debug/kmemleak ]; then
		sleep 5
		echo "guest-init: kmemleak scan" > /dev/kmsg
		echo scan > /sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak > $R/kmemleak
		echo "guest-init: kmemleak scan done" > /dev/kmsg
	fi
	cat /proc/sys/kernel/tainted > $R/tainted
	mv $R/status.tmp $R/status
	sync
	umount $R
	echo o > /proc/sysrq-trigger
	# Power-off is asynchronous; PID 1 must not exit meanwhile, and may not
	# touch the root file system any more: spin in a builtin.
	while :; do :; done
}

main "$@"
