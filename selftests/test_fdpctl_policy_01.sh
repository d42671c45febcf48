#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl policy show writes a policy file that set reads back;
# an edited file is pushed as exactly one new version and writes land where
# it says (device RUAMW); every bad file is refused with one line naming
# the file, line and entry, and changes nothing; --dry-run changes nothing;
# auto derives a policy from RUH status, says why, and places by it.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_PLAIN

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
dir=$(_attr_dir "$DEV")
f=$TMPDIR/policy
version() { cat "$dir/policy_version"; }
state() { cat "$dir"/{policy_version,default_ph,hint_map,stream_map,data_pool,meta_pool,meta_chunk_kib}; }

# Round trip: show, set back, nothing changes but the version.
"$FDPCTL" policy show "$DEV" > "$f"
out=$("$FDPCTL" policy set "$DEV" "$f")
grep -q "^# no change from policy version 1$" <<<"$out" || _fail "round trip: $out"
grep -q "^# pushed to $DEV: policy version 2$" <<<"$out" || _fail "round trip push: $out"

# An edited file: SHORT to ph 6, a data pool.
sed -i 's/^hint.short = .*/hint.short = 6/; s/^data_pool =.*/data_pool = 3, 4/' "$f"
out=$("$FDPCTL" policy set "$DEV" "$f")
_assert_eq "changes" "# change: hint.short: 2 -> 6
# change: data_pool: (empty) -> 3 4" "$(grep '^# change' <<<"$out")"
_assert_eq "version" 3 "$(version)"
_assert_eq "hint map" "0 1 6 3 4 5" "$(cat "$dir/hint_map")"
_assert_eq "data pool" "3 4" "$(cat "$dir/data_pool")"
before=$(_ruh_snapshot "$ns")
"$FDP_IO" write "$DEV" 0 512K --mode buffered --hint 2
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" "6:$((512 * 1024 / lb))"

# JSON agrees with sysfs.
_assert_eq "json" "[3,6,[3,4],[],1024]" \
	"$("$FDPCTL" policy show "$DEV" -o json | jq -c '.policy | [.version, .hint.short, .data_pool, .meta_pool, .meta_chunk_kib]')"

# Bad files: one line naming the entry, exit 1, nothing changed.
bad() { # PATTERN LINE...
	local pattern=$1 out
	shift
	printf '%s\n' "$@" > "$f"
	s=$(state)
	if out=$("$FDPCTL" policy set "$DEV" "$f" 2>&1); then
		_fail "accepted: $*"
	fi
	[ "$(wc -l <<<"$out")" = 1 ] || _fail "more than one line for '$*': $out"
	grep -q "^fdpctl: $f:[0-9]*: $pattern" <<<"$out" || _fail "unclear for '$*': $out"
	_assert_eq "state after '$*'" "$s" "$(state)"
}
bad "hint.short = 9: ph 9 is beyond the device's 8 handles" "hint.short = 9"
bad "hint.tiny: hints are none" "# comment" "hint.tiny = 1"
bad "stream.6 = hint: only streams 1..5" "stream.6 = hint"
bad "stream.9: the device has streams 1..8 only" "stream.9 = 1"
bad "default: given twice" "default = 1" "default = 2"
bad "meta_chunk_kib = 3: '3' is not a power of two" "meta_chunk_kib = 3"
bad "data_pool = .*: more than 256 entries" "data_pool = $(seq -s ' ' 1 257 | sed 's/[0-9]\+/1/g')"
bad "meta_pool = 1 x: 'x' is not a placement handle" "meta_pool = 1 x"
bad "'ph 3': expected KEY = VALUE" "ph 3"
_assert_eq "missing file" 1 "$(_status "$FDPCTL" policy set "$DEV" /nonexistent)"

# --dry-run shows the change and pushes nothing.
s=$(state)
out=$(echo "default = 7" | "$FDPCTL" policy set "$DEV" - --dry-run)
grep -q "^# change: default: 0 -> 7$" <<<"$out" || _fail "dry run change: $out"
grep -q "^# dry run: nothing pushed" <<<"$out" || _fail "dry run: $out"
_assert_eq "after a dry run" "$s" "$(state)"

# auto: two metadata handles at the top, hints in order over the rest.
json=$("$FDPCTL" policy auto "$DEV" -o json)
_assert_eq "auto pushed" true "$(jq .pushed <<<"$json")"
[ "$(jq '.reasons | length' <<<"$json")" -ge 4 ] || _fail "auto gave no reasons: $json"
_assert_eq "auto: meta pool" "7 8" "$(cat "$dir/meta_pool")"
_assert_eq "auto: hints" "0 1 2 3 4 5" "$(cat "$dir/hint_map")"
_assert_eq "auto: data pool" "1 2 3 4 5 6" "$(cat "$dir/data_pool")"
long=$(jq .policy.hint.long <<<"$json")
before=$(_ruh_snapshot "$ns")
"$FDP_IO" write "$DEV" 8M 256K --hint 4
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" "$long:$((256 * 1024 / lb))"
# Its normal output is itself a policy file, with its reasons as comments.
"$FDPCTL" policy auto "$DEV" --dry-run > "$f"
grep -q "^# why: meta_pool: 7 8: " "$f" || _fail "auto: no reason for the metadata pool"
"$FDPCTL" policy set "$DEV" "$f" --dry-run > /dev/null || _fail "auto's output does not read back"
if out=$("$FDPCTL" policy auto "$DEV" --meta 8 2>&1); then
	_fail "auto --meta 8 succeeded"
fi
_assert_eq "auto --meta 8" "fdpctl: $DEV: 8 metadata handles leave none of the 8 for data" "$out"

# A pass-through device takes no policy.
_create_dev "$FDPBLK_NS_PLAIN" --passthrough
echo "default = 0" > "$f"
if out=$("$FDPCTL" policy set "$DEV" "$f" 2>&1); then
	_fail "a pass-through device took a policy"
fi
_assert_eq "policy on a pass-through device" \
	"fdpctl: $DEV: a pass-through device places nothing: it takes no policy" "$out"
_pass
