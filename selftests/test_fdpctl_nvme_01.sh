#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl's NVMe commands are ones a real device takes. On a
# controller with MDTS 1 (8 KiB), fdpctl reports that transfer limit;
# with FDPCTL_MAX_XFER lowered, the kernel's nvme_setup_cmd tracepoint
# shows every Get Log Page and I/O Management Receive fdpctl issues
# within the limit, log pages read at contiguous increasing offsets, and
# the output equals the unchunked one; RUH status larger than a transfer
# is cut with a warning. update gives a handle a fresh reclaim unit
# (RUAMW back to the full RU, read with nvme-cli); events-config enables
# and disables event types as Get Features and the device's event logging
# see it, and sees what nvme-cli set. Event timestamps are below 2^48,
# MAXPIDS means one thing in both outputs and nvme-cli's plus one, and
# list says why the plain namespace has no streams.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_MDTS FDPBLK_NS_PLAIN

ns=$FDPBLK_NS_MDTS
T=/sys/kernel/tracing

# (a) The transfer limit: MDTS 1 is 8 KiB, and so is max_hw_sectors_kb.
json=$("$FDPCTL" list -o json)
entry() { # NS FIELD
	jq -c --arg ns "$1" ".namespaces[] | select(.namespace == \$ns) | $2" <<<"$json"
}
_assert_eq "max transfer" 8192 "$(entry "$ns" .max_transfer)"
_assert_eq "kernel's max_hw_sectors_kb" 8 "$(cat "/sys/block/${ns##*/}/queue/max_hw_sectors_kb")"
ctrl=$(entry "$ns" .controller | tr -d '"')
ctrl=${ctrl#/dev/}

# (f) Why a namespace has no streams; none for one that has them.
_assert_eq "plain: why 0 streams" '"fdp not supported"' \
	"$(entry "$FDPBLK_NS_PLAIN" .no_streams_reason)"
_assert_eq "mdts: streams, no reason" '[8,null]' \
	"$(entry "$ns" '[.max_write_streams, .no_streams_reason]')"
"$FDPCTL" list | grep -qx "(${FDPBLK_NS_PLAIN##*/}: 0 streams: fdp not supported)" ||
	_fail "list: no note on the plain namespace's 0 streams"

# MAXPIDS: the number of PIDs in both outputs, the raw 0's-based field + 1.
# nvme-cli 2.3 does not show MAXPIDS: it is read from the log page itself
# (FDP configurations, 20h, endurance group 1: a 16-byte header, then the
# first descriptor, whose MAXPIDS is at bytes 10-11).
theirs=$(nvme get-log "$ns" --log-id=0x20 --log-len=64 --lsi=1 --raw-binary |
	 od -An -tu2 -j26 -N2 | tr -d ' ')
[[ $theirs =~ ^[0-9]+$ ]] || _fail "MAXPIDS from nvme get-log: '$theirs'"
_assert_eq "max_pids (JSON)" $((theirs + 1)) \
	"$("$FDPCTL" configs "$ns" -o json | jq '.configs[0].max_pids')"
"$FDPCTL" configs "$ns" | grep -qx "  max placement ids: *$((theirs + 1))" ||
	_fail "max placement ids (normal) is not $((theirs + 1))"

# (d) Event types of a handle: fdpctl sets, Get Features and the device's
# event logging agree; fdpctl sees what nvme-cli sets (nvme-cli numbers
# handles from 0: its handle 2 is ph 3).
enabled() { # PH TYPE
	"$FDPCTL" events-config "$ns" --ph "$1" -o json |
		jq -c --argjson t "$2" '[.event_types[] | select(.type == $t) | .enabled]'
}
host_events() { nvme fdp events "$ns" -e 1 -E -o json | jq '.events | length'; }
pid2=$("$FDPCTL" status "$ns" -o json | jq '.handles[1].pid')

"$FDPCTL" events-config "$ns" --ph 2 --disable all >/dev/null
_assert_eq "ph 2: RU not fully written disabled" '[false]' "$(enabled 2 0)"
n0=$(host_events)
nvme fdp update "$ns" --namespace-id=1 --pids="$pid2" >/dev/null || _fail "nvme fdp update"
_assert_eq "disabled: no event logged" "$n0" "$(host_events)"

"$FDPCTL" events-config "$ns" --ph 2 --enable ru_not_fully_written >/dev/null
_assert_eq "ph 2: RU not fully written enabled" '[true]' "$(enabled 2 0)"
nvme fdp update "$ns" --namespace-id=1 --pids="$pid2" >/dev/null || _fail "nvme fdp update"
_assert_eq "enabled: one event logged" $((n0 + 1)) "$(host_events)"

"$FDPCTL" events-config "$ns" --ph 3 --disable all >/dev/null
nvme fdp set-events "$ns" --namespace-id=1 --placement-handle=2 --event-types=0 --enable >/dev/null ||
	_fail "nvme fdp set-events"
_assert_eq "ph 3: enabled by nvme-cli" '[true]' "$(enabled 3 0)"
"$FDPCTL" events-config "$ns" --ph 3 | grep -Eq "^0x00 +ru_not_fully_written +yes$" ||
	_fail "events-config normal output"

# (c) update: a write lowers ph 2's RUAMW, update gives it a fresh RU.
before=$(_ruh_snapshot "$ns")
"$FDP_IO" write "$ns" 0 256K --mode uring --stream 2
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" "2:$((256 * 1024 / $(_lbsize "$ns")))"
"$FDPCTL" update "$ns" --ph 2
read -r _ _ ruamw ru < <(_ruh_snapshot "$ns" | sed -n 2p)
_assert_eq "ph 2 after update: RUAMW is the whole RU" "$ru" "$ruamw"
_assert_eq "update -o json" "[[2,$pid2]]" \
	"$("$FDPCTL" update "$ns" --ph 2 -o json | jq -c '[.updated[] | [.ph, .pid]]')"

# Enough host events that the log (64 bytes a piece) exceeds 256 bytes.
"$FDPCTL" events-config "$ns" --ph 1 --enable all >/dev/null
"$FDPCTL" update "$ns" --ph 1,2,3 >/dev/null
n=$(host_events)
[ "$n" -ge 4 ] || _fail "only $n host events: the log is no larger than 256 bytes"

# (b) Chunked reads, seen by the kernel's tracepoint.
[ -e "$T/events/nvme/nvme_setup_cmd/enable" ] || mount -t tracefs tracefs "$T" 2>/dev/null || true
[ -e "$T/events/nvme/nvme_setup_cmd/enable" ] || _fail "no nvme_setup_cmd tracepoint in $T"
trace_off() {
	echo 0 > "$T/events/nvme/nvme_setup_cmd/enable" 2>/dev/null || true
	echo 1 > "$T/tracing_on" 2>/dev/null || true
}
trap 'trace_off; _cleanup_devs' EXIT

# run_traced MAX CMD...: the commands with FDPCTL_MAX_XFER=MAX, outputs in
# $TMPDIR/chunked.<cmd>; the trace in $TMPDIR/trace.
run_traced() {
	local max=$1 c
	shift
	echo 0 > "$T/tracing_on"
	: > "$T/trace"
	echo 1 > "$T/events/nvme/nvme_setup_cmd/enable"
	echo 1 > "$T/tracing_on"
	for c in "$@"; do
		FDPCTL_MAX_XFER=$max "$FDPCTL" ${c/-/ -} "$ns" -o json > "$TMPDIR/chunked.$c"
	done
	echo 0 > "$T/tracing_on"
	echo 0 > "$T/events/nvme/nvme_setup_cmd/enable"
	cat "$T/trace" > "$TMPDIR/trace"
}

# check_trace MAX: every Get Log Page of an FDP log and every I/O
# Management Receive on our controller moved at most MAX bytes; each log
# read starts at offset 0 and goes on where the previous piece ended.
# Sets moved: how many log pieces were read at an offset other than 0
# (not in a subshell, so that a failure says why).
check_trace() {
	local max=$1 line b lid numd len off next=0 seen=0
	moved=0
	while read -r line; do
		[[ $line == *" $ctrl: "* ]] || continue
		case $line in
		*nvme_admin_get_log_page*|*nvme_cmd_io_mgmt_recv*) ;;
		*) continue ;;
		esac
		b=${line##*cdw10=}
		b=${b%)*}
		read -ra b <<<"$b"
		[ "${#b[@]}" -ge 16 ] || _fail "cannot parse the trace: $line"
		if [[ $line == *nvme_cmd_io_mgmt_recv* ]]; then
			numd=$((0x${b[7]}${b[6]}${b[5]}${b[4]}))
			len=$(((numd + 1) * 4))
			[ "$len" -le "$max" ] || _fail "I/O Management Receive of $len bytes > $max"
			seen=$((seen + 1))
			continue
		fi
		lid=$((0x${b[0]}))
		[ "$lid" -ge $((0x20)) ] && [ "$lid" -le $((0x23)) ] || continue
		numd=$((0x${b[5]}${b[4]}${b[3]}${b[2]}))
		len=$(((numd + 1) * 4))
		off=$((0x${b[15]}${b[14]}${b[13]}${b[12]}${b[11]}${b[10]}${b[9]}${b[8]}))
		[ "$len" -le "$max" ] || _fail "log $lid: $len bytes at $off > $max"
		if [ "$off" != 0 ]; then
			[ "$off" = "$next" ] || _fail "log $lid: a piece at $off, expected 0 or $next"
			moved=$((moved + 1))
		fi
		next=$((off + len))
		seen=$((seen + 1))
	done < "$TMPDIR/trace"
	[ "$seen" -gt 0 ] || _fail "no FDP command of $ctrl in the trace"
	_log "$seen commands at most $max bytes, $moved log pieces at an offset"
}

