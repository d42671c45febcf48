#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: configuration files and fdpctl apply/save. A configuration
# naming the namespace by its wwid creates the device with the file's name,
# streams, policy (pid:P too) and ranks; a second apply changes nothing
# (policy_version unchanged); save then apply is a no-op; --dry-run shows
# the change and makes none; ranks become exactly the file's (an extra one
# is cleared); a configuration of an absent namespace is skipped (exit 3)
# while the others apply; a bad file is refused with FILE:LINE and changes
# nothing; a kernel name as lower is refused. A hinted write and a write in
# a ranked range land on the configured handles (device RUAMW).

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP4
grep -qw io /sys/fs/cgroup/cgroup.controllers || _skip "no cgroup2 io controller"

ns=$FDPBLK_NS_FDP4
lb=$(_lbsize "$ns")
read -r wwid < "/sys/block/${ns##*/}/wwid"
conf=$TMPDIR/fdpblk-conf
saved=$TMPDIR/fdpblk-saved
# Its own directory: another test may have left a file of any name in $TMPDIR.
baddir=$TMPDIR/fdpblk-apply-bad
cg=/sys/fs/cgroup/fdpctl-apply-test
export FDPBLK_CONFIG_DIR=$conf
trap 'trap - ERR; set +e; "$FDPCTL" remove apptest >/dev/null 2>&1;
      rmdir "$cg" 2>/dev/null; rm -rf "$conf" "$saved" "$baddir"; _cleanup_devs' EXIT
rm -rf "$conf" "$saved" "$baddir"
mkdir -p "$conf" "$saved" "$baddir" "$cg"
_load_module

# ph k is the k-th RUH status descriptor; with fdp.ruhs=0-3, PID k-1.
# ids PH: how a policy change line names ph PH beside nvme-cli's placement
# ID and RUH id of its descriptor; the table save writes, as nvme-cli
# reads the handles.
ruhs=$(exec nvme fdp status "$ns" -o json) || _fail "nvme fdp status $ns"
ruh_ids=$(exec jq -r '.ruhss[] | "\(.pid) \(.ruhid)"' <<<"$ruhs")
[ "$(jq '.ruhss | length' <<<"$ruhs")" -ge 4 ] || _fail "nvme fdp status $ns: $ruhs"
ids() { _change_ids "$ruh_ids" "$@"; }
write_conf() { # DEFAULT_PH
	cat > "$conf/apptest.conf" <<-EOF
	# the test's device
	lower = $wwid
	streams = 6

	[policy]
	default = $1
	hint.short = pid:3
	data_pool = 3 4

	[ranks]
	range 0 2048 1
	cgroup fdpctl-apply-test 0
	EOF
}
write_conf 2

# The first apply creates it, with everything the file says.
out=$("$FDPCTL" apply --all) || _fail "apply: status $?"
grep -qx "apptest: create: /dev/fdpblk[0-9]* on ${ns##*/} ($wwid), 6 streams" <<<"$out" ||
	_fail "apply did not say it created the device: $out"
grep -qx "apptest: policy default: 0 -> 2$(ids 2)" <<<"$out" || _fail "no policy change line: $out"
grep -qx "apptest: rank range 0+2048: none -> 1" <<<"$out" || _fail "no rank line: $out"
DEV=/dev/$(grep -lx apptest /sys/block/fdpblk*/fdpblk/name | cut -d/ -f4)
[ -b "$DEV" ] || _fail "no device named apptest"
FDPBLK_DEVS+=("$DEV")
_assert_eq "lower" "${ns##*/}" "$(_get_attr "$DEV" lower)"
_assert_eq "streams" 6 "$(_get_attr "$DEV" nr_streams)"
_assert_eq "default_ph" 2 "$(_get_attr "$DEV" default_ph)"
_assert_eq "hint_map (hint.short = pid:3 is ph 4)" "0 1 4 3 4 0" "$(_get_attr "$DEV" hint_map)"
_assert_eq "data_pool" "3 4" "$(_get_attr "$DEV" data_pool)"
_assert_eq "ranks" "[[[0,2048,1]],[[\"$cg\",0]]]" \
	"$("$FDPCTL" rank list apptest -o json |
	   jq -c '[(.ranges | map([.start, .nr_sectors, .rank])), (.cgroups | map([.path, .rank]))]')"
ver=$(_get_attr "$DEV" policy_version)

# Idempotent: nothing to do, no version bump.
_assert_eq "second apply" "apptest: no change" "$("$FDPCTL" apply apptest)"
_assert_eq "policy_version after a no-op apply" "$ver" "$(_get_attr "$DEV" policy_version)"
_assert_eq "second apply -o json" '[["apptest","none"]]' \
	"$("$FDPCTL" apply --all -o json | jq -c 'map([.device, .change])')"

# save, then apply of what it wrote: no change.
"$FDPCTL" save apptest "$saved/apptest.conf" || _fail "save"
grep -qx "lower = $wwid" "$saved/apptest.conf" || _fail "save: no lower = wwid"
# Above the policy, what each ph is, as nvme-cli reads the handles.
_lines_matching got "$(<"$saved/apptest.conf")" '^# +[0-9]+ +[0-9]+ +[0-9]+  ' || true
_assert_eq "save: ph, pid, ruhid" \
	"$(jq -r '.ruhss | to_entries[] | "\(.key + 1) \(.value.pid) \(.value.ruhid)"' <<<"$ruhs")" \
	"$(awk '{ print $2, $3, $4 }' <<<"$got")"
_assert_eq "apply of save's file" "apptest: no change" \
	"$("$FDPCTL" apply "$saved/apptest.conf")"
_assert_eq "policy_version after save and apply" "$ver" "$(_get_attr "$DEV" policy_version)"

