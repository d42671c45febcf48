#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl status reads RUH status through io_uring NVMe
# passthrough and agrees with nvme-cli (nvme fdp status) on every handle of
# both FDP namespaces, before and after a write moves one handle's RUAMW;
# ph k is the k-th descriptor, every handle reports its reclaim group and
# RUH type; an fdpblk device stands for its namespace.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_FDP4

agree() { # NS [what]
	local ours theirs
	ours=$("$FDPCTL" status "$1" -o json | jq -c '[.handles[] | [.pid, .ruhid, .earutr, .ruamw]]') ||
		_fail "fdpctl status $1"
	theirs=$(nvme fdp status "$1" -o json | jq -c '[.ruhss[] | [.pid, .ruhid, .earutr, .ruamw]]') ||
		_fail "nvme fdp status $1"
	_assert_eq "$1: fdpctl vs nvme-cli${2:+ $2}" "$theirs" "$ours"
}

for ns in "$FDPBLK_NS_FDP8" "$FDPBLK_NS_FDP4"; do
	n=$(cat "/sys/block/$(basename "$ns")/queue/max_write_streams")
	agree "$ns"
	json=$("$FDPCTL" status "$ns" -o json)
	_assert_eq "$ns: ph 1..$n" "$(seq -s, 1 "$n")" "$(jq -r '[.handles[].ph] | join(",")' <<<"$json")"
	_assert_eq "$ns: reclaim groups" "$(printf '0,%.0s' $(seq "$n") | sed 's/,$//')" \
		"$(jq -r '[.handles[].rgid] | join(",")' <<<"$json")"
	_assert_eq "$ns: RUH types" initially_isolated "$(jq -r '[.handles[].ruht] | unique | join(",")' <<<"$json")"
	_assert_eq "$ns: RU size" "$(cat "/sys/block/$(basename "$ns")/queue/write_stream_granularity")" \
		"$(jq .ru_bytes <<<"$json")"
	"$FDPCTL" status "$ns" | grep -q "^$(basename "$ns") (nsid 1, endurance group 1): $n reclaim unit handles" ||
		_fail "$ns: normal output"
	# Its table, row by row: ph, pid, ruhid, earutr, ruamw as nvme-cli
	# reads them (rgid and type are checked in JSON above).
	_lines_matching got "$("$FDPCTL" status "$ns")" \
		'^ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[a-z_]+ +[0-9]+ +[0-9]+$' || true
	_assert_eq "$ns: normal output's table" \
		"$(nvme fdp status "$ns" -o json | jq -r --argjson n "$n" '.ruhss[:$n] | to_entries[] |
			"\(.key + 1) \(.value.pid) \(.value.ruhid) \(.value.earutr) \(.value.ruamw)"')" \
		"$(awk '{ print $1, $2, $4, $6, $7 }' <<<"$got")"
done

# A write on ph 3 moves RUAMW on both readers alike.
"$FDP_IO" write "$FDPBLK_NS_FDP8" 0 256K --mode uring --stream 3
agree "$FDPBLK_NS_FDP8" "after a write"

# An fdpblk device stands for its namespace.
_create_dev "$FDPBLK_NS_FDP4"
_assert_eq "fdpblk device as namespace" "$("$FDPCTL" status "$FDPBLK_NS_FDP4" -o json)" \
	"$("$FDPCTL" status "$DEV" -o json)"
_pass
