#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl waf around a command reports the host and media
# bytes of exactly that interval from the device's FDP statistics (and
# WAF 1.0: QEMU models no garbage collection), agrees with the RUAMW the
# command consumed, exits as timeout(1) does around it (the command's
# status, 125, 126, 127, 128 + N), keeps the command's
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

# Around a command waf exits as timeout(1) does: the command's status,
# 126 not executable, 127 not found, 128 + N killed by signal N, and 125
# when fdpctl itself fails.
rc=0
err=$("$FDPCTL" waf "$ns" -- sh -c "exit 7" 2>&1 >/dev/null) || rc=$?
_assert_eq "waf exit around a failing command" 7 "$rc"
_assert_eq "waf error around a failing command" "fdpctl: sh: exited with status 7" "$err"
_assert_eq "waf -- false" 1 "$(_status "$FDPCTL" waf "$ns" -- false)"
_assert_eq "waf -- a missing command" 127 "$(_status "$FDPCTL" waf "$ns" -- /nonexistent)"
_assert_eq "waf -- a file not executable" 126 "$(_status "$FDPCTL" waf "$ns" -- /etc/passwd)"
_assert_eq "waf -- a command killed by SIGKILL" 137 "$(_status "$FDPCTL" waf "$ns" -- sh -c 'kill -9 $$')"
_assert_eq "waf's own failure around a command" 125 "$(_status "$FDPCTL" waf /dev/nvme9n9 -- true)"
_assert_eq "waf's usage error around a command" 125 "$(_status "$FDPCTL" waf "$ns" --)"
_assert_eq "waf's own failure without a command" 1 "$(_status "$FDPCTL" waf /dev/nvme9n9)"
rc=0
json=$("$FDPCTL" waf "$ns" -o json -- /nonexistent 2>/dev/null) || rc=$?
_assert_eq "waf -o json -- a missing command: an error document" \
	'[127,"/nonexistent: No such file or directory",2]' "$(jq -c "[$rc, .error, .errno]" <<<"$json")"
_assert_eq "lifetime = stats" "$("$FDPCTL" stats "$ns" -o json | jq -c '[.hbmw, .mbmw]')" \
	"$("$FDPCTL" waf "$ns" -o json | jq -c '[.host_bytes, .media_bytes]')"
_pass
