#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl policy show writes a policy file, bound to its device
# by a header (lower, placement_ids, version), that set reads back; an
# edited file is pushed as exactly one new version and writes land where
# it says (device RUAMW); a file naming one key, or key=value arguments,
# change only those keys; a file shown before someone else's change is
# refused (compare-and-swap) and changes nothing; a file for another
# namespace or handle layout is refused unless --force; pid:P places on
# the handle with placement ID P; every bad file (a key twice, ph 0 or a
# ph twice in a pool, ...) is refused with one line naming the file, line
# and entry, and changes nothing; --dry-run changes nothing; auto derives
# a policy from RUH status, says why, and pushes it only with --apply;
# the JSON lists ph, placement ID and RUH id as nvme-cli reads them.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_PLAIN

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
dir=$(_attr_dir "$DEV")
f=$TMPDIR/policy
attrs="policy_version default_ph hint_map stream_map data_pool meta_pool meta_chunk_kib"
# Builtins where they do: every fork and exec costs a good fraction of a
# second in the test VM. "$(<FILE)" reads as "$(cat FILE)" does, with no
# process; "$(exec CMD)" is one process where the ERR trap makes "$(CMD)"
# two. state() runs twice per refused change.
state() { # VAR: "attr: value" lines of the policy's attributes
	local _a _s=
	for _a in $attrs; do _s+="$_a: $(<"$dir/$_a")"$'\n'; done
	printf -v "$1" '%s' "${_s%$'\n'}"
}
# sed -i, with builtins: each line of FILE that starts with PREFIX becomes
# LINE, or goes when LINE is -d. Pairs apply in turn, as sed's commands do.
edit() { # FILE PREFIX LINE [PREFIX LINE]...
	local file=$1 l i
	local -a lines kept=() how=("${@:2}")
	mapfile -t lines < "$file"
	for l in "${lines[@]}"; do
		for ((i = 0; i < ${#how[@]}; i += 2)); do
			[[ $l == "${how[i]}"* ]] || continue
			[ "${how[i + 1]}" != -d ] || continue 2
			l=${how[i + 1]}
		done
		kept+=("$l")
	done
	printf '%s\n' "${kept[@]}" > "$file"
}
n=$(<"/sys/block/${ns##*/}/queue/max_write_streams")

# The header: the namespace's wwid, the placement IDs of ph 1..N as
# nvme-cli reads them, the version. (ruhs, nvme-cli's RUH status, is read
# once: its placement and RUH identifiers do not change, writes move only
# RUAMW; the JSON check below uses it too.)
"$FDPCTL" policy show "$DEV" > "$f"
ruhs=$(exec nvme fdp status "$ns" -o json) || _fail "nvme fdp status $ns"
pids=$(exec jq -r --argjson n "$n" '[.ruhss[:$n][].pid] | join(" ")' <<<"$ruhs") ||
	_fail "nvme fdp status $ns"
# Above the header, as comments, each ph's placement ID and RUH id.
_lines_matching got "$(<"$f")" '^# +[0-9]+ +[0-9]+ +[0-9]+  ' || true
_assert_eq "policy show: ph, pid, ruhid" \
	"$(jq -r --argjson n "$n" '.ruhss[:$n] | to_entries[] | "\(.key + 1) \(.value.pid) \(.value.ruhid)"' <<<"$ruhs")" \
	"$(awk '{ print $2, $3, $4 }' <<<"$got")"
# ids PH...: how a change line names these ph: nvme-cli's placement ID
# and RUH id of placement handle ph - 1, side by side.
ruh_ids=$(exec jq -r '.ruhss[] | "\(.pid) \(.ruhid)"' <<<"$ruhs")
ids() { _change_ids "$ruh_ids" "$@"; }
_lines_matching got "$(<"$f")" '^placement_ids =' || true
_assert_eq "header: placement_ids" "placement_ids = $pids" "$got"
_lines_matching got "$(<"$f")" '^version =' || true
_assert_eq "header: version" "version = 1" "$got"
read -r lower 2>/dev/null < "/sys/block/${ns##*/}/wwid" || lower=
[ -n "$lower" ] || lower=${ns##*/}
_lines_matching got "$(<"$f")" '^lower =' || true
_assert_eq "header: lower" "lower = $lower" "$got"

# Round trip: show, set back, nothing changes but the version.
out=$(exec "$FDPCTL" policy set "$DEV" "$f")
_has_line "$out" "# no change from policy version 1" || _fail "round trip: $out"
_has_line "$out" "# pushed to $DEV: policy version 2" || _fail "round trip push: $out"

# An edited file, shown again (the one above is version 1 no more): SHORT
# to ph 6, a data pool.
"$FDPCTL" policy show "$DEV" > "$f"
edit "$f" "hint.short = " "hint.short = 6" "data_pool =" "data_pool = 3, 4"
out=$(exec "$FDPCTL" policy set "$DEV" "$f")
_lines_matching got "$out" '^# change' || true
_assert_eq "changes" "# change: hint.short: 2 -> 6$(ids 2 6)
# change: data_pool: (empty) -> 3 4$(ids 3 4)" "$got"
_assert_eq "version" 3 "$(<"$dir/policy_version")"
_assert_eq "hint map" "0 1 6 3 4 5" "$(<"$dir/hint_map")"
_assert_eq "data pool" "3 4" "$(<"$dir/data_pool")"
_ruh_snapshot_to before "$ns"
"$FDP_IO" write "$DEV" 0 512K --mode buffered --hint 2
_ruh_snapshot_to after "$ns"
_assert_ruh_drop "$before" "$after" "6:$((512 * 1024 / lb))"

# JSON agrees with sysfs, and lists ph, placement ID and RUH id side by
# side as nvme-cli reads them (ph k: RUH status descriptor k-1). One jq
# for the three values (a line each), each checked on its own.
json=$(exec "$FDPCTL" policy show "$DEV" -o json)
got=$(exec jq -c --argjson n "$n" --argjson ruhs "$ruhs" \
	'(.policy | [.version, .hint.short, .data_pool, .meta_pool, .meta_chunk_kib]),
	 [$ruhs.ruhss[:$n] | to_entries[] | [.key + 1, .value.pid, .value.ruhid]],
	 [.policy.handles[] | [.ph, .pid, .ruhid]]' <<<"$json")
{ read -r j_policy; read -r j_nvme; read -r j_handles; } <<<"$got"
_assert_eq "json" "[3,6,[3,4],[],1024]" "$j_policy"
_assert_eq "json: handles" "$j_nvme" "$j_handles"

# Bad files: one line naming the entry, exit 1, nothing changed.
# (PATTERN is a string; grep took its dots for any character.)
bad() { # PATTERN LINE...
	local pattern=$1 out s now
	shift
	printf '%s\n' "$@" > "$f"
	state s
	if out=$(exec "$FDPCTL" policy set "$DEV" "$f" 2>&1); then
		_fail "accepted: $*"
	fi
	[[ $out != *$'\n'* ]] || _fail "more than one line for '$*': $out"
	[[ $out =~ ^"fdpctl: $f:"[0-9]*": $pattern" ]] || _fail "unclear for '$*': $out"
	state now
	_assert_eq "state after '$*'" "$s" "$now"
}
bad "hint.short = 9: ph 9 is beyond the device's 8 handles" "hint.short = 9"
bad "hint.tiny: hints are none" "# comment" "hint.tiny = 1"
bad "stream.6 = hint: only streams 1..5" "stream.6 = hint"
bad "stream.9: the device has streams 1..8 only" "stream.9 = 1"
bad "default: duplicate entry, first on line 1" "default = 1" "default = 2"
bad "hint.2: duplicate entry, first on line 1" "hint.short = 1" "hint.2 = 1"
bad "meta_chunk_kib = 3: '3' is not a power of two" "meta_chunk_kib = 3"
bad "data_pool = 0 3: '0': ph 0 (no directive) is no handle to place on" "data_pool = 0 3"
bad "meta_pool = 3 4 3: '3': ph 3 is in the pool twice" "meta_pool = 3 4 3"
bad "meta_pool = 1 x: 'x' is not a placement handle" "meta_pool = 1 x"
bad "default = pid:999: pid:999: no handle of the device has placement ID 999" "default = pid:999"
bad "'ph 3': expected KEY = VALUE" "ph 3"
# refused WHAT MESSAGE ARGS...: policy set DEV ARGS exits 1 saying exactly
# MESSAGE, and changes nothing.
refused() {
	local what=$1 msg=$2 out s now rc=0
	shift 2
	state s
	out=$(exec "$FDPCTL" policy set "$DEV" "$@" 2>&1) || rc=$?
	_assert_eq "$what: status" 1 "$rc"
	_assert_eq "$what" "$msg" "$out"
	state now
	_assert_eq "state after $what" "$s" "$now"
}
_status_to rc "$FDPCTL" policy set "$DEV" /nonexistent
_assert_eq "missing file" 1 "$rc"

# --dry-run shows the change and pushes nothing.
state s
out=$(exec "$FDPCTL" policy set "$DEV" - --dry-run <<<"default = 7")
_has_line "$out" "# change: default: 0 -> 7$(ids 7)" || _fail "dry run change: $out"
_has_line_prefix "$out" "# dry run: nothing pushed" || _fail "dry run: $out"
state now
_assert_eq "after a dry run" "$s" "$now"

# A file naming one key changes that key only (and the version).
declare -A was=()
for a in $attrs; do was[$a]=$(<"$dir/$a"); done
echo "meta_chunk_kib = 64" > "$f"
"$FDPCTL" policy set "$DEV" "$f" > /dev/null || _fail "a one-key file was refused"
for a in $attrs; do
	case $a in
	policy_version) _assert_eq "partial: $a" $((${was[$a]} + 1)) "$(<"$dir/$a")" ;;
	meta_chunk_kib) _assert_eq "partial: $a" 64 "$(<"$dir/$a")" ;;
	*) _assert_eq "partial: $a kept" "${was[$a]}" "$(<"$dir/$a")" ;;
	esac
done

# key=value arguments, likewise; a bad one is named by its position. In
# JSON: pushed, and each change with its ph beside nvme-cli's placement ID
# and RUH id.
read -r -a hints < "$dir/hint_map"
hints[2]=5
json=$(exec "$FDPCTL" policy set "$DEV" hint.short=5 data_pool=4,3 -o json) ||
	_fail "policy set hint.short=5 data_pool=4,3"
_assert_eq "key=value -o json: pushed, the changes and their handles" \
	"$(jq -c -n --argjson r "$(jq -c .ruhss <<<"$ruhs")" \
		'def h: map([., $r[. - 1].pid, $r[. - 1].ruhid]);
		 [true, ["hint.short", "6", "5", ([5, 6] | h)], ["data_pool", "3 4", "4 3", ([3, 4] | h)]]')" \
	"$(jq -c '[.pushed] + (.changes | map([.key, .old, .new, (.handles | map([.ph, .pid, .ruhid]))]))' <<<"$json")"
_assert_eq "key=value: hint map" "${hints[*]}" "$(<"$dir/hint_map")"
_assert_eq "key=value: data pool" "4 3" "$(<"$dir/data_pool")"
_assert_eq "key=value: meta chunk kept" 64 "$(<"$dir/meta_chunk_kib")"
refused "key=value twice" \
	"fdpctl: argument 3: default: duplicate entry, first in argument 2" \
	default=1 default=2

# pid:P: the handle with that placement ID (ph 5's), hint MEDIUM there.
# One snapshot gives P and is the "before" of the write (policy set
# writes nothing to the device).
_ruh_snapshot_to before "$ns"
pid5=
while read -r ph pid _; do
	if [ "$ph" = 5 ]; then pid5=$pid; fi
done <<<"$before"
[ -n "$pid5" ] || _fail "no placement ID for ph 5"
"$FDPCTL" policy set "$DEV" "hint.medium=pid:$pid5" > /dev/null || _fail "hint.medium=pid:$pid5"
got=
read -r _ _ _ got _ < "$dir/hint_map" || true
_assert_eq "pid:$pid5 is ph 5" 5 "$got"
"$FDP_IO" write "$DEV" 4M 256K --mode buffered --hint 3
_ruh_snapshot_to after "$ns"
_assert_ruh_drop "$before" "$after" "5:$((256 * 1024 / lb))"

# Compare-and-swap: a file shown before someone else's change is refused,
# naming both versions, and changes nothing.
"$FDPCTL" policy show "$DEV" > "$f"
v=$(<"$dir/policy_version")
"$FDPCTL" policy set "$DEV" default=3 > /dev/null || _fail "default=3"
stale="fdpctl: $DEV: the policy changed since it was shown (version $v -> $((v + 1))): nothing pushed; show it again and redo the change"
refused "a stale file" "$stale" "$f"
refused "a stale version=V argument" "$stale" "version=$v" default=0
# Without its version line the same file is pushed (read-modify-write).
edit "$f" "version =" -d
"$FDPCTL" policy set "$DEV" "$f" > /dev/null || _fail "a file without a version was refused"
_assert_eq "default after a file without version" 0 "$(<"$dir/default_ph")"

# Another handle layout, another namespace: refused, or pushed with --force.
"$FDPCTL" policy show "$DEV" > "$f"
edit "$f" "placement_ids = " "placement_ids = 100 101 102 103 104 105 106 107"
refused "another layout" \
	"fdpctl: $f: written for placement IDs 100 101 102 103 104 105 106 107 (ph 1..8), the device's are $pids: refused (--force pushes it anyway)" \
	"$f"
v=$(<"$dir/policy_version")
"$FDPCTL" policy set "$DEV" "$f" --force > /dev/null || _fail "--force: refused"
_assert_eq "another layout, --force: version" $((v + 1)) "$(<"$dir/policy_version")"
"$FDPCTL" policy show "$DEV" > "$f"
edit "$f" "lower = " "lower = eui.00000000000000ff"
refused "another namespace" \
	"fdpctl: $f: written for namespace eui.00000000000000ff, the device is on $lower: refused (--force pushes it anyway)" \
	"$f"

# auto without --apply: shown, with reasons, nothing pushed.
state s
json=$(exec "$FDPCTL" policy auto "$DEV" -o json)
got=$(exec jq .pushed <<<"$json")
_assert_eq "auto, not applied: pushed" false "$got"
state now
_assert_eq "auto, not applied" "$s" "$now"
# Its normal output is itself a policy file, with its reasons as comments.
"$FDPCTL" policy auto "$DEV" > "$f"
out=$(<"$f")
_has_line_prefix "$out" "# why: meta_pool: 7 8: " || _fail "auto: no reason for the metadata pool"
_has_line "$out" "# not pushed to $DEV: policy auto --apply pushes it" || _fail "auto: $out"
state now
_assert_eq "auto, not applied (normal)" "$s" "$now"
"$FDPCTL" policy set "$DEV" "$f" --dry-run > /dev/null || _fail "auto's output does not read back"

# auto --apply: two metadata handles at the top, hints in order over the rest.
# One jq, a line a value: pushed, the number of reasons, hint LONG's ph.
v=$(<"$dir/policy_version")
json=$(exec "$FDPCTL" policy auto "$DEV" --apply -o json)
got=$(exec jq -c '.pushed, (.reasons | length), .policy.hint.long' <<<"$json")
{ read -r pushed; read -r nreasons; read -r long; } <<<"$got"
_assert_eq "auto pushed" true "$pushed"
_assert_eq "auto --apply: version" $((v + 1)) "$(<"$dir/policy_version")"
[ "$nreasons" -ge 4 ] || _fail "auto gave no reasons: $json"
_assert_eq "auto: meta pool" "7 8" "$(<"$dir/meta_pool")"
_assert_eq "auto: hints" "0 1 2 3 4 5" "$(<"$dir/hint_map")"
_assert_eq "auto: data pool" "1 2 3 4 5 6" "$(<"$dir/data_pool")"
_ruh_snapshot_to before "$ns"
"$FDP_IO" write "$DEV" 8M 256K --hint 4
_ruh_snapshot_to after "$ns"
_assert_ruh_drop "$before" "$after" "$long:$((256 * 1024 / lb))"
if out=$(exec "$FDPCTL" policy auto "$DEV" --meta 8 2>&1); then
	_fail "auto --meta 8 succeeded"
fi
_assert_eq "auto --meta 8" "fdpctl: $DEV: 8 metadata handles leave none of the 8 for data" "$out"

# A pass-through device takes no policy.
_create_dev "$FDPBLK_NS_PLAIN" --passthrough
echo "default = 0" > "$f"
if out=$(exec "$FDPCTL" policy set "$DEV" "$f" 2>&1); then
	_fail "a pass-through device took a policy"
fi
_assert_eq "policy on a pass-through device" \
	"fdpctl: $DEV: a pass-through device places nothing: it takes no policy" "$out"
_pass
