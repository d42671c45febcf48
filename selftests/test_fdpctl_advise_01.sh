#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl policy advise models candidate policies on a trace
# and prints the one of the lowest modelled WAF as a policy file, pushing
# nothing. The trace is synthetic (awk): cold data written sequentially
# with hint EXTREME, interleaved with hot 4 KiB random rewrites with hint
# SHORT, three passes. Under a current policy that puts every hint on
# ph 1, the advice is another candidate, modelled strictly lower than the
# current policy, with SHORT and EXTREME on different handles; the
# device's policy version stays. The advice is a policy file that policy
# set takes; advised again, the current policy (now that file) stays.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd awk
_require_ns FDPBLK_NS_FDP8

tmp=$(exec mktemp -d)
cleanup() {
	trap - ERR
	set +e
	rm -rf "$tmp"
	_cleanup_devs
}
trap cleanup EXIT

_create_dev "$FDPBLK_NS_FDP8"
"$FDPCTL" policy set "$DEV" hint.none=1 hint.short=1 hint.medium=1 \
	hint.long=1 hint.extreme=1 > /dev/null || _fail "policy set: every hint on ph 1"
dir=/sys/block/${DEV##*/}/fdpblk
v0=$(<"$dir/policy_version")

# 700 MiB cold, 64 KiB writes, each followed by four 4 KiB writes at
# random into the 100 MiB after it: 168,000 writes (sectors of 512 bytes).
awk -v passes=3 -v h=4 'BEGIN {
	srand(7)
	base = 700 * 2048; pages = 100 * 256
	for (p = 0; p < passes; p++)
		for (s = 0; s < 700 * 2048; s += 128) {
			printf "w %d 128 hint=5\n", s
			for (i = 0; i < h; i++)
				printf "w %d 8 hint=2\n", base + int(rand() * pages) * 8
		}
}' > "$tmp/trace"

# advise FILE: the advice in FILE; sets best, best_waf, cur_waf.
advise() {
	local line re='^# why: candidate (.*[^ ]) +modelled WAF ([0-9.]+)(  <- this file)?$'
	"$FDPCTL" policy advise "$DEV" --trace "$tmp/trace" --op 15 > "$1" ||
		_fail "policy advise: $(<"$1")"
	best='' best_waf='' cur_waf=''
	while IFS= read -r line; do
		[[ $line =~ $re ]] || continue
		[ "${BASH_REMATCH[1]}" != current ] || cur_waf=${BASH_REMATCH[2]}
		[ -z "${BASH_REMATCH[3]}" ] || { best=${BASH_REMATCH[1]}; best_waf=${BASH_REMATCH[2]}; }
	done < "$1"
	[ -n "$best" ] && [ -n "$cur_waf" ] || _fail "no candidates in the advice: $(<"$1")"
	_has_line_prefix "$(<"$1")" "# why: MODELLED write amplification (a model of an FDP SSD, not a measurement)" ||
		_fail "the advice does not say it is a model"
}

advise "$tmp/advice"
_log "every hint on ph 1: modelled WAF $cur_waf; advised: $best, $best_waf"
[ "$best" != current ] || _fail "the current policy stayed: $(<"$tmp/advice")"
# Strictly lower, compared as numbers with three decimals.
[ "${best_waf/./}" -lt "${cur_waf/./}" ] ||
	_fail "advised WAF $best_waf is not below the current $cur_waf"
short='' extreme=''
while IFS=' =' read -r key val; do
	case $key in
	hint.short) short=$val ;;
	hint.extreme) extreme=$val ;;
	esac
done < "$tmp/advice"
[ -n "$short" ] && [ "$short" != "$extreme" ] ||
	_fail "the advice keeps SHORT ($short) and EXTREME ($extreme) together"
# The same advice in JSON: not pushed, the same hints, the same reasons.
json=$(exec "$FDPCTL" policy advise "$DEV" --trace "$tmp/trace" --op 15 -o json) ||
	_fail "policy advise -o json"
_assert_eq "advise -o json: pushed, SHORT, EXTREME" "false $short $extreme" \
	"$(jq -r '"\(.pushed) \(.policy.hint.short) \(.policy.hint.extreme)"' <<<"$json")"
_lines_matching why "$(<"$tmp/advice")" '^# why: ' || true
_assert_eq "advise -o json: reasons" "${why//'# why: '/}" "$(jq -r '.reasons[]' <<<"$json")"
_assert_attr "policy version after advise (nothing pushed)" "$v0" "$DEV" policy_version

# The advice is a policy file bound to this device and version.
"$FDPCTL" policy set "$DEV" "$tmp/advice" > "$tmp/set" || _fail "policy set the advice: $(<"$tmp/set")"
_assert_attr "policy version after set" $((v0 + 1)) "$DEV" policy_version
read -r -a hm < "$dir/hint_map"
_assert_eq "hint map: SHORT and EXTREME as advised" "$short $extreme" "${hm[2]} ${hm[5]}"

advise "$tmp/advice2"
_assert_eq "advised again: the current policy stays" current "$best"
_has_line "$(<"$tmp/advice2")" "# why: no candidate is modelled lower than the current policy: it stays" ||
	_fail "no reason for keeping the policy"
_assert_attr "policy version after advise" $((v0 + 1)) "$DEV" policy_version
_pass
