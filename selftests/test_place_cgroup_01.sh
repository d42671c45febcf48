#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: a cgroup rank places the cgroup's writes on
# data_pool[rank % len], also when they reach the device by buffered
# writeback from the flusher, not from the writing task; a child cgroup
# without a rank takes its parent's; writes from other cgroups are not
# affected. Checked on the device's RUAMW.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq dd
_require_ns FDPBLK_NS_FDP8

cg=/sys/fs/cgroup
grep -qw io $cg/cgroup.controllers && grep -qw memory $cg/cgroup.controllers ||
	_skip "cgroup2 io and memory controllers are not available"
echo "+io +memory" > $cg/cgroup.subtree_control
# cgroup2 keeps processes out of a cgroup that distributes controllers:
# the rank goes on the parent, the writers run in its children.
parent=$cg/fdpblk-test
child=$parent/a
sibling=$parent/b
cleanup_cgroups() {
	trap - ERR
	rmdir "$child" "$sibling" "$parent" 2>/dev/null || true
	_cleanup_devs
}
trap cleanup_cgroups EXIT
mkdir -p "$child" "$sibling"
echo "+io +memory" > "$parent/cgroup.subtree_control"

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
M=$((1 << 20))
_set_attr "$DEV" default_ph 8
_set_attr "$DEV" data_pool "4 6"
"$FDPCTL" rank set "$DEV" --cgroup fdpblk-test 1 || _fail "rank set --cgroup"
_assert_eq "nr_cgroup_ranks" 1 "$(_get_attr "$DEV" nr_cgroup_ranks)"
_assert_eq "listed cgroup" "$(stat -c %i "$parent") 1" \
	"$("$FDPCTL" rank list "$DEV" -o json | jq -r '.cgroups[0] | "\(.cgroup_id) \(.rank)"')"

in_cgroup() { # CGROUP CMD...
	local g=$1
	shift
	bash -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$g" "$@"
}

check() { # WHAT EXPECT CMD...
	local what=$1 expect=$2 before after
	shift 2
	before=$(_ruh_snapshot "$ns")
	"$@" || _fail "$what: write"
	after=$(_ruh_snapshot "$ns")
	_assert_ruh_drop "$before" "$after" "$expect"
	_log "$what: $expect"
}

# Buffered, dirtied in the child cgroup (rank inherited from the parent),
# written back by sync from the root cgroup: the flusher's bios carry the
# dirtying cgroup.
flush_later() {
	in_cgroup "$child" dd if=/dev/zero of="$DEV" bs=1M count=1 seek="$1" \
		conv=notrunc status=none && sync
}
check "buffered writeback, child of rank 1" "6:$((M / lb))" flush_later 0
check "O_DIRECT in a sibling of rank 1" "6:$((M / lb))" \
	in_cgroup "$sibling" "$FDP_IO" write "$DEV" $((2 * M)) $M
check "O_DIRECT in the root cgroup" "8:$((M / lb))" \
	"$FDP_IO" write "$DEV" $((3 * M)) $M

# A rank of its own for the sibling.
"$FDPCTL" rank set "$DEV" --cgroup "$sibling" 2 || _fail "rank set sibling"
check "O_DIRECT in the sibling, rank 2" "4:$((M / lb))" \
	in_cgroup "$sibling" "$FDP_IO" write "$DEV" $((4 * M)) $M
"$FDPCTL" rank clear "$DEV" --cgroup "$sibling" || _fail "rank clear sibling"
check "O_DIRECT in the sibling, rank cleared" "6:$((M / lb))" \
	in_cgroup "$sibling" "$FDP_IO" write "$DEV" $((5 * M)) $M

read -r _ _ _ cgroup _ _ <<<"$(_get_attr "$DEV" source_bytes)"
_assert_eq "cgroup bytes" $((4 * M)) "$cgroup"

if "$FDPCTL" rank set "$DEV" --cgroup /nonexistent 1 2>/dev/null; then
	_fail "rank set on a missing cgroup succeeded"
fi
_pass
