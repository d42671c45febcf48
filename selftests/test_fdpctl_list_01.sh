#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl list shows every NVMe namespace with its FDP state as
# the device reports it (supported, enabled, handles, reclaim unit size,
# reclaim groups, char device) and every fdpblk device with its lower
# namespace, policy version and name; the JSON is read with jq, and
# --noheadings --raw gives lsblk's layout. A device is found by its name
# wherever fdpctl takes a device, and a name is unique. create and remove
# -o json print the device as list does.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd jq
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_FDP4 FDPBLK_NS_PLAIN

_create_dev "$FDPBLK_NS_FDP8" --streams 12 --name db-log.1
name=$(basename "$DEV")
_assert_eq "sysfs name" db-log.1 "$(cat "$(_attr_dir "$DEV")/name")"
_set_attr "$DEV" default_ph 3
json=$("$FDPCTL" list -o json)

ns() { # NS FIELD
	jq -c --arg ns "$1" ".namespaces[] | select(.namespace == \$ns) | $2" <<<"$json"
}
for v in FDPBLK_NS_FDP8:8:8388608 FDPBLK_NS_FDP4:4:16777216; do
	IFS=: read -r var handles ru <<<"$v"
	n=${!var}
	_assert_eq "$n FDP" '[true,true]' "$(ns "$n" '[.fdp_supported, .fdp_enabled]')"
	_assert_eq "$n handles, RU, groups, endgid" "[$handles,$ru,1,1]" \
		"$(ns "$n" '[.handles, .ru_bytes, .reclaim_groups, .endgid]')"
	_assert_eq "$n streams" "$handles" "$(ns "$n" .max_write_streams)"
	_assert_eq "$n char device" "\"/dev/ng${n#/dev/nvme}\"" "$(ns "$n" .chardev)"
done
_assert_eq "fdp8 holder" "\"$name\"" "$(ns "$FDPBLK_NS_FDP8" .fdpblk)"
_assert_eq "fdp4 holder" null "$(ns "$FDPBLK_NS_FDP4" .fdpblk)"
_assert_eq "plain FDP" '[false,false,null,0]' \
	"$(ns "$FDPBLK_NS_PLAIN" '[.fdp_supported, .fdp_enabled, .handles, .max_write_streams]')"

_assert_eq "devices" \
	"[{\"device\":\"$name\",\"path\":\"$DEV\",\"dev_id\":${name#fdpblk},\"name\":\"db-log.1\",\"lower\":\"$(basename "$FDPBLK_NS_FDP8")\",\"passthrough\":false,\"handles\":8,\"streams\":12,\"policy_version\":2,\"range_ranks\":0,\"cgroup_ranks\":0}]" \
	"$(jq -c .devices <<<"$json")"

# The normal output: one line per namespace and per device.
out=$("$FDPCTL" list)
grep -Eq "^$(basename "$FDPBLK_NS_FDP8") +/dev/ng[0-9]+n1 +enabled +8 +8 MiB +1 +1 +8 +$name\$" <<<"$out" ||
	_fail "normal output, FDP namespace: $out"
grep -Eq "^$(basename "$FDPBLK_NS_PLAIN") +/dev/ng[0-9]+n1 +no +- " <<<"$out" ||
	_fail "normal output, plain namespace: $out"
grep -Eq "^$name +$(basename "$FDPBLK_NS_FDP8") +8 +12 +v2 +0 +0 +db-log.1\$" <<<"$out" ||
	_fail "normal output, device: $out"
# As lsblk -nr: no headers, single spaces, the RU size in bytes.
out=$("$FDPCTL" list --noheadings --raw)
[[ $out != *NAMESPACE* && $out != *DEVICE* ]] || _fail "list -nr: a header: $out"
[[ $'\n'$out$'\n' == *$'\n'"$(basename "$FDPBLK_NS_FDP8") /dev/ng"*"n1 enabled 8 8388608 1 1 8 $name"$'\n'* ]] ||
	_fail "list -nr, FDP namespace: $out"
[[ $out == *$'\n'"$name $(basename "$FDPBLK_NS_FDP8") 8 12 v2 0 0 db-log.1" ]] ||
	_fail "list -nr, device: $out"

# By name: the same device as by path; a taken name is refused.
_assert_eq "policy by name" "$("$FDPCTL" policy show "$DEV")" \
	"$("$FDPCTL" policy show db-log.1)"
if err=$("$FDPCTL" create "$FDPBLK_NS_FDP4" --name db-log.1 2>&1); then
	_fail "a second device named db-log.1 was created"
fi
grep -q -- "--name db-log.1: an fdpblk device of that name exists" <<<"$err" ||
	_fail "taken name: $err"
_assert_eq "no second device" 1 "$(ls -d /sys/block/fdpblk* | wc -l)"
if err=$("$FDPCTL" create "$FDPBLK_NS_FDP4" --name fdpblk9 2>&1); then
	_fail "the reserved name fdpblk9 was taken"
fi
grep -q -- "--name fdpblk9: 1..31 characters" <<<"$err" || _fail "reserved name: $err"

# -o json: create and remove print the device's object, list's keys.
json=$("$FDPCTL" create "$FDPBLK_NS_FDP4" --name j1 -o json)
dev=$(jq -r .path <<<"$json")
FDPBLK_DEVS+=("$dev")
[ -b "$dev" ] || _fail "create -o json: no device $dev: $json"
_assert_eq "create -o json" "[\"create\",true,true,\"j1\",\"$(basename "$FDPBLK_NS_FDP4")\"]" \
	"$(jq -c '[.action, .path == "/dev/\(.device)", .device == "fdpblk\(.dev_id)", .name, .lower]' <<<"$json")"
_assert_eq "remove -o json" "$(jq -c '.action = "remove"' <<<"$json")" \
	"$("$FDPCTL" remove "$dev" -o json | jq -c .)"
_wait_path gone "$dev" || _fail "remove -o json left $dev"
_pass
