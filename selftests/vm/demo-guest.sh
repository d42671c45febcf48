#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the test VM: load fdpblk, show the namespaces and their
# placement handles, write to each handle and show where the data landed
# according to the device itself (RUAMW per handle, from nvme-cli).

set -euo pipefail
. "$(dirname "$0")/../test_common.sh"

step() { printf '\n=== %s\n' "$*"; }

step "fdpblk.ko"
insmod "$FDPBLK_KO"
"$FDPCTL" features

step "NVMe namespaces"
printf '%-14s %-18s %-12s\n' namespace max_write_streams granularity
for v in FDPBLK_NS_FDP8 FDPBLK_NS_FDP4 FDPBLK_NS_PLAIN; do
	ns=${!v}
	q=/sys/block/${ns#/dev/}/queue
	printf '%-14s %-18s %-12s\n' "$ns" "$(cat $q/max_write_streams)" \
		"$(cat $q/write_stream_granularity)"
done

ns=$FDPBLK_NS_FDP8
step "write 64 KiB x ph to stream ph of $ns (io_uring write_stream)"
before=$(_ruh_snapshot "$ns")
for ph in $(seq 1 8); do
	"$FDP_IO" write "$ns" $((ph << 20)) $((ph * 64))K --bs 64K \
		--mode uring --stream "$ph"
done
after=$(_ruh_snapshot "$ns")

step "where the data landed, by the device's RUAMW (blocks of $(_lbsize "$ns") bytes)"
printf '%-4s %-8s %-12s %-12s\n' ph pid ruamw-drop expected
join <(echo "$before") <(echo "$after") | while read -r ph pid b _ _ a _; do
	printf '%-4s %-8s %-12s %-12s\n' "$ph" "$pid" $((b - a)) \
		$((ph * 64 * 1024 / $(_lbsize "$ns")))
done
rmmod fdpblk
