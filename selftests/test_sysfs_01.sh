#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: every policy entry is tunable through sysfs; bad input
# (ph above the namespace's handles, wrong counts, garbage, the follow-hint
# value where it is not allowed, a bad chunk size) fails with EINVAL and
# changes nothing; a good write publishes exactly one new version.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_ns FDPBLK_NS_FDP4

_create_dev "$FDPBLK_NS_FDP4" --streams 6
dir=$(_attr_dir "$DEV")

# Builtins only: this runs twice per refused value, and every exec costs
# a good fraction of a second in the test VM.
snapshot() {
	local f v
	for f in policy_version default_ph hint_map stream_map data_pool \
		 meta_pool meta_chunk_kib; do
		v=
		read -r v < "$dir/$f" || true
		echo "$f=$v"
	done
}

bad() { # ATTR VALUE: refused with EINVAL (not a missing attribute)
	local before after err
	[ -f "$dir/$1" ] || _fail "no attribute $1"
	before=$(snapshot)
	if err=$( (echo "$2" > "$dir/$1") 2>&1); then
		_fail "$1: '$2' was accepted"
	fi
	[[ $err == *"Invalid argument"* ]] || _fail "$1: '$2': expected EINVAL, got: $err"
	after=$(snapshot)
	_assert_eq "$1 after '$2'" "$before" "$after"
}

good() { # ATTR VALUE [SHOWN]
	local v
	v=$(_get_attr "$DEV" policy_version)
	echo "$2" > "$dir/$1" || _fail "$1: '$2' was refused"
	_assert_eq "$1" "${3-$2}" "$(_get_attr "$DEV" "$1")"
	_assert_eq "$1: version" $((v + 1)) "$(_get_attr "$DEV" policy_version)"
}

# 4 handles, 6 streams.
bad default_ph 5
bad default_ph -1
bad default_ph "1 2"
bad default_ph x
bad hint_map "0 1 2 3 4"
bad hint_map "0 1 2 3 4 5"
bad hint_map "1 1 2 3 4 4"
bad hint_map "0 1 2 3 4 4 4"
bad stream_map "-1 -1 -1 -1 -1"
bad stream_map "-1 -1 -1 -1 -1 -1"
bad stream_map "5 -1 -1 -1 -1 0"
bad data_pool "1 2 5"
bad data_pool "1,,x"
bad data_pool "$(seq -s ' ' 1 257 | sed 's/[0-9]\+/1/g')"
bad meta_pool "0 9"
bad meta_chunk_kib 3
bad meta_chunk_kib 2
bad meta_chunk_kib 2097152
bad reset_stats 0

good default_ph 4
good hint_map "0 4 3 2 1 0"
good stream_map "1 -1 -1 -1 -1 2"
good data_pool "1,2, 3" "1 2 3"
good data_pool "" ""
good meta_pool "4 4 1"
good meta_chunk_kib 4096
_pass
