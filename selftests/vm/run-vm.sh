#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test-bed kernel under QEMU with five emulated NVMe namespaces (six
# with --atomic) and run one command inside; then judge the run from the
# guest's console log.
#
#   run-vm.sh [--name NAME] [--dir DIR] [--timeout SECONDS] [--mem SIZE]
#             [--kernel-args ARGS] [--images DIR [--reverse]] [--atomic]
#             [--] COMMAND...
#
# COMMAND runs as root in the repository top directory, with
#   FDPBLK_NS_FDP8   FDP namespace, 8 RUHs, 1 reclaim group, 8 MiB RUs
#   FDPBLK_NS_FDP4   FDP namespace, 4 RUHs, 16 MiB RUs, another controller
#   FDPBLK_NS_PLAIN  namespace without FDP, on a third controller
#   FDPBLK_NS_PI     FDP namespace (4 RUHs) with Type 1 protection
#                    information, 512+8 bytes per block, 64 MiB
#   FDPBLK_NS_MDTS   FDP namespace (8 RUHs, 8 MiB RUs), 256 MiB, on a
#                    controller with MDTS 1: 8 KiB transfers at most
#   FDPBLK_NS_ATOMIC with --atomic only: FDP namespace (8 RUHs, 8 MiB RUs),
#                    256 MiB, whose atomic write unit (NAWUN, NAWUPF) is
#                    16 blocks, 8 KiB; this run's QEMU is the one
#                    vm/qemu-atomic.sh gives (the test bed's own has no
#                    per-namespace atomic parameters)
#   FDPBLK_KBUILD    the kernel build (modules, headers)
# A namespace's wwid is the same in every run: QEMU reports no EUI-64,
# NGUID or (to the kernel) UUID, so the kernel makes it of the PCI vendor,
# the controller's serial (fdpblk-fdp8, ...), its model and the nsid.
# The disk images are new and empty, and gone after the run, unless
# --images DIR names a directory that keeps them: images missing there are
# made, those present are used as they are, and DIR/state is a writable
# share the guest sees as $FDPBLK_STATE_DIR (a disk's files that survive a
# reboot). --reverse attaches the controllers in the opposite order, so
# that the namespaces get other kernel names (nvmeXnY) than in a run
# without it, as disks may after a reboot.
# The run directory keeps console.log, dmesg, output, status, tainted and
# kmemleak. It is DIR, which must be empty (callers that read the results
# make it with fdpblk_new_run_dir, so that no other run's can be read), or
# else a new unique $FDPBLK_RESULTS/NAME-DATE-XXXXXX. Exit status: the
# command's, or 1 when the kernel reported a problem (see verdict.sh), or 124
# when the guest did not finish or did not power off in time.

set -euo pipefail
. "$(dirname "$0")/common.sh"

name=run
tmo=1800
run=
mem=2G
kargs=
keep=
reverse=0
atomic=0
while [ $# -gt 0 ]; do
	case $1 in
	--name) name=$2; shift 2 ;;
	--images) keep=$2; shift 2 ;;
	--reverse) reverse=1; shift ;;
	--atomic) atomic=1; shift ;;
	--dir) run=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--kernel-args) kargs=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "run-vm: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: run-vm.sh [--name N] [--timeout S] -- CMD..." >&2; exit 2; }

kb=$(FDPBLK_FLAVOR=$FDPBLK_FLAVOR "$FDPBLK_VM/build-kernel.sh")
if [ -z "$run" ]; then
	run=$(fdpblk_new_run_dir "$name")
elif [ ! -d "$run" ] || [ -n "$(ls -A "$run")" ]; then
	echo "run-vm: --dir $run must be an empty directory" >&2
	exit 2
fi
run=$(cd "$run" && pwd)
if [ -n "$keep" ]; then
	mkdir -p "$keep/state"
	img=$(cd "$keep" && pwd)
else
	img=$(mktemp -d "${TMPDIR:-/var/tmp}/fdpblk-img.XXXXXX")
	trap 'rm -rf "$img"' EXIT
fi
for d in fdp8 fdp4 plain; do
	[ -e "$img/$d.img" ] || truncate -s 1G "$img/$d.img"
done
# 64 MiB of 512-byte blocks with 8 bytes of protection information each.
[ -e "$img/pi.img" ] || truncate -s $((131072 * 520)) "$img/pi.img"
[ -e "$img/mdts.img" ] || truncate -s 256M "$img/mdts.img"
qemu_bin=qemu-system-x86_64
if [ "$atomic" = 1 ]; then
	qemu_bin=$("$FDPBLK_VM/qemu-atomic.sh")
	[ -e "$img/atomic.img" ] || truncate -s 256M "$img/atomic.img"
fi

