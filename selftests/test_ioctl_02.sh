#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: an ioctl's work holds no lock that device removal waits on.
# While one SET_RANGE_RANKS of 4 million ranks (the most a device takes)
# is being copied, checked and sorted for one device, another device is
# removed by REMOVE, and a third goes away with its lower (a null_blk
# powered off through configfs); both finish before the SET does, and the
# SET then succeeds in full. (With a million ranks the SET once ended
# before a REMOVE that did not wait for it had returned: the SET must
# outlast a fork, an exec and a del_gendisk in the test VM.)

. "$(dirname "$0")/test_common.sh"
_require_root

n=4194304
cfg=/sys/kernel/config
modprobe -d "$FDPBLK_MODROOT" configfs 2>/dev/null || true
grep -q " $cfg " /proc/mounts || mount -t configfs configfs $cfg ||
	_skip "no configfs"
# Two null_blk devices for the SET and the REMOVE (16 GiB each, no memory
# behind them: 4 million 4 KiB ranges fill them), and one made through
# configfs whose power can be cut.
modprobe -d "$FDPBLK_MODROOT" null_blk nr_devices=2 gb=16 || _fail "modprobe null_blk"
nb=$cfg/nullb/nullb5
cleanup() {
	trap - ERR
	set +e
	_cleanup_devs
	[ -d "$nb" ] && { echo 0 > "$nb/power"; rmdir "$nb"; }
	rmmod null_blk
}
trap cleanup EXIT
mkdir "$nb" || _fail "mkdir $nb"
echo 1 > "$nb/size" && echo 1 > "$nb/power" || _fail "power on nullb5"
_wait_path exists /dev/nullb5 || _fail "/dev/nullb5 did not appear"

_unload_module
_load_module "max_range_ranks=$n"
_create_dev /dev/nullb0 --passthrough
busy=$DEV
_create_dev /dev/nullb1 --passthrough
removed=$DEV
_create_dev /dev/nullb5 --passthrough
orphan=$DEV

out=$TMPDIR/set.out
"$FDPBLK_SELFTESTS/bench_ctl" ranks "${busy#/dev/fdpblk}" "$n" > "$out" 2>&1 &
setter=$!
for ((i = 0; i < 600; i++)); do
	grep -q '^setting' "$out" && break
	sleep 0.1
done
grep -q '^setting' "$out" || _fail "bench_ctl did not start the SET: $(cat "$out")"
sleep 0.5	# into the ioctl
grep -q '^set ' "$out" && _fail "the SET of $n ranks ended within 0.5 s: nothing to race with"

"$FDPCTL" remove "$removed" || _fail "remove $removed during the SET"
grep -q '^set ' "$out" &&
	_fail "REMOVE of $removed waited for the SET of $n ranks on $busy"
echo 0 > "$nb/power" || _fail "power off nullb5"
_wait_path gone "$orphan" 300 || _fail "$orphan still there 30 s after its lower went"
grep -q '^set ' "$out" &&
	_fail "removal of $orphan after its lower's loss waited for the SET of $n ranks on $busy"
echo "# both removals done while the SET was in flight"

wait "$setter" || _fail "the SET failed: $(cat "$out")"
_assert_eq "range ranks after the SET" "$n" "$(_get_attr "$busy" nr_range_ranks)"
_pass
