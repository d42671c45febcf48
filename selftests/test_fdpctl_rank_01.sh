#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl rank set/list/clear for ranges and cgroups (listed
# by path), and fdpctl run, which runs an unmodified command in a cgroup of
# its own with a rank: its buffered writes land on data_pool[rank % len]
# (device RUAMW), its exit status is fdpctl's, and nothing is left behind.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq dd
_require_ns FDPBLK_NS_FDP8
grep -qw io /sys/fs/cgroup/cgroup.controllers || _skip "no cgroup2 io controller"

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
M=$((1 << 20))
_set_attr "$DEV" default_ph 8
_set_attr "$DEV" data_pool "3 5"
cg=/sys/fs/cgroup/fdpctl-test
trap 'trap - ERR; set +e; rmdir "$cg" 2>/dev/null; _cleanup_devs' EXIT
mkdir -p "$cg"

"$FDPCTL" rank set "$DEV" --range 1M+2M 7
_assert_eq "rank set -o json" '["set",false,[[8192,2048,3]],[]]' \
	"$("$FDPCTL" rank set "$DEV" --range 8192+2048 3 -o json |
	   jq -c '[.action, .all, (.ranges | map([.start, .nr_sectors, .rank])), .cgroups]')"
"$FDPCTL" rank set "$DEV" --cgroup fdpctl-test 4
json=$("$FDPCTL" rank list "$DEV" -o json)
_assert_eq "listed ranges" "[[2048,4096,7],[8192,2048,3]]" \
	"$(jq -c '.ranges | map([.start, .nr_sectors, .rank])' <<<"$json")"
_assert_eq "listed cgroups" "[[\"$cg\",4]]" "$(jq -c '.cgroups | map([.path, .rank])' <<<"$json")"
"$FDPCTL" rank list "$DEV" | grep -qx "cgroup $cg rank 4" || _fail "normal list"
"$FDPCTL" rank clear "$DEV" --range 1M+1M
_assert_eq "after a partial clear" "[[4096,2048,7],[8192,2048,3]]" \
	"$("$FDPCTL" rank list "$DEV" -o json | jq -c '.ranges | map([.start, .nr_sectors, .rank])')"
"$FDPCTL" rank clear "$DEV" --all
_assert_eq "after clear --all" "0 0" "$(_get_attr "$DEV" nr_range_ranks) $(_get_attr "$DEV" nr_cgroup_ranks)"

# run: an unmodified dd, buffered, rank 3 -> data_pool[1] = ph 5.
before=$(_ruh_snapshot "$ns")
"$FDPCTL" run --rank 3 "$DEV" -- dd if=/dev/zero of="$DEV" bs=1M count=2 seek=16 \
	conv=notrunc status=none || _fail "fdpctl run dd"
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" "5:$((2 * M / lb))"
read -r _ _ _ cgroup _ _ <<<"$(_get_attr "$DEV" source_bytes)"
_assert_eq "cgroup bytes" $((2 * M)) "$cgroup"
_assert_eq "rank left behind" 0 "$(_get_attr "$DEV" nr_cgroup_ranks)"
_assert_eq "cgroup left behind" "" "$(shopt -s nullglob; echo /sys/fs/cgroup/fdpctl-run-*)"

# Its exit status is the command's; a command that cannot start is 127.
# -o json: the command's stdout goes to stderr, the JSON stands alone.
rc=0
json=$("$FDPCTL" run --rank 1 "$DEV" -o json -- sh -c 'echo out; exit 3' 2>/dev/null) || rc=$?
_assert_eq "status" 3 "$rc"
_assert_eq "run -o json" "[\"${DEV#/dev/}\",1,3]" "$(jq -c '[.device, .rank, .command_status]' <<<"$json")"
out=$("$FDPCTL" run --rank 1 "$DEV" -- /nonexistent 2>&1 && echo "status 0" || echo "status $?")
_assert_eq "missing command" "fdpctl: /nonexistent: No such file or directory
status 127" "$out"
_assert_eq "usage without --" 2 "$(_status "$FDPCTL" run --rank 1 "$DEV")"
_assert_eq "usage without a rank" 2 "$(_status "$FDPCTL" run "$DEV" -- true)"
_assert_eq "cgroup left behind" "" "$(shopt -s nullglob; echo /sys/fs/cgroup/fdpctl-run-*)"
_pass
