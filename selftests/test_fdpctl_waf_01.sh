#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl waf around a command reports the host and media
# bytes of exactly that interval from the device's FDP statistics (and
# WAF 1.0: QEMU models no garbage collection), agrees with the RUAMW the
# command consumed, fails when the command fails, keeps the command's
# output out of its JSON, and without a command reports the totals fdpctl
# stats shows.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme jq
_require_ns FDPBLK_NS_FDP8

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
_set_attr "$DEV" default_ph 4

before=$(_ruh_snapshot "$ns")
json=$("$FDPCTL" waf "$ns" -o json -- "$FDP_IO" write "$DEV" 2M 1536K --mode buffered)
after=$(_ruh_snapshot "$ns")
_assert_ruh_drop "$before" "$after" "4:$((1536 * 1024 / lb))"
_assert_eq "interval" '["command","1572864","1572864",1,0]' \
	"$(jq -c '[.interval, .host_bytes, .media_bytes, .waf, .command_status]' <<<"$json")"

out=$("$FDPCTL" waf "$DEV" -- "$FDP_IO" write "$DEV" 4M 64K --bs 64K)
grep -q "^host bytes written: *65536$" <<<"$out" || _fail "normal output: $out"
grep -q "^WAF: *1.000$" <<<"$out" || _fail "normal output: $out"

# -o json: the command's stdout goes to stderr; stdout is the JSON alone.
err=$("$FDPCTL" waf "$ns" -o json -- echo from-the-command 2>&1 >"$TMPDIR/waf.json")
_assert_eq "the command's stdout under -o json" from-the-command "$err"
_assert_eq "the JSON alone" '["command",0]' "$(jq -c '[.interval, .command_status]' "$TMPDIR/waf.json")"

rc=0
err=$("$FDPCTL" waf "$ns" -- sh -c "exit 7" 2>&1 >/dev/null) || rc=$?
_assert_eq "waf exit around a failing command" 1 "$rc"
_assert_eq "waf error around a failing command" "fdpctl: sh: exited with status 7" "$err"
_assert_eq "lifetime = stats" "$("$FDPCTL" stats "$ns" -o json | jq -c '[.hbmw, .mbmw]')" \
	"$("$FDPCTL" waf "$ns" -o json | jq -c '[.host_bytes, .media_bytes]')"
_pass
