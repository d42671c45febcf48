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

# Builtins where they do: every fork and exec costs a good fraction of a
# second in the test VM, jq two. "$(exec CMD)" is one process where the
# ERR trap makes "$(CMD)" two. Where one jq evaluates several filters,
# it prints a line a value and each value is still checked on its own.
#
# keep VAR FILTER CMD... runs CMD now and keeps its JSON output; jq_kept
# evaluates every FILTER kept, in one jq, and sets each VAR to its value
# as jq -c prints it.
kept_vars=() kept_filters=() kept_docs=''
keep() { # VAR FILTER CMD...
	local _d
	_d=$(exec "${@:3}")
	kept_vars+=("$1")
	kept_filters+=("$2")
	kept_docs+=$_d$'\n'
}
jq_kept() {
	local _f _out _i _prog=''
	local -a _v=()
	for _f in "${kept_filters[@]}"; do
		_prog+="${_prog:+, }(input | $_f | tojson)"
	done
	_out=$(exec jq -nr "$_prog" <<<"$kept_docs")
	lines_v _v "$_out"
	[ "${#_v[@]}" = "${#kept_vars[@]}" ] ||
		_fail "jq: ${#_v[@]} values for ${#kept_vars[@]} filters: $_out"
	for _i in "${!kept_vars[@]}"; do
		printf -v "${kept_vars[_i]}" '%s' "${_v[_i]}"
	done
	kept_vars=() kept_filters=() kept_docs=''
}
# ARRAY = the lines of TEXT (as mapfile -t reads them, but split in memory:
# read from a pipe goes a byte per system call).
lines_v() { # ARRAY TEXT
	local -n _a=$1
	local _r=$2$'\n'
	_a=()
	while [[ $_r == *$'\n'* ]]; do
		_a+=("${_r%%$'\n'*}")
		_r=${_r#*$'\n'}
	done
}

# (a) The transfer limit: MDTS 1 is 8 KiB, and so is max_hw_sectors_kb.
# entry(NS; FIELD): what jq -c printed for that namespace's FIELD, every
# match on one line (none: an empty line).
json=$(exec "$FDPCTL" list -o json)
got=$(exec jq -r --arg ns "$ns" --arg plain "$FDPBLK_NS_PLAIN" '
	def entry($n; f): [.namespaces[] | select(.namespace == $n) | f | tojson] | join(" ");
	entry($ns; .max_transfer), entry($ns; .controller),
	entry($plain; .no_streams_reason), entry($ns; [.max_write_streams, .no_streams_reason])' \
	<<<"$json")
lines_v v "$got"
_assert_eq "max transfer" 8192 "${v[0]-}"
_assert_eq "kernel's max_hw_sectors_kb" 8 "$(<"/sys/block/${ns##*/}/queue/max_hw_sectors_kb")"
ctrl=${v[1]-}
ctrl=${ctrl//\"/}
ctrl=${ctrl#/dev/}

# (f) Why a namespace has no streams; none for one that has them.
_assert_eq "plain: why 0 streams" '"fdp not supported"' "${v[2]-}"
_assert_eq "mdts: streams, no reason" '[8,null]' "${v[3]-}"
out=$(exec "$FDPCTL" list)
_has_line "$out" "(${FDPBLK_NS_PLAIN##*/}: 0 streams: fdp not supported)" ||
	_fail "list: no note on the plain namespace's 0 streams"

# MAXPIDS: the number of PIDs in both outputs, the raw 0's-based field + 1.
# nvme-cli 2.3 does not show MAXPIDS: it is read from the log page itself
# (FDP configurations, 20h, endurance group 1: a 16-byte header, then the
# first descriptor, whose MAXPIDS is at bytes 10-11).
# u16_at: od -An -tu2 -j OFF -N2 (little-endian here) with builtins, bytes
# read one by one (a NUL reads as empty); empty when FILE is shorter.
u16_at() { # VAR FILE OFF
	local LC_ALL=C _c _i _lo=0 _hi=0 _n
	{
		for ((_i = 0; _i < $3 + 2; _i++)); do
			if ! IFS= read -r -d '' -n 1 _c; then
				printf -v "$1" ''
				return 0
			fi
			printf -v _n %d "'$_c"
			((_i != $3)) || _lo=$_n
			((_i != $3 + 1)) || _hi=$_n
		done
	} < "$2"
	printf -v "$1" %d $((_lo + 256 * _hi))
}
nvme get-log "$ns" --log-id=0x20 --log-len=64 --lsi=1 --raw-binary > "$TMPDIR/fdp-configs"
theirs=
u16_at theirs "$TMPDIR/fdp-configs" 26
[[ $theirs =~ ^[0-9]+$ ]] || _fail "MAXPIDS from nvme get-log: '$theirs'"
json=$(exec "$FDPCTL" configs "$ns" -o json)
got=$(exec jq '.configs[0].max_pids' <<<"$json")
_assert_eq "max_pids (JSON)" $((theirs + 1)) "$got"
out=$(exec "$FDPCTL" configs "$ns")
_match_line "$out" "^  max placement ids: *$((theirs + 1))\$" ||
	_fail "max placement ids (normal) is not $((theirs + 1))"

# (d) Event types of a handle: fdpctl sets, Get Features and the device's
# event logging agree; fdpctl sees what nvme-cli sets (nvme-cli numbers
# handles from 0: its handle 2 is ph 3). The JSON is kept as read, and
# checked after the section's last command.
enabled() { # VAR PH TYPE
	keep "$1" "[.event_types[] | select(.type == $3) | .enabled]" \
		"$FDPCTL" events-config "$ns" --ph "$2" -o json
}
host_events() { keep "$1" '.events | length' nvme fdp events "$ns" -e 1 -E -o json; }
json=$(exec "$FDPCTL" status "$ns" -o json)
ids=$(exec jq -r '.handles[1:3][] | "\(.pid) \(.ruhid)"' <<<"$json")
{ read -r pid2 ruhid2; read -r pid3 ruhid3; } <<<"$ids"

"$FDPCTL" events-config "$ns" --ph 2 --disable all >/dev/null
enabled off2 2 0
host_events n0
nvme fdp update "$ns" --namespace-id=1 --pids="$pid2" >/dev/null || _fail "nvme fdp update"
host_events n1

"$FDPCTL" events-config "$ns" --ph 2 --enable ru_not_fully_written >/dev/null
enabled on2 2 0
nvme fdp update "$ns" --namespace-id=1 --pids="$pid2" >/dev/null || _fail "nvme fdp update"
host_events n2

"$FDPCTL" events-config "$ns" --ph 3 --disable all >/dev/null
nvme fdp set-events "$ns" --namespace-id=1 --placement-handle=2 --event-types=0 --enable >/dev/null ||
	_fail "nvme fdp set-events"
enabled on3 3 0
keep ids3 '[.ph, .pid, .ruhid]' "$FDPCTL" events-config "$ns" --ph 3 -o json
out=$(exec "$FDPCTL" events-config "$ns" --ph 3)
_match_line "$out" "^0x00 +ru_not_fully_written +yes$" ||
	_fail "events-config normal output"
# The handle named by ph, beside nvme-cli's placement ID and RUH id.
_match_line "$out" ", ph 3 \\(pid $pid3, ruhid $ruhid3\\): [0-9]+ event types?\$" ||
	_fail "events-config: ph 3 without its pid $pid3 and ruhid $ruhid3: $out"
off2='' n0='' n1='' on2='' n2='' on3='' ids3=''
jq_kept
_assert_eq "events-config -o json: ph, pid, ruhid" "[3,$pid3,$ruhid3]" "$ids3"
_assert_eq "ph 2: RU not fully written disabled" '[false]' "$off2"
_assert_eq "disabled: no event logged" "$n0" "$n1"
_assert_eq "ph 2: RU not fully written enabled" '[true]' "$on2"
_assert_eq "enabled: one event logged" $((n0 + 1)) "$n2"
_assert_eq "ph 3: enabled by nvme-cli" '[true]' "$on3"

# (c) update: a write lowers ph 2's RUAMW, update gives it a fresh RU.
_ruh_snapshot_to before "$ns"
"$FDP_IO" write "$ns" 0 256K --mode uring --stream 2
_ruh_snapshot_to after "$ns"
_assert_ruh_drop "$before" "$after" "2:$((256 * 1024 / $(_lbsize "$ns")))"
"$FDPCTL" update "$ns" --ph 2
snap=''
_ruh_snapshot_to snap "$ns"
{ read -r _; read -r _ _ ruamw ru; } <<<"$snap"
_assert_eq "ph 2 after update: RUAMW is the whole RU" "$ru" "$ruamw"
keep updated '[.updated[] | [.ph, .pid, .ruhid]]' "$FDPCTL" update "$ns" --ph 2 -o json
# Named by its placement ID, the handle's ph and RUH id are found.
keep updated_pid '[.updated[] | [.ph, .pid, .ruhid]]' "$FDPCTL" update "$ns" --ph "pid:$pid2" -o json

# Enough host events that the log (64 bytes a piece) exceeds 256 bytes.
"$FDPCTL" events-config "$ns" --ph 1 --enable all >/dev/null
"$FDPCTL" update "$ns" --ph 1,2,3 >/dev/null
host_events n
updated='' updated_pid='' n=''
jq_kept
_assert_eq "update -o json" "[[2,$pid2,$ruhid2]]" "$updated"
_assert_eq "update --ph pid:$pid2 -o json" "[[2,$pid2,$ruhid2]]" "$updated_pid"
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
	c=$(<"$T/trace")
	printf '%s\n' "$c" > "$TMPDIR/trace"
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

# same CMD[=FILTER]...: for each CMD, its output now (unchunked) equals
# the chunked one, after the jq FILTER (default .), keys sorted. One jq
# for every pair (compact, a line a document); the pretty forms, one jq
# each, only to say how a pair differs.
same() {
	local arg c out i prog='' docs=''
	local -a cmds=() filters=() un=() v=()
	for arg in "$@"; do
		cmds+=("${arg%%=*}")
		if [[ $arg == *=* ]]; then filters+=("${arg#*=}"); else filters+=(.); fi
	done
	for i in "${!cmds[@]}"; do
		c=${cmds[i]}
		un[i]=$(exec "$FDPCTL" ${c/-/ -} "$ns" -o json)
		docs+=${un[i]}$'\n'$(<"$TMPDIR/chunked.$c")$'\n'
		prog+="${prog:+, }(input | ${filters[i]}), (input | ${filters[i]})"
	done
	out=$(exec jq -cSn "$prog" <<<"$docs")
	lines_v v "$out"
	for i in "${!cmds[@]}"; do
		c=${cmds[i]}
		[ "${#v[@]}" != $((2 * ${#cmds[@]})) ] || [ "${v[2 * i]}" != "${v[2 * i + 1]}" ] ||
			continue
		_assert_eq "$c: chunked = unchunked" \
			"$(jq -S "${filters[i]}" <<<"${un[i]}")" \
			"$(jq -S "${filters[i]}" < "$TMPDIR/chunked.$c")"
	done
}

run_traced 256 configs usage stats events events-E status
check_trace 256
[ "$moved" -gt 0 ] || _fail "256-byte transfers: no log read at an offset"
# RUH status has no offset: 7 descriptors fit in 256 bytes, of 8.
got=$(exec jq -c '[.max_transfer, .nruhsd, .truncated, (.handles | length)]' < "$TMPDIR/chunked.status")
_assert_eq "status at 256 bytes" '[256,8,true,7]' "$got"
same configs usage stats events events-E \
	'status=del(.max_transfer, .truncated) | .handles |= .[0:7]'
if ! out=$(FDPCTL_MAX_XFER=256 exec "$FDPCTL" status "$ns" 2>&1 >/dev/null) ||
	[[ $out != *"the first 7 of 8 reclaim unit handles"* ]]; then
	_fail "status at 256 bytes: no warning"
fi
# Every log larger than 64 bytes is read in pieces.
run_traced 64 configs usage
check_trace 64
[ "$moved" -ge 2 ] || _fail "64-byte transfers: $moved pieces at an offset"
same configs usage
trace_off
trap _cleanup_devs EXIT
# A limit below 64 bytes is refused with its reason, not taken or ignored.
rc=0
out=$(FDPCTL_MAX_XFER=6 exec "$FDPCTL" stats "$ns" 2>&1 >/dev/null) || rc=$?
_assert_eq "status with FDPCTL_MAX_XFER=6" 1 "$rc"
[[ $out == *"FDPCTL_MAX_XFER: must be a multiple of 4, at least 64 (bytes)"* ]] ||
	_fail "FDPCTL_MAX_XFER=6: no reason given: $out"

# (e) Timestamps: bits 47:0, in JSON as in the normal output; as nvme-cli's
# raw field less its bits 63:48 (QEMU sets bit 49, a timestamp origin).
# One jq for both documents: the check, nvme-cli's and fdpctl's
# timestamps (a line each), then fdpctl's a line each.
ev=$(exec "$FDPCTL" events "$ns" -E -o json)
nv=$(exec nvme fdp events "$ns" -e 1 -E -o json)
got=$(exec jq -nr 'input as $ev | input as $nv |
	($ev | [.events[].timestamp] | all(. < 281474976710656) and length > 0),
	($nv | [.events[].timestamp | . - (. / 281474976710656 | floor) * 281474976710656] | tojson),
	($ev | [.events[].timestamp] | tojson),
	($ev | .events[].timestamp)' <<<"$ev"$'\n'"$nv")
lines_v v "$got"
_assert_eq "timestamps < 2^48" true "${v[0]-}"
_assert_eq "timestamps: fdpctl vs nvme-cli" "${v[1]-}" "${v[2]-}"
ts=
for t in "${v[@]:3}"; do ts+=$t$'\n'; done
# awk 'NR > 2 { print $NF }' over the normal output, with builtins.
out=$(exec "$FDPCTL" events "$ns" -E)
lines_v v "$out"
last=
for line in "${v[@]:2}"; do
	read -r -a w <<<"$line"
	last+=${w[${#w[@]} - 1]-}$'\n'
done
while [[ $ts == *$'\n' ]]; do ts=${ts%$'\n'}; done
while [[ $last == *$'\n' ]]; do last=${last%$'\n'}; done
_assert_eq "normal timestamps" "$ts" "$last"
_pass
