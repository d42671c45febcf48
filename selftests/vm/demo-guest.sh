#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the test VM: find the FDP namespaces, stack /dev/fdpblk0
# on the 8-handle one, let fdpctl derive a policy from its reclaim unit
# handles, run a mixed workload on ext4 (fio with write hints, an O_DIRECT
# writer with a hint, a tenant run under a rank, file system metadata), and
# show where the data landed: by fdpblk's counters and, independently, by
# the device's RUAMW per handle; then the interval's write amplification.
#
#   demo-guest.sh                 the demo
#   demo-guest.sh workload MNT    (internal) the workload fdpctl waf runs

. "$(dirname "$0")/../test_common.sh"
. "$(dirname "$0")/kv-model.sh"

workload() { # MNT
	local mnt=$1
	echo "- fio, buffered, write_hint=short: 2 MiB to $mnt/short"
	fio --name=short --filename="$mnt/short" --rw=write --bs=64k --size=2M \
		--write_hint=short --end_fsync=1 --output=/dev/null
	echo "- fio, buffered, write_hint=long: 1 MiB to $mnt/long"
	fio --name=long --filename="$mnt/long" --rw=write --bs=64k --size=1M \
		--write_hint=long --end_fsync=1 --output=/dev/null
	echo "- O_DIRECT with hint EXTREME (fcntl F_SET_RW_HINT): 1 MiB to $mnt/cold"
	"$FDP_IO" write "$mnt/cold" 0 1M --hint 5
	echo "- a tenant: fdpctl run --rank 5 -- fio (no hint): 1536 KiB to $mnt/tenant"
	"$FDPCTL" run --rank 5 "$DEV" -- fio --name=tenant --filename="$mnt/tenant" \
		--rw=write --bs=64k --size=1536K --end_fsync=1 --output=/dev/null
	echo "- metadata: 300 files in a directory tree"
	mkdir -p "$mnt/tree"
	for i in $(seq 1 300); do
		echo "$i" > "$mnt/tree/f$i"
	done
	sync
}

if [ "${1:-}" = workload ]; then
	trap - EXIT
	DEV=/dev/$(basename "$(ls -d /sys/block/fdpblk* | head -1)")
	workload "$2"
	exit 0
fi

step() { printf '\n=== %s\n' "$*"; }
ns=$FDPBLK_NS_FDP8
lb=$(_lbsize "$ns")
mnt=$(mktemp -d)
trap 'umount "$mnt" 2>/dev/null || true; rmdir "$mnt"; _cleanup_devs' EXIT

step "NVMe namespaces and their FDP state (fdpctl list)"
_load_module
"$FDPCTL" list

step "fdpctl create $ns"
_create_dev "$ns"
echo "$DEV"
echo "and on the namespace without FDP:"
"$FDPCTL" create "$FDPBLK_NS_PLAIN" || true

step "fdpctl status $DEV: the handles, read by io_uring passthrough"
"$FDPCTL" status "$DEV"

step "fdpctl policy auto $DEV --apply"
"$FDPCTL" policy auto "$DEV" --apply

step "ext4 on $DEV"
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0,nodiscard "$DEV"
mount "$DEV" "$mnt"
sync

step "workload, under fdpctl waf"
_set_attr "$DEV" reset_stats 1
before=$(_ruh_snapshot "$ns")
# (FDPBLK_IN_VM=0: the script, sourced again, must not clean up the VM:
# it tried to remove the mounted device and waited 5 s for nothing.)
"$FDPCTL" waf "$ns" -- env FDPBLK_IN_VM=0 "$0" workload "$mnt" > "$TMPDIR/waf"
after=$(_ruh_snapshot "$ns")
sed -n '/^- /p' "$TMPDIR/waf"

step "where the data landed"
policy=$("$FDPCTL" policy show "$DEV" -o json)
role() { # PH: what the policy sends there
	jq -r --argjson ph "$1" '.policy as $p | [
		($p.hint | to_entries[] | select(.value == $ph) | "hint.\(.key)"),
		(if ($p.meta_pool | index($ph)) != null then "metadata" else empty end),
		(if ($p.data_pool | index($ph)) != null then "ranks" else empty end),
		(if $p.default == $ph then "default" else empty end)] | join(" ")' <<<"$policy"
}
read -r -a bytes <<<"$(_get_attr "$DEV" ph_bytes)"
printf '%-3s %-34s %14s %16s\n' ph "policy sends here" "fdpblk bytes" "device bytes"
_ruh_drop "$before" "$after" | while read -r ph drop; do
	printf '%-3s %-34s %14s %16s\n' "$ph" "$(role "$ph")" "${bytes[$ph]}" $((drop * lb))
done
echo "(device bytes: RUAMW drop x $lb-byte blocks, read with nvme-cli; ph 0, no directive: ${bytes[0]} bytes)"
printf '\nby rule:'
paste -d= <(tr ' ' '\n' <<<"$(_get_attr "$DEV" sources)") \
	<(tr ' ' '\n' <<<"$(_get_attr "$DEV" source_bytes)") | tr '\n' ' '
echo

step "write amplification of the workload (FDP statistics, log page 22h)"
sed -n '/^nvme/,$p' "$TMPDIR/waf"
echo "(QEMU models no garbage collection: media bytes equal host bytes)"

step "modelled write amplification of a KV-cache workload (a MODEL of an FDP SSD, not a measurement)"
# kv-model.sh says what is recorded and modelled; the trace, ranks,
# policies and model.json stay in the run directory, under kv/.
umount "$mnt"
"$FDPCTL" remove "$DEV"
mkdir "$FDPBLK_RESULTS_DIR/kv"
kv_model "$ns" "$FDPBLK_RESULTS_DIR/kv"
