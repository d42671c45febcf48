#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpblk.ko loads, registers /dev/fdpblk-control, answers
# GET_FEATURES, unloads, and reloads; the control device comes and goes
# with the module; the tracepoint's format gives its enums by value.

. "$(dirname "$0")/test_common.sh"
_require_root

_unload_module
if [ -e /dev/fdpblk-control ]; then
	_fail "/dev/fdpblk-control exists without the module"
fi

for round in 1 2; do
	_load_module
	_wait_path exists /dev/fdpblk-control ||
		_fail "round $round: /dev/fdpblk-control did not appear"
	[ -c /dev/fdpblk-control ] || _fail "/dev/fdpblk-control is not a char device"
	_assert_eq "control mode" 600 "$(stat -c %a /dev/fdpblk-control)"
	# The tracepoint's format gives its enums by value, which perf and
	# trace-cmd can read; an enum name there they cannot resolve.
	fmt=/sys/kernel/tracing/events/fdpblk/fdpblk_place/format
	[ -r "$fmt" ] || _fail "no tracepoint format $fmt"
	fmt=$(<"$fmt")
	[[ $fmt == *'source=%s'* ]] || _fail "tracepoint format without source: $fmt"
	[[ $fmt == *FDPBLK_* ]] && _fail "tracepoint format names enum symbols: $fmt"
	for f in dev sector nr_sectors op hint stream meta cgroup source ph; do
		[[ $fmt == *" $f;"* ]] || _fail "tracepoint format without field $f: $fmt"
	done
	abi=$("$FDPCTL" features -o json | jq -r .abi_version) ||
		_fail "fdpctl features failed"
	_assert_eq "ABI version" 2 "$abi"
	_unload_module
	_wait_path gone /dev/fdpblk-control ||
		_fail "round $round: /dev/fdpblk-control still there after rmmod"
	if _module_loaded; then
		_fail "module still loaded after rmmod"
	fi
done
_pass
