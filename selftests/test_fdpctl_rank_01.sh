#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl rank set/list/clear for ranges and cgroups (listed
# by path; a removed one by id, and cleared by --cgroup-id); rank save and
# load: what save writes loads back to the same list, --replace leaves the
# file's ranks only, a bad line or overlapping ranges change nothing, 2000
# ranges load in one fdpctl; and fdpctl run, which runs an unmodified
# command in a cgroup of its own with a rank: its buffered writes land on
# data_pool[rank % len] (device RUAMW), below the caller's cgroup (next to
# it when it holds the caller; refused right below the root), exiting as
# timeout(1) does (125, 126, 127, 128 + N), passing SIGINT, SIGTERM and
# SIGHUP on to the command, and leaving nothing behind.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq dd blockdev
_require_ns FDPBLK_NS_FDP8
# Builtins where they do: every fork and exec costs a good fraction of a
# second in the test VM. "$(exec CMD)" is one process where the ERR trap
# makes "$(CMD)" two.
ctls=
read -r ctls 2>/dev/null < /sys/fs/cgroup/cgroup.controllers || true
[[ " $ctls " == *" io "* ]] || _skip "no cgroup2 io controller"

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
M=$((1 << 20))
_set_attr "$DEV" default_ph 8
_set_attr "$DEV" data_pool "3 5"
cg=/sys/fs/cgroup/fdpctl-test
gone=/sys/fs/cgroup/fdpctl-test-gone
nest=/sys/fs/cgroup/fdpctl-test-nest
flat=/sys/fs/cgroup/fdpctl-test-flat
trap 'trap - ERR; set +e; rmdir "$cg" "$gone" "$nest/caller" "$nest" "$flat" 2>/dev/null; _cleanup_devs' EXIT
mkdir -p "$cg"