{
	printf 'FDPBLK_TOP=%q\n' "$FDPBLK_TOP"
	printf 'FDPBLK_KBUILD=%q\n' "$kb"
	printf 'FDPBLK_KSRC=%q\n' "$(fdpblk_ksrc_dir)"
	printf 'FDPBLK_CMD=%q\n' "$*"
	printf 'FDPBLK_CMD_TIMEOUT=%q\n' "$((tmo > 120 ? tmo - 60 : tmo / 2))"
	# A kernel with kmemleak must scan (guest-init.sh, verdict.sh), unless
	# the run turned it off.
	grep -qx CONFIG_DEBUG_KMEMLEAK=y "$kb/.config" &&
		[[ " $kargs " != *" kmemleak=off "* ]] &&
		printf 'FDPBLK_KMEMLEAK=1\n'
	[ -z "$keep" ] || printf 'FDPBLK_STATE=1\n'
	printf 'export FDPBLK_TOP FDPBLK_KBUILD FDPBLK_KSRC\n'
} > "$run/env.sh"

accel=$("$FDPBLK_VM/accel.sh")
clock=
# TCG's emulated TSC is stable; without this the kernel may switch to the
# slow HPET or report a clocksource watchdog problem under load.
[ "$accel" != tcg ] || clock="clocksource=tsc tsc=reliable"
# -cpu max offers LA57; with 5-level paging an interrupt taken during early
# CPU identification now and then trips KASAN (wild-memory-access in
# do_raw_spin_lock from handle_edge_irq, before our module exists). The
# test bed boots with 4-level paging.
clock="$clock no5lvl"
# Detector thresholds for a loaded 2-core TCG host, each still far below a
# test's own 300 s timeout (selftests/settings), so that a real hang or
# stall is reported with its stack before the test is killed:
#  - hung task 120 s (the kernel's default; this overrides the 60 built
#    in by kernel.config): the longest legitimate uninterruptible wait is
#    a sync or umount writing back a test's dirty data (tens of MiB)
#    through emulated NVMe under TCG and KASAN. kmemleak scans run in the
#    scanning task, which stays runnable, so however long they take they
#    cannot trip it (guest-init.sh logs how long they took).
#  - RCU CPU stall 60 s (default 21): a vCPU of a TCG guest can be starved
#    by the host for many seconds when both host cores are busy.
#  - soft lockup 40 s (watchdog_thresh=20, default 10 gives 20 s): the same.
detect="sysctl.kernel.hung_task_timeout_secs=120 rcupdate.rcu_cpu_stall_timeout=60 watchdog_thresh=20"
qemu=("$qemu_bin" -M q35 -accel "$accel" -cpu max -smp 2 -m "$mem"
	-nographic -nic none -no-reboot -serial "file:$run/console.log" -monitor none
	-kernel "$kb/arch/x86/boot/bzImage"
	-append "console=ttyS0 root=hostroot rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=524288,cache=loose ro init=$FDPBLK_VM/guest-init.sh panic=-1 oops=panic printk.devkmsg=on hung_task_panic=0 $detect $clock${kargs:+ $kargs}"
	-fsdev "local,id=hostroot,path=/,readonly=on,security_model=none,multidevs=remap"
	-device "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot"
	-fsdev "local,id=results,path=$run,security_model=none"
	-device "virtio-9p-pci,fsdev=results,mount_tag=results"
)
[ -z "$keep" ] || qemu+=(-fsdev "local,id=state,path=$img/state,security_model=none"
	-device "virtio-9p-pci,fsdev=state,mount_tag=state")
