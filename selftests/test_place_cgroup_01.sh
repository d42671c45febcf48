#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: a cgroup rank places the cgroup's writes on
# data_pool[rank % len], also when they reach the device by buffered
# writeback (from sync, and from the background flusher with nobody
# syncing); a cgroup without a rank takes its nearest ranked ancestor's
# (one and two levels up); writes from other cgroups are not affected; a
# ranked cgroup that is removed passes its rank to no new cgroup of the
# same name. Checked on the device's RUAMW.

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
mid=$parent/c
grandchild=$mid/d
vm=/proc/sys/vm
expire=$(cat $vm/dirty_expire_centisecs)
interval=$(cat $vm/dirty_writeback_centisecs)
cleanup_cgroups() {
	trap - ERR
	set +e
	echo "$expire" > $vm/dirty_expire_centisecs
	echo "$interval" > $vm/dirty_writeback_centisecs
	rmdir "$grandchild" "$mid" "$child" "$sibling" "$parent" 2>/dev/null
	_cleanup_devs
}
trap cleanup_cgroups EXIT
mkdir -p "$child" "$sibling" "$grandchild"
echo "+io +memory" > "$parent/cgroup.subtree_control"
echo "+io +memory" > "$mid/cgroup.subtree_control"

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

check() { _check_drop "$ns" "$@"; }
# The checks below write nothing in between, up to the flusher case.
_ruh_chain on

# Buffered, dirtied in the child cgroup (rank inherited from the parent),
# written back by sync from the root cgroup: the flusher's bios carry the
# dirtying cgroup.
flush_later() {
	_in_cgroup "$child" dd if=/dev/zero of="$DEV" bs=1M count=1 seek="$1" \
		conv=notrunc status=none && sync
}
check "buffered writeback, child of rank 1" "6:$((M / lb))" flush_later 0
check "O_DIRECT in a sibling of rank 1" "6:$((M / lb))" \
	_in_cgroup "$sibling" "$FDP_IO" write "$DEV" $((2 * M)) $M
check "O_DIRECT in the root cgroup" "8:$((M / lb))" \
	"$FDP_IO" write "$DEV" $((3 * M)) $M

# A rank of its own for the sibling.
"$FDPCTL" rank set "$DEV" --cgroup "$sibling" 2 || _fail "rank set sibling"
check "O_DIRECT in the sibling, rank 2" "4:$((M / lb))" \
	_in_cgroup "$sibling" "$FDP_IO" write "$DEV" $((4 * M)) $M
"$FDPCTL" rank clear "$DEV" --cgroup "$sibling" || _fail "rank clear sibling"
check "O_DIRECT in the sibling, rank cleared" "6:$((M / lb))" \
	_in_cgroup "$sibling" "$FDP_IO" write "$DEV" $((5 * M)) $M

read -r _ _ _ cgroup _ _ <<<"$(_get_attr "$DEV" source_bytes)"
_assert_eq "cgroup bytes" $((4 * M)) "$cgroup"

# Two levels below the ranked cgroup.
check "O_DIRECT two levels below rank 1" "6:$((M / lb))" \
	_in_cgroup "$grandchild" "$FDP_IO" write "$DEV" $((6 * M)) $M

# Written back by the flusher thread, nobody syncing: dirtied in the
# child, expired after 1 s, the flusher wakes every 0.5 s. Wait (bounded)
# until the device took the whole MiB, then check where.
_ruh_chain off
echo 100 > $vm/dirty_expire_centisecs
echo 50 > $vm/dirty_writeback_centisecs
before=$(_ruh_snapshot "$ns")
# Held open, so that dd's close is not the last one (which writes back).
exec 5<"$DEV"
_in_cgroup "$child" dd if=/dev/zero of="$DEV" bs=1M count=1 seek=7 conv=notrunc status=none
for ((i = 0; i < 300; i++)); do
	after=$(_ruh_snapshot "$ns")
	[ "$(_ruh_drop "$before" "$after" | awk '{ s += $2 } END { print s }')" -ge $((M / lb)) ] && break
	sleep 0.1
done
_assert_ruh_drop "$before" "$after" "6:$((M / lb))"
exec 5<&-
_log "flusher writeback, child of rank 1: 6:$((M / lb))"
echo "$expire" > $vm/dirty_expire_centisecs
echo "$interval" > $vm/dirty_writeback_centisecs

# A ranked cgroup removed, and one of the same name made again: the new
# one has a new id and takes its parent's rank, not the removed one's.
"$FDPCTL" rank set "$DEV" --cgroup "$sibling" 2 || _fail "rank set sibling"
rmdir "$sibling"
mkdir "$sibling"
check "O_DIRECT in a new cgroup of a removed one's name" "6:$((M / lb))" \
	_in_cgroup "$sibling" "$FDP_IO" write "$DEV" $((8 * M)) $M

if err=$("$FDPCTL" rank set "$DEV" --cgroup /nonexistent 1 2>&1); then
	_fail "rank set on a missing cgroup succeeded"
fi
_assert_eq "error for a missing cgroup" \
	"fdpctl: --cgroup /nonexistent: not a cgroup v2 directory" "$err"
_pass