"$FDPCTL" rank set "$DEV" --range 1M+2M 7
set_json=$(exec "$FDPCTL" rank set "$DEV" --range 8192+2048 3 -o json)
"$FDPCTL" rank set "$DEV" --cgroup fdpctl-test 4
json=$(exec "$FDPCTL" rank list "$DEV" -o json)
out=$(exec "$FDPCTL" rank list "$DEV")
_has_line "$out" "cgroup $cg rank 4" || _fail "normal list"
"$FDPCTL" rank clear "$DEV" --range 1M+1M
cleared_json=$(exec "$FDPCTL" rank list "$DEV" -o json)
# One jq for the three documents above, a line a value, each value
# checked on its own (jq costs two seconds in the test VM).
got=$(exec jq -cn '
	(input | [.action, .all, (.ranges | map([.start, .nr_sectors, .rank])), .cgroups]),
	(input | (.ranges | map([.start, .nr_sectors, .rank])), (.cgroups | map([.path, .rank]))),
	(input | .ranges | map([.start, .nr_sectors, .rank]))' \
	<<<"$set_json"$'\n'"$json"$'\n'"$cleared_json")
{ read -r j_set; read -r j_ranges; read -r j_cgroups; read -r j_cleared; } <<<"$got"
_assert_eq "rank set -o json" '["set",false,[[8192,2048,3]],[]]' "$j_set"
_assert_eq "listed ranges" "[[2048,4096,7],[8192,2048,3]]" "$j_ranges"
_assert_eq "listed cgroups" "[[\"$cg\",4]]" "$j_cgroups"
_assert_eq "after a partial clear" "[[4096,2048,7],[8192,2048,3]]" "$j_cleared"
"$FDPCTL" rank clear "$DEV" --all
nr=
nc=
_get_attr_to nr "$DEV" nr_range_ranks
_get_attr_to nc "$DEV" nr_cgroup_ranks
_assert_eq "after clear --all" "0 0" "$nr $nc"

# rank save, then load: the same list; --replace: the file's ranks only.
# (list's whole JSON document: only its device, ranges and cgroups, the
# device the same throughout.)
list() { # VAR
	local _j
	_j=$(exec "$FDPCTL" rank list "$DEV" -o json)
	printf -v "$1" '%s' "$_j"
}
f=$TMPDIR/ranks
"$FDPCTL" rank set "$DEV" --range 1M+2M 7
"$FDPCTL" rank set "$DEV" --range 8192+2048 3
"$FDPCTL" rank set "$DEV" --cgroup fdpctl-test 4
saved=
list saved
"$FDPCTL" rank save "$DEV" "$f" || _fail "rank save"
_assert_eq "saved file" "# fdpctl rank save $DEV: 2 range ranks (sectors), 1 cgroup rank
range 2048 4096 7
range 8192 2048 3
cgroup fdpctl-test 4" "$(<"$f")"
listed=$(exec "$FDPCTL" rank list "$DEV" -o json)
saved_json=$(exec "$FDPCTL" rank save "$DEV" - -o json)
_assert_eq "save -o json is list's document" "$listed" "$saved_json"
"$FDPCTL" rank load "$DEV" "$f" >/dev/null || _fail "rank load onto the same ranks"
list now
_assert_eq "load of save's output changes nothing" "$saved" "$now"
"$FDPCTL" rank clear "$DEV" --all
out=$(exec "$FDPCTL" rank load "$DEV" "$f" --replace)
_assert_eq "load --replace after clear --all" \
	"loaded 2 range ranks, 1 cgroup rank into $DEV from $f, every other rank cleared" "$out"
list now
_assert_eq "save, clear, load: the same list" "$saved" "$now"
"$FDPCTL" rank set "$DEV" --range 64M+1M 9
"$FDPCTL" rank set "$DEV" --range 1M+1M 8
json=$(exec "$FDPCTL" rank load "$DEV" - --replace -o json <"$f")
got=$(exec jq -c '[.file, .replace, .range_ranks, .cgroup_ranks, .skipped]' <<<"$json")
_assert_eq "load --replace -o json, from stdin" '["<stdin>",true,2,1,0]' "$got"
list now
_assert_eq "--replace: the file's ranks only" "$saved" "$now"

# The whole file is checked first: a bad line, overlapping ranges, a
# range past the end, a path that is no cgroup change nothing.
load_err() { # WHAT MESSAGE FILE-CONTENT
	local rc=0 err now
	printf "$3" > "$TMPDIR/bad"
	err=$(exec "$FDPCTL" rank load "$DEV" "$TMPDIR/bad" --replace 2>&1 >/dev/null) || rc=$?
	_assert_eq "$1: status" 1 "$rc"
	_assert_eq "$1" "fdpctl: $TMPDIR/bad:$2" "$err"
	list now
	_assert_eq "$1: nothing changed" "$saved" "$now"
}
cgid=$(exec stat -c %i "$cg")
load_err "a bad rank" "2: rank x: must be 0..4294967295" 'range 0 8 1\nrange 16 8 x\n'
load_err "overlapping ranges" "3: range 32+8 overlaps range 0+64 of line 1" \
	'range 0 64 1\n# a comment\nrange 32 8 2\n'
# (/sys/block/X/size: the 512-byte sectors blockdev --getsz reads)
load_err "a range past the end" \
	"2: range 0+$((1 << 30)) runs past the end of the device ($(</sys/block/"${DEV##*/}"/size) sectors)" \
	'cgroup fdpctl-test 1\nrange 0 512G 2\n'
load_err "no such cgroup" "1: cgroup nosuch: not a cgroup v2 directory" 'cgroup nosuch 1\n'
load_err "a cgroup twice" "2: cgroup id $cgid: named by line 1 too" \
	"cgroup fdpctl-test 1\ncgroup id:$cgid 2\n"

# Many ranks, one fdpctl (one SET_RANGE_RANKS: no process per rank).
for ((i = 0; i < 2000; i++)); do
	echo "range $((i * 16)) 8 $i"
done > "$TMPDIR/many"
"$FDPCTL" rank load "$DEV" "$TMPDIR/many" --replace >/dev/null || _fail "2000 ranges"
_get_attr_to nr "$DEV" nr_range_ranks
_get_attr_to nc "$DEV" nr_cgroup_ranks
_assert_eq "2000 ranges loaded" "2000 0" "$nr $nc"
json=$(exec "$FDPCTL" rank list "$DEV" -o json)
got=$(exec jq -c '.ranges[-1] | [.start, .nr_sectors, .rank]' <<<"$json")
_assert_eq "the last of 2000" "[31984,8,1999]" "$got"

# A cgroup removed with its rank: listed by id, saved by id, skipped by
# load (it cannot be ranked again), cleared by --cgroup-id.
"$FDPCTL" rank clear "$DEV" --all
mkdir "$gone"
id=$(exec stat -c %i "$gone")
"$FDPCTL" rank set "$DEV" --cgroup "$gone" 6
rmdir "$gone"
out=$(exec "$FDPCTL" rank list "$DEV")
_lines_matching got "$out" '^cgroup' || true
_assert_eq "a removed cgroup, listed" "cgroup #$id rank 6" "$got"
listed=$(exec "$FDPCTL" rank list "$DEV" -o json)
"$FDPCTL" rank save "$DEV" "$f"
_lines_matching got "$(<"$f")" '^cgroup' || true
_assert_eq "a removed cgroup, saved by id" "cgroup id:$id 6" "$got"
rc=0
err=$(exec "$FDPCTL" rank load "$DEV" "$f" 2>&1 >/dev/null) || rc=$?
_assert_eq "a removed cgroup, loaded: skipped" \
	"0 fdpctl: warning: $f:2: cgroup id:$id: no such cgroup (removed?): skipped" "$rc $err"
json=$(exec "$FDPCTL" rank clear "$DEV" --cgroup-id "$id" -o json)
# One jq for list's document (above) and clear's, a line each.
got=$(exec jq -cn '(input | .cgroups | map([.cgroup_id, .path, .rank])),
	(input | [.action, (.cgroups | map([.cgroup_id, .path]))])' <<<"$listed"$'\n'"$json")
{ read -r j_listed; read -r j_cleared; } <<<"$got"
_assert_eq "a removed cgroup, listed in JSON" "[[$id,null,6]]" "$j_listed"
_assert_eq "clear --cgroup-id -o json" "[\"clear\",[[$id,null]]]" "$j_cleared"
_get_attr_to nc "$DEV" nr_cgroup_ranks
_assert_eq "a removed cgroup's rank, cleared by id" 0 "$nc"

# run: an unmodified dd, buffered, rank 3 -> data_pool[1] = ph 5.
_ruh_snapshot_to before "$ns"
"$FDPCTL" run --rank 3 "$DEV" -- dd if=/dev/zero of="$DEV" bs=1M count=2 seek=16 \
	conv=notrunc status=none || _fail "fdpctl run dd"
_ruh_snapshot_to after "$ns"
_assert_ruh_drop "$before" "$after" "5:$((2 * M / lb))"
_get_attr_to got "$DEV" source_bytes
read -r _ _ _ cgroup _ _ <<<"$got"
_assert_eq "cgroup bytes" $((2 * M)) "$cgroup"
_get_attr_to nc "$DEV" nr_cgroup_ranks
_assert_eq "rank left behind" 0 "$nc"
# find /sys/fs/cgroup -name 'fdpctl-run-*' | tr '\n' ' ', with builtins.
left_behind() { # VAR
	local _p _s=
	local -a _l
	shopt -s globstar dotglob nullglob
	_l=(/sys/fs/cgroup/**/fdpctl-run-*)
	shopt -u globstar dotglob nullglob
	for _p in "${_l[@]}"; do _s+="$_p "; done
	printf -v "$1" '%s' "$_s"
}
left_behind got
_assert_eq "cgroup left behind" "" "$got"

# Its exit status is timeout(1)'s: the command's; 126 found but not
# executable, 127 not found, 128 + N killed by signal N; 125 for
# fdpctl's own failure, usage errors too.
# -o json: the command's stdout goes to stderr, the JSON stands alone.
rc=0
json=$(exec "$FDPCTL" run --rank 1 "$DEV" -o json -- sh -c 'echo out; exit 3' 2>/dev/null) || rc=$?
_assert_eq "status" 3 "$rc"
out=$("$FDPCTL" run --rank 1 "$DEV" -- /nonexistent 2>&1 && echo "status 0" || echo "status $?")
_assert_eq "missing command" "fdpctl: /nonexistent: No such file or directory
status 127" "$out"
rc=0
j=$(exec "$FDPCTL" run --rank 1 "$DEV" -o json -- /etc/passwd 2>/dev/null) || rc=$?
# One jq for both documents, a line each.
got=$(exec jq -cn --argjson rc "$rc" '(input | [.device, .rank, .command_status]),
	(input | [.command_status, $rc])' <<<"$json"$'\n'"$j")
{ read -r j_run; read -r j_noexec; } <<<"$got"
_assert_eq "run -o json" "[\"${DEV#/dev/}\",1,3]" "$j_run"
_assert_eq "run -o json, not executable" "[null,126]" "$j_noexec"
_status_to rc "$FDPCTL" run --rank 1 "$DEV" -- false
_assert_eq "run false" 1 "$rc"
_status_to rc "$FDPCTL" run --rank 1 "$DEV" -- sh -c 'kill -9 $$'
_assert_eq "run, killed by SIGKILL" 137 "$rc"
_status_to rc "$FDPCTL" run --rank 1 "$DEV"
_assert_eq "usage without --" 125 "$rc"
_status_to rc "$FDPCTL" run "$DEV" -- true
_assert_eq "usage without a rank" 125 "$rc"
_status_to rc "$FDPCTL" run --rank 1 /dev/fdpblk999 -- true
_assert_eq "no such device" 125 "$rc"
left_behind got
_assert_eq "cgroup left behind" "" "$got"

# SIGINT, SIGTERM or SIGHUP to fdpctl run goes to the command; fdpctl
# then removes the cgroup and the rank, and exits as the command did. A
# background job of a script starts with SIGINT ignored (and bash cannot
# undo that), so python puts SIGINT back to its default before it execs
# fdpctl, as an interactive shell's foreground job has it. The wait polls
# with builtins, for up to a minute.
for sig in INT TERM HUP; do
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$FDPCTL" run --rank 5 "$DEV" -- sleep 30 &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		procs=
		read -r procs 2>/dev/null < "/sys/fs/cgroup/fdpctl-run-$pid/cgroup.procs" || true
		[ -n "$procs" ] && break
		_sleep 0.1
	done
	json=$(exec "$FDPCTL" rank list "$DEV" -o json)
	got=$(exec jq -c '.cgroups | map([.path, .rank])' <<<"$json")
	_assert_eq "SIG$sig: the rank, while it runs" "[[\"/sys/fs/cgroup/fdpctl-run-$pid\",5]]" "$got"
	kill -$sig $pid
	rc=0
	wait $pid || rc=$?
	_assert_eq "SIG$sig: the command's status" $((128 + $(kill -l $sig))) "$rc"
	_get_attr_to nc "$DEV" nr_cgroup_ranks
	_assert_eq "SIG$sig: rank left behind" 0 "$nc"
	left_behind got
	_assert_eq "SIG$sig: cgroup left behind" "" "$got"
done

# Below the caller's cgroup, not the root: a caller in a leaf ($nest/caller,
# which holds it, so that cgroup v2 allows no io below it) gets its cgroup
# next to its own, in $nest, which enables io; the rank holds there.
ctl="+io"
read -r ctls < /sys/fs/cgroup/cgroup.controllers
[[ " $ctls " == *" memory "* ]] && ctl="+io +memory"
echo "$ctl" > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p "$nest/caller" "$flat"
echo "$ctl" > "$nest/cgroup.subtree_control"
where=$(_in_cgroup "$nest/caller" "$FDPCTL" run --rank 3 "$DEV" -- cat /proc/self/cgroup)
[[ $where == "0::/fdpctl-test-nest/fdpctl-run-"* ]] || _fail "run's cgroup, called from $nest/caller: $where"
_ruh_snapshot_to before "$ns"
_in_cgroup "$nest/caller" "$FDPCTL" run --rank 3 "$DEV" -- dd if=/dev/zero of="$DEV" bs=1M count=1 \
	seek=24 oflag=direct status=none || _fail "fdpctl run dd, nested"
_ruh_snapshot_to after "$ns"
_assert_ruh_drop "$before" "$after" "5:$((M / lb))"
left_behind got
_assert_eq "nested: cgroup left behind" "" "$got"
# A caller's cgroup that holds it right below the root: refused (125),
# never made at the root instead.
rc=0
err=$(_in_cgroup "$flat" "$FDPCTL" run --rank 3 "$DEV" -- true 2>&1) || rc=$?
_assert_eq "a caller below the root: status" 125 "$rc"
[[ $err == "fdpctl: $flat: holds processes, so cgroup v2 lets it enable io for no cgroup below it"* ]] ||
	_fail "a caller below the root: $err"
left_behind got
_assert_eq "a caller below the root: cgroup left behind" "" "$got"
_pass
