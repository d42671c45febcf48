#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: the NVMe controller under an fdpblk device is removed (PCI
# remove) while O_DIRECT and buffered writers run: they end with errors
# instead of hanging, the fdpblk device goes away by itself, the module
# unloads, and a PCI rescan brings the namespace back. Runs last: it
# takes a controller away.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd fio
_require_ns FDPBLK_NS_FDP4

ns=$(_ns_by_serial fdpblk-fdp4)
[ -n "$ns" ] || _skip "no namespace on the controller fdpblk-fdp4"
pci=$(readlink -f "/sys/block/$(basename "$ns")/device/device")
[ -e "$pci/remove" ] || _skip "no PCI device behind $ns"
_create_dev "$ns"
name=$(basename "$DEV")

fio --filename="$DEV" --name=w --ioengine=io_uring --direct=1 --iodepth=8 \
	--rw=randwrite --bs=16k --size=64M --time_based --runtime=120 \
	> "$TMPDIR/fio.out" 2>&1 &
fio_pid=$!
dd if=/dev/zero of="$DEV" bs=64k count=100000 seek=2048 conv=notrunc \
	status=none 2>"$TMPDIR/dd.err" &
dd_pid=$!

# Wait until writes flow through fdpblk (bounded, no blind sleep).
attr=$(_attr_dir "$DEV")/source_writes
for ((i = 0; i < 200; i++)); do
	read -r _ _ _ _ _ writes < "$attr"
	[ "$writes" -gt 100 ] && break
	sleep 0.1
done
[ "$writes" -gt 100 ] || _fail "the writers never got going"

mark=$(_kmsg_mark)
echo 1 > "$pci/remove"

# Writers must end, with errors, well before their own end.
for p in $fio_pid $dd_pid; do
	for ((i = 0; i < 600; i++)); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$p" 2>/dev/null; then
		kill -9 "$fio_pid" "$dd_pid" 2>/dev/null
		_fail "a writer hung after the controller went away"
	fi
done
# Both writers saw their writes fail, and said so.
fio_rc=0 dd_rc=0
wait "$fio_pid" || fio_rc=$?
wait "$dd_pid" || dd_rc=$?
[ "$fio_rc" != 0 ] || _fail "fio succeeded on a removed device"
# NVMe in 7.3 zeroes the namespace's capacity before it reports the
# removal: writes then end with ENOSPC rather than EIO.
grep -qE "error=(Input/output error|No such device|No space left on device)" \
	"$TMPDIR/fio.out" || { cat "$TMPDIR/fio.out"; _fail "fio ended (exit $fio_rc) without an I/O error"; }
[ "$dd_rc" != 0 ] || _fail "dd succeeded on a removed device"
grep -qE "Input/output error|No such device|No space left" "$TMPDIR/dd.err" ||
	{ cat "$TMPDIR/dd.err"; _fail "dd ended (exit $dd_rc) without an I/O error"; }
_log "fio exit $fio_rc, dd exit $dd_rc: $(head -1 "$TMPDIR/dd.err")"
_wait_path gone "/sys/block/$name" 100 || _fail "$name still there after its lower device went"
_dmesg_since "$mark" | grep -q "$name: lower device $(basename "$ns") is gone" || _fail "no kernel message about the removal"
FDPBLK_DEVS=()
_unload_module

echo 1 > /sys/bus/pci/rescan
for ((i = 0; i < 100; i++)); do
	[ -n "$(_ns_by_serial fdpblk-fdp4)" ] && break
	sleep 0.1
done
[ -n "$(_ns_by_serial fdpblk-fdp4)" ] || _fail "the namespace did not come back"
_pass