# Ranks exactly the file's: an extra range is cleared, a changed rank set.
"$FDPCTL" rank set apptest --range 8M+1M 5
"$FDPCTL" rank set apptest --range 0+2048 7
out=$("$FDPCTL" apply apptest)
grep -qx "apptest: rank range 0+2048: 7 -> 1" <<<"$out" || _fail "changed rank: $out"
grep -qx "apptest: rank range 16384+2048: 5 -> none" <<<"$out" || _fail "extra rank: $out"
_assert_eq "ranges back to the file's" "[[0,2048,1]]" \
	"$("$FDPCTL" rank list apptest -o json | jq -c '.ranges | map([.start, .nr_sectors, .rank])')"
_assert_eq "ranks alone: policy_version unchanged" "$ver" "$(_get_attr "$DEV" policy_version)"

# --dry-run shows the change and makes none.
write_conf 3
out=$("$FDPCTL" apply apptest --dry-run)
_assert_eq "dry run" "apptest: policy default: 2 -> 3$(ids 2 3)
dry run: nothing changed" "$out"
# The same in JSON: each ph with nvme-cli's placement ID and RUH id.
_assert_eq "dry run -o json: the change's handles" \
	"$(jq -c '[["default", ([2, 3] | map([., $r[. - 1].pid, $r[. - 1].ruhid]))]]' \
		--argjson r "$(jq -c .ruhss <<<"$ruhs")" -n)" \
	"$("$FDPCTL" apply apptest --dry-run -o json |
	   jq -c 'map(select(.change == "policy") | [.key, (.handles | map([.ph, .pid, .ruhid]))])')"
_assert_eq "default_ph after a dry run" 2 "$(_get_attr "$DEV" default_ph)"
_assert_eq "policy_version after a dry run" "$ver" "$(_get_attr "$DEV" policy_version)"

# An absent namespace: skipped with a message, exit 3; the others apply.
cat > "$conf/ghost.conf" <<-EOF
	lower = uuid.00000000-0000-0000-0000-0000000000ff
EOF
rc=0
err=$("$FDPCTL" apply --all 2>&1 >"$TMPDIR/out") || rc=$?
_assert_eq "apply --all with an absent namespace: status" 3 "$rc"
_assert_eq "the absent one, told" \
	"fdpctl: $conf/ghost.conf: lower = uuid.00000000-0000-0000-0000-0000000000ff: no such namespace: skipped" "$err"
_assert_eq "the other applied" "apptest: policy default: 2 -> 3$(ids 2 3)" "$(cat "$TMPDIR/out")"
_assert_eq "default_ph applied" 3 "$(_get_attr "$DEV" default_ph)"
rm "$conf/ghost.conf"
ver=$(_get_attr "$DEV" policy_version)

# Bad files: refused with FILE:LINE, nothing changed.
bad() { # WHAT FILE MESSAGE
	local rc=0 e
	e=$("$FDPCTL" apply "$2" 2>&1 >/dev/null) || rc=$?
	_assert_eq "$1: status" 1 "$rc"
	_assert_eq "$1" "fdpctl: $3" "$e"
	_assert_eq "$1: policy_version" "$ver" "$(_get_attr "$DEV" policy_version)"
	_assert_eq "$1: ranges" "[[0,2048,1]]" \
		"$("$FDPCTL" rank list apptest -o json | jq -c '.ranges | map([.start, .nr_sectors, .rank])')"
}
printf 'lower = %s\n' "${ns##*/}" > "$baddir/apptest.conf"
bad "a kernel name" "$baddir/apptest.conf" \
	"$baddir/apptest.conf:1: lower = ${ns##*/}: kernel names change between boots: name the namespace by its wwid (cat /sys/block/nvmeXnY/wwid) or a /dev/disk/by-id/ link"
printf 'lower = %s\nstreams = 6\n[policy]\ndefault = 1\nhint.long = 9\n[ranks]\nrange 0 8 1\n' "$wwid" > "$baddir/apptest.conf"
bad "a ph beyond the device" "$baddir/apptest.conf" \
	"$baddir/apptest.conf:5: hint.long = 9: ph 9 is beyond the device's 4 handles (0..4, 0 = no directive)"
printf 'lower = %s\nlower = %s\n' "$wwid" "$wwid" > "$baddir/apptest.conf"
bad "a duplicate key" "$baddir/apptest.conf" \
	"$baddir/apptest.conf:2: lower: duplicate key, first on line 1"
printf 'lower = %s\nstreams = 4\n' "$wwid" > "$baddir/apptest.conf"
bad "streams differ from the device's" "$baddir/apptest.conf" \
	"$baddir/apptest.conf: device apptest has 6 streams, the file says 4: remove the device and apply again"

# Placement as configured, on the device's RUAMW: a write in the ranked
# range (rank 1: data_pool[1 % 2] = ph 4) and a short-lived hint (pid:3 = ph 4).
len=$((256 << 10))
_check_drop "$ns" "range rank 1 -> ph 4" "4:$((len / lb))" \
	dd if=/dev/zero of="$DEV" bs=64k count=4 oflag=direct status=none
_check_drop "$ns" "hint short -> ph 4" "4:$((len / lb))" \
	"$FDP_IO" write "$DEV" $((16 << 20)) "$len" --hint 2 --mode buffered
# The cgroup's rank 0: data_pool[0] = ph 3, for a buffered write from it.
_check_drop "$ns" "cgroup rank 0 -> ph 3" "3:$((len / lb))" \
	_in_cgroup "$cg" dd if=/dev/zero of="$DEV" bs=64k count=4 seek=512 conv=fsync status=none

"$FDPCTL" remove apptest >/dev/null || _fail "remove apptest"
_pass