# The controllers, each with its namespace (nsid 1), a function each: attached in this order, or the opposite with --reverse.
# FDP: 8 handles in one reclaim group, 8 MiB reclaim units.
ctrl_fdp8() {
	qemu+=(-device "nvme-subsys,id=subsys-fdp8,nqn=fdpblk-fdp8,fdp=on,fdp.runs=8M,fdp.nrg=1,fdp.nruh=8"
	-device "nvme,id=nvme-fdp8,serial=fdpblk-fdp8,subsys=subsys-fdp8"
	-drive "file=$img/fdp8.img,if=none,id=drv-fdp8,format=raw,cache=unsafe"
	-device "nvme-ns,drive=drv-fdp8,bus=nvme-fdp8,nsid=1,fdp.ruhs=0-7")
}
# FDP: 4 handles, 16 MiB reclaim units, another controller.
ctrl_fdp4() {
	qemu+=(-device "nvme-subsys,id=subsys-fdp4,nqn=fdpblk-fdp4,fdp=on,fdp.runs=16M,fdp.nrg=1,fdp.nruh=4"
	-device "nvme,id=nvme-fdp4,serial=fdpblk-fdp4,subsys=subsys-fdp4"
	-drive "file=$img/fdp4.img,if=none,id=drv-fdp4,format=raw,cache=unsafe"
	-device "nvme-ns,drive=drv-fdp4,bus=nvme-fdp4,nsid=1,fdp.ruhs=0-3")
}
# No FDP.
ctrl_plain() {
	qemu+=(-device "nvme,id=nvme-plain,serial=fdpblk-plain"
	-drive "file=$img/plain.img,if=none,id=drv-plain,format=raw,cache=unsafe"
	-device "nvme-ns,drive=drv-plain,bus=nvme-plain,nsid=1")
}
# FDP, 4 handles, and Type 1 protection information in a separate
# metadata buffer (8 bytes per 512-byte block): a file system on fdpblk
# must keep the PI profile (stable pages).
ctrl_pi() {
	qemu+=(-device "nvme-subsys,id=subsys-pi,nqn=fdpblk-pi,fdp=on,fdp.runs=8M,fdp.nrg=1,fdp.nruh=4"
	-device "nvme,id=nvme-pi,serial=fdpblk-pi,subsys=subsys-pi"
	-drive "file=$img/pi.img,if=none,id=drv-pi,format=raw,cache=unsafe"
	-device "nvme-ns,drive=drv-pi,bus=nvme-pi,nsid=1,ms=8,mset=0,pi=1,fdp.ruhs=0-3")
}
# FDP, 8 handles, on a controller with a small MDTS (2^1 pages: 8 KiB):
# fdpctl must read its logs in pieces (test_fdpctl_nvme_01).
ctrl_mdts() {
	qemu+=(-device "nvme-subsys,id=subsys-mdts,nqn=fdpblk-mdts,fdp=on,fdp.runs=8M,fdp.nrg=1,fdp.nruh=8"
	-device "nvme,id=nvme-mdts,serial=fdpblk-mdts,subsys=subsys-mdts,mdts=1"
	-drive "file=$img/mdts.img,if=none,id=drv-mdts,format=raw,cache=unsafe"
	-device "nvme-ns,drive=drv-mdts,bus=nvme-mdts,nsid=1,fdp.ruhs=0-7")
}
# FDP, 8 handles, and an atomic write unit of 16 blocks (0's based 15):
# RWF_ATOMIC writes of up to 8 KiB (test_atomic_02).
ctrl_atomic() {
	qemu+=(-device "nvme-subsys,id=subsys-atomic,nqn=fdpblk-atomic,fdp=on,fdp.runs=8M,fdp.nrg=1,fdp.nruh=8"
	-device "nvme,id=nvme-atomic,serial=fdpblk-atomic,subsys=subsys-atomic"
	-drive "file=$img/atomic.img,if=none,id=drv-atomic,format=raw,cache=unsafe"
	-device "nvme-ns,drive=drv-atomic,bus=nvme-atomic,nsid=1,fdp.ruhs=0-7,atomic.nawun=15,atomic.nawupf=15")
}
order="fdp8 fdp4 plain pi mdts"
[ "$atomic" = 0 ] || order+=" atomic"
[ "$reverse" = 0 ] || order=$(printf '%s\n' $order | tac | xargs)
for c in $order; do
	"ctrl_$c"
done
printf '%q ' "${qemu[@]}" > "$run/qemu.cmd"

echo "run-vm: $name: booting ($accel), results in $run" >&2
: > "$run/output"
tail -n +1 -F "$run/output" 2>/dev/null &
tailpid=$!
rc=0
# A guest that wrote its status has only sync, umount and power-off left:
# it gets FDPBLK_POWEROFF_S (60) seconds for them, not what is left of the
# run's timeout, before it is stopped as hung (status 124, as a timeout).
timeout -k 10 "$tmo" "${qemu[@]}" </dev/null >"$run/qemu.log" 2>&1 &
qpid=$!
grace=${FDPBLK_POWEROFF_S:-60} since=
while kill -0 "$qpid" 2>/dev/null; do
	if [ -z "$since" ] && [ -e "$run/status" ]; then
		since=$SECONDS
	elif [ -n "$since" ] && [ $((SECONDS - since)) -ge "$grace" ]; then
		echo "run-vm: $name: no power-off ${grace}s after the status: stopping the guest" >&2
		kill -TERM "$qpid" 2>/dev/null || true
		wait "$qpid" 2>/dev/null || true
		rc=124
		break
	fi
	sleep 1
done
[ "$rc" = 124 ] || wait "$qpid" || rc=$?
sleep 0.5
kill "$tailpid" 2>/dev/null || true
wait "$tailpid" 2>/dev/null || true
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "run-vm: $name: guest timed out after ${tmo}s" >&2
elif [ "$rc" != 0 ]; then
	echo "run-vm: $name: QEMU exited $rc: $(tail -3 "$run/qemu.log")" >&2
fi
"$FDPBLK_VM/verdict.sh" "$run" "$rc"
