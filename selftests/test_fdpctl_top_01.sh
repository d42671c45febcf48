#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl top shows, per handle and frame, the rate fdpblk
# placed and the rate the device took (its RUAMW drops): over the frames of
# a run that saw a write, both add up to exactly the bytes written, on the
# handle the write went to and no other; ^C ends it cleanly.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
_set_attr "$DEV" default_ph 6
frames=$TMPDIR/top.json
"$FDPCTL" top "$DEV" --interval 0.3 -o json > "$frames" &
top_pid=$!

nframes() { wc -l < "$frames"; }
wait_frames() { # N: until at least N frames are out (bounded)
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(nframes)" -ge "$1" ] && return 0
		sleep 0.1
	done
	_fail "fdpctl top printed only $(nframes) frames"
}

# One frame before the write, two whole frames after it: the write falls
# inside the frames printed.
wait_frames 1
"$FDP_IO" write "$DEV" 0 768K
wait_frames $(($(nframes) + 2))
kill -INT "$top_pid"
wait "$top_pid" || _fail "fdpctl top did not end cleanly on SIGINT"

sum() { # FIELD PH: the bytes a rate column adds up to over all frames
	jq -s --arg f "$1" --argjson ph "$2" \
		'[.[] | .interval_s as $t | .handles[] | select(.ph == $ph) | (.[$f] // 0) * $t] | add | round' "$frames"
}
for ph in $(seq 0 8); do
	want=0
	[ "$ph" = 6 ] && want=$((768 * 1024))
	_assert_eq "ph $ph: fdpblk bytes" "$want" "$(sum fdpblk_bytes_per_s "$ph")"
	[ "$ph" = 0 ] && continue
	_assert_eq "ph $ph: device bytes" "$want" "$(sum device_bytes_per_s "$ph")"
done
_assert_eq "RUAMW of ph 6" "$(nvme fdp status "$ns" -o json | jq '.ruhss[5].ruamw')" \
	"$(tail -1 "$frames" | jq '.handles[6].ruamw')"
# Each ph beside the placement ID and RUH id nvme-cli shows for its
# placement handle (ph - 1).
_assert_eq "ph, pid and ruhid of every handle" \
	"$(nvme fdp status "$ns" -o json | jq -c '[.ruhss | to_entries[] | [.key + 1, .value.pid, .value.ruhid]]')" \
	"$(tail -1 "$frames" | jq -c '[.handles[] | select(.ph > 0) | [.ph, .pid, .ruhid]]')"

# The normal output, a bounded run: two frames, each a row per ph with the
# placement ID and RUH id nvme-cli shows, and nothing moving (0.00 MB/s
# both, RUAMW as nvme-cli reads it).
out=$(exec "$FDPCTL" top "$DEV" --interval 0.2 --count 2) || _fail "top --count 2"
ruhs=$(exec nvme fdp status "$ns" -o json)
_lines_matching got "$out" '^ +[1-9][0-9]* ' || true
_assert_eq "normal output: ph pid ruhid fdpblk_MB/s device_MB/s ruamw_blocks, two frames" \
	"$(for f in 1 2; do jq -r '.ruhss | to_entries[] |
		"\(.key + 1) \(.value.pid) \(.value.ruhid) 0.00 0.00 \(.value.ruamw)"' <<<"$ruhs"; done)" \
	"$(awk '{ print $1, $2, $3, $4, $5, $6 }' <<<"$got")"
_pass
