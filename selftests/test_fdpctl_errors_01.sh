#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: every way fdpctl can fail gets one line on stderr naming the
# cause, and a non-zero exit: a missing device, a device that is not NVMe,
# a namespace without FDP, no permission (an unprivileged user), io_uring
# disabled in the kernel, no module loaded, bad arguments.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd setpriv
_require_ns FDPBLK_NS_FDP8 FDPBLK_NS_PLAIN

err_case() { # STATUS PATTERN ARGS...: fdpctl ARGS fails with STATUS, one line
	local want=$1 pattern=$2 out rc=0
	shift 2
	# One process: under the ERR trap, $(CMD) forks twice, $(exec CMD) once.
	out=$(exec "$FDPCTL" "$@" 2>&1 >/dev/null) || rc=$?
	_assert_eq "fdpctl $*: status" "$want" "$rc"
	# Builtins, not wc and grep: every fork costs in the TCG guest.
	[[ $out != *$'\n'* ]] || _fail "fdpctl $*: more than one line: $out"
	[[ $out == "fdpctl: "*"$pattern"* ]] || _fail "fdpctl $*: unclear: $out"
}
ns=$FDPBLK_NS_FDP8
# An fdpblk device node that does not exist, whatever devices there are.
absent_dev() {
	local n=0
	while [ -e "/dev/fdpblk$n" ]; do n=$((n + 1)); done
	absent=/dev/fdpblk$n
}
absent_dev

err_case 1 "fdpblk-control: not found: is fdpblk.ko loaded?" features
err_case 1 "fdpblk-control: not found: is fdpblk.ko loaded?" create "$ns"
for cmd in status configs usage stats events waf; do
	err_case 1 "/dev/nvme9n9: no such device" $cmd /dev/nvme9n9
	err_case 1 "/dev/null: not an NVMe namespace" $cmd /dev/null
	err_case 1 "$FDPBLK_NS_PLAIN: the namespace has no FDP (its controller does not support it)" \
		$cmd "$FDPBLK_NS_PLAIN"
done
err_case 1 "$absent: no such fdpblk device" status "$absent"

_create_dev "$ns"
err_case 1 "$FDPBLK_NS_PLAIN: no FDP write streams: use --passthrough" create "$FDPBLK_NS_PLAIN"
err_case 1 "/dev/nvme9n9: no such device" create /dev/nvme9n9
err_case 1 "$ns: in use" create "$ns"
absent_dev
err_case 1 "$absent: no such fdpblk device" remove "$absent"
err_case 1 "/dev/sda: not an fdpblk device" policy show /dev/sda

# Unprivileged: the char devices and the control device are root's.
# (setpriv execs fdpctl: one process less than a function around it.)
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups "$FDPCTL")
for args in "status $ns" "stats $ns" "policy show $DEV" "rank list $DEV" "create $FDPBLK_NS_PLAIN"; do
	out=$(exec "${nobody[@]}" $args 2>&1 >/dev/null) && _fail "unprivileged $args succeeded"
	[[ $out != *$'\n'* ]] || _fail "unprivileged $args: more than one line: $out"
	[[ $out == "fdpctl: "*"permission denied"* ]] || _fail "unprivileged $args: unclear: $out"
done

# A kernel whose io_uring is off.
old=$(</proc/sys/kernel/io_uring_disabled)
trap 'trap - ERR; set +e; echo "$old" > /proc/sys/kernel/io_uring_disabled; _cleanup_devs' EXIT
echo 2 > /proc/sys/kernel/io_uring_disabled
err_case 1 "$ns: io_uring is disabled (sysctl kernel.io_uring_disabled)" status "$ns"
err_case 1 "${ns##*/}: io_uring is disabled" policy auto "$DEV"
echo "$old" > /proc/sys/kernel/io_uring_disabled

# Bad arguments: usage errors exit 2.
err_case 2 "nosuch: unknown command" nosuch
err_case 2 "-o xml: must be normal or json" status "$ns" -o xml
err_case 2 "--streams 0: must be 1..255" create "$ns" --streams 0
err_case 2 "--range 5: must be START+LEN" rank set "$DEV" --range 5 1
err_case 2 "rank x: must be 0..4294967295" rank set "$DEV" --range 0+8 x
err_case 2 "--interval 0: must be 0.1..3600 seconds" top "$DEV" --interval 0
err_case 2 "status: --bogus: unknown option" status "$ns" --bogus
err_case 2 "status: wrong arguments (usage: fdpctl status NAMESPACE" status
# -o is checked by every command (run's is checked the same way before its
# "--"); a bad value is a usage error, and nothing is done.
for args in "list" "features" "status $ns" "configs $ns" "usage $ns" "stats $ns" \
	    "events $ns" "waf $ns" "top $DEV --count 1" "policy show $DEV" \
	    "policy auto $DEV" "rank list $DEV" "create $FDPBLK_NS_PLAIN" \
	    "remove $DEV" "rank set $DEV --range 0+8 1"; do
	rc=0
	out=$(exec "$FDPCTL" $args -o xml 2>&1 >/dev/null) || rc=$?
	_assert_eq "fdpctl $args -o xml: status" 2 "$rc"
	_assert_eq "fdpctl $args -o xml" "fdpctl: -o xml: must be normal or json" "$out"
done
rc=0
out=$(exec "$FDPCTL" run --rank 1 -o xml "$DEV" -- true 2>&1 >/dev/null) || rc=$?
_assert_eq "fdpctl run -o xml: status (fdpctl's own failure around a command)" 125 "$rc"
_assert_eq "fdpctl run -o xml" "fdpctl: -o xml: must be normal or json" "$out"
[ -b "$DEV" ] || _fail "remove -o xml removed $DEV"
got=
_get_attr_to got "$DEV" nr_range_ranks
_assert_eq "ranks after rank set -o xml" 0 "$got"

# A namespace's char device (/dev/ngXnY) names the same namespace.
ng=/dev/ng${ns#/dev/nvme}
[ -c "$ng" ] || _fail "no char device $ng"
for cmd in status configs stats; do
	by_ns=$(exec "$FDPCTL" $cmd "$ns" -o json)
	by_ng=$(exec "$FDPCTL" $cmd "$ng" -o json)
	_assert_eq "fdpctl $cmd $ng" "$by_ns" "$by_ng"
done
_pass