same() { # CMD [jq filter]: chunked and unchunked outputs equal
	local f=${2:-.}
	_assert_eq "$1: chunked = unchunked" \
		"$("$FDPCTL" ${1/-/ -} "$ns" -o json | jq -S "$f")" \
		"$(jq -S "$f" < "$TMPDIR/chunked.$1")"
}

run_traced 256 configs usage stats events events-E status
check_trace 256
[ "$moved" -gt 0 ] || _fail "256-byte transfers: no log read at an offset"
for c in configs usage stats events events-E; do
	same "$c"
done
# RUH status has no offset: 7 descriptors fit in 256 bytes, of 8.
_assert_eq "status at 256 bytes" '[256,8,true,7]' \
	"$(jq -c '[.max_transfer, .nruhsd, .truncated, (.handles | length)]' < "$TMPDIR/chunked.status")"
same status 'del(.max_transfer, .truncated) | .handles |= .[0:7]'
FDPCTL_MAX_XFER=256 "$FDPCTL" status "$ns" 2>&1 >/dev/null |
	grep -q "the first 7 of 8 reclaim unit handles" || _fail "status at 256 bytes: no warning"
# Every log larger than 64 bytes is read in pieces.
run_traced 64 configs usage
check_trace 64
[ "$moved" -ge 2 ] || _fail "64-byte transfers: $moved pieces at an offset"
same configs
same usage
trace_off
trap _cleanup_devs EXIT
FDPCTL_MAX_XFER=6 "$FDPCTL" stats "$ns" >/dev/null 2>&1 && _fail "FDPCTL_MAX_XFER=6 taken"

# (e) Timestamps: bits 47:0, in JSON as in the normal output; as nvme-cli's
# raw field less its bits 63:48 (QEMU sets bit 49, a timestamp origin).
ev=$("$FDPCTL" events "$ns" -E -o json)
_assert_eq "timestamps < 2^48" true \
	"$(jq '[.events[].timestamp] | all(. < 281474976710656) and length > 0' <<<"$ev")"
_assert_eq "timestamps: fdpctl vs nvme-cli" \
	"$(nvme fdp events "$ns" -e 1 -E -o json |
	   jq -c '[.events[].timestamp | . - (. / 281474976710656 | floor) * 281474976710656]')" \
	"$(jq -c '[.events[].timestamp]' <<<"$ev")"
_assert_eq "normal timestamps" "$(jq -r '.events[].timestamp' <<<"$ev")" \
	"$("$FDPCTL" events "$ns" -E | awk 'NR > 2 { print $NF }')"
_pass
