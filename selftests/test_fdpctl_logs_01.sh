#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl configs, usage, stats and events read log pages
# 20h-23h of the namespace's endurance group through io_uring admin
# passthrough and agree with nvme-cli on each; the statistics count
# exactly the bytes a write sent; a reclaim unit handle update with events
# enabled logs one "RU not fully written" host event on that handle, shown
# with its ph.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_FDP4
export LC_ALL=C		# nvme-cli prints 128-bit counters with the locale's separators

for ns in "$FDPBLK_NS_FDP8" "$FDPBLK_NS_FDP4"; do
	# Log 20h. nvme-cli prints FDPA as a number; we print its fields.
	_assert_eq "$ns: configs" \
		"$(nvme fdp configs "$ns" -e 1 -o json | jq -c '[.configs[] | [.fdpa, .nrg, .nruh, .nnss, .runs, .erutl]]')" \
		"$("$FDPCTL" configs "$ns" -o json | jq -c '[.configs[] | [(if .valid then 128 else 0 end) + (if .vwc then 16 else 0 end) + .rgif, .nrg, .nruh, .nnss, .runs, .erutl]]')"
	"$FDPCTL" configs "$ns" -o json | jq -e '.configs[0].in_use' >/dev/null || _fail "$ns: configuration 0 not in use"
	# Log 21h.
	_assert_eq "$ns: usage" \
		"$(nvme fdp usage "$ns" -e 1 -o json | jq -c '[.ruhus[].ruha]')" \
		"$("$FDPCTL" usage "$ns" -o json | jq -c '[.ruhs[].ruha]')"
	# Log 22h: both print the 128-bit counters as strings (a number
	# would not survive a reader's doubles); a number here is dropped.
	_assert_eq "$ns: stats" \
		"$(nvme fdp stats "$ns" -e 1 -o json | jq -c '[.hbmw, .mbmw, .mbe] | map(tonumber)')" \
		"$("$FDPCTL" stats "$ns" -o json | jq -c '[.hbmw, .mbmw, .mbe] | map(strings | tonumber)')"
done

ns=$FDPBLK_NS_FDP8
# The normal output of each, for people.
"$FDPCTL" configs "$ns" | grep -q "^  reclaim unit size: *8 MiB (8388608 bytes)$" ||
	_fail "normal configs output"
_assert_eq "normal usage output" 8 "$("$FDPCTL" usage "$ns" | grep -c 'host_specified$')"
"$FDPCTL" events "$ns" | grep -q ": 0 controller events$" || _fail "normal events output"

before=$("$FDPCTL" stats "$ns" -o json)
"$FDP_IO" write "$ns" 1M 768K --mode uring --stream 2
after=$("$FDPCTL" stats "$ns" -o json)
_assert_eq "host bytes of one write" $((768 << 10)) \
	"$(jq -n --argjson a "$after" --argjson b "$before" '($a.hbmw | tonumber) - ($b.hbmw | tonumber)')"
"$FDPCTL" stats "$ns" | grep -Eq "^WAF: +[0-9]+\.[0-9]{3}$" || _fail "normal stats output"

# Log 23h: no controller events here; host events once enabled for ph 2
# (nvme-cli numbers handles from 0), logged when the RUH is updated.
_assert_eq "controller events" 0 "$("$FDPCTL" events "$ns" -o json | jq '.events | length')"
nvme fdp set-events "$ns" --namespace-id=1 --placement-handle=1 --event-types=0 --enable >/dev/null ||
	_fail "nvme fdp set-events"
pid=$("$FDPCTL" status "$ns" -o json | jq '.handles[1].pid')
n0=$("$FDPCTL" events "$ns" --host -o json | jq '.events | length')
nvme fdp update "$ns" --namespace-id=1 --pids="$pid" >/dev/null || _fail "nvme fdp update"
ours=$("$FDPCTL" events "$ns" --host -o json)
_assert_eq "host events after an update" $((n0 + 1)) "$(jq '.events | length' <<<"$ours")"
# Its ph: on this namespace (nsid 1), the ph of that placement ID, 2.
_assert_eq "the event" "[0,\"ru_not_fully_written\",2,$pid,1]" \
	"$(jq -c '.events[-1] | [.type, .name, .ph, .pid, .nsid]' <<<"$ours")"
last=$("$FDPCTL" events "$ns" --host | tail -1)
[[ $last =~ ^\ *$n0\ +ru_not_fully_written\ +2\ +$pid\ +[-0-9]+\ +[-0-9]+\ +1\ + ]] ||
	_fail "normal events output: no ph 2, pid $pid, nsid 1: $last"
# nvme-cli prints the timestamp field raw; fdpctl its bits 47:0, the time
# (QEMU sets bit 49, a timestamp origin).
_assert_eq "events: fdpctl vs nvme-cli" \
	"$(nvme fdp events "$ns" -e 1 -E -o json |
	   jq -c '[.events[] | [.type, .fdpef, .pid, .nsid,
		(.timestamp | . - (. / 281474976710656 | floor) * 281474976710656)]]')" \
	"$(jq -c '[.events[] | [.type, .fdpef, .pid, .nsid, .timestamp]]' <<<"$ours")"
_pass
