#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run fdpblk selftests with the kernel's kselftest runner and print KTAP,
# then one line "N passed, N failed, N skipped". Exits non-zero when any test
# failed. Runs inside the test VM (vm/check.sh boots it):
#
#   run_suite.sh [--suite DIR] [--list FILE] [TEST...]
#       default: every test DIR's Makefile lists (DIR: this directory);
#       a TEST is a name in DIR or an absolute path. --list FILE: what
#       `make emit_tests count_tests` printed in DIR, made beforehand
#       (vm/check.sh makes it on the host: in the VM a make costs half a
#       minute); it is checked as a list from make is.
#
# The verdict admits no other outcome than pass and skip: the kselftest
# runner's XFAIL (exit 2: what bash returns on a syntax error or a bad
# substitution, before any trap runs), a timeout or any other status is a
# failure. Inside the test VM (FDPBLK_IN_VM=1) a skip is a failure too: the
# test bed provides every tool and device the tests need, so a skip there is
# a test-bed defect. The run fails unless exactly as many tests ran as were
# listed, and when that number is 0.

set -o pipefail
[[ $0 == */* ]] && here=${0%/*} || here=.
here=$(cd "$here" && pwd)

# The kselftest runner writes each test's output through a reopened
# /dev/stdout (4>>"$logfile"). Where stdout is a regular file that is a
# second open file, whose appends the runner's own writes then overwrite:
# every line a test printed, its FAIL reason too, is lost. Write to a pipe.
if [ ! -p /dev/stdout ] && [ ! -t 1 ]; then
	"$0" "$@" | cat
	exit "${PIPESTATUS[0]}"
fi
suite=$here
list=
while [ $# -gt 0 ]; do
	case $1 in
	--suite) suite=$(cd "$2" && pwd) || exit 1; shift 2 ;;
	--list) [[ $2 == /* ]] && list=$2 || list=$PWD/$2; shift 2 ;;
	*) break ;;
	esac
done
cd "$suite" || exit 1

: "${FDPBLK_KSRC:?FDPBLK_KSRC must name the unpacked kernel source}"
BASE_DIR=$FDPBLK_KSRC/tools/testing/selftests
# shellcheck disable=SC1091
. "$BASE_DIR/kselftest/runner.sh"

bail() {
	echo "Bail out! $*"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

if [ $# -gt 0 ]; then
	tests=("$@")
else
	# The list and its length, each from the Makefile, each checked: a
	# failing make must not turn into a short or empty list. One make
	# prints both (the count last): a make costs half a minute in the VM.
	if [ -n "$list" ]; then
		out=$(< "$list") || bail "cannot read the test list $list"
	else
		out=$(make -s --no-print-directory -C "$suite" KSRC="$FDPBLK_KSRC" \
			KBUILD="$FDPBLK_KBUILD" emit_tests count_tests) ||
			bail "make emit_tests count_tests failed in $suite"
	fi
	# Builtins only: in the VM every process costs a good part of a second.
	mapfile -t lines <<<"$out"
	listed=${lines[-1]}
	[[ $listed =~ ^[0-9]+$ ]] || bail "make count_tests printed no count in $suite"
	tests=()
	for l in "${lines[@]:0:${#lines[@]}-1}"; do
		[[ $l != *:* ]] || tests+=("${l#*:}")
	done
	[ "${#tests[@]}" = "$listed" ] ||
		bail "make emit_tests gave ${#tests[@]} tests, the Makefile lists $listed"
fi
[ "${#tests[@]}" -gt 0 ] || bail "no tests to run"
paths=()
for t in "${tests[@]}"; do
	case $t in
	/*) paths+=("$t") ;;
	*) paths+=("$suite/$(basename "$t")") ;;
	esac
done

# Our settings file (lib.mk installs it beside the tests); the runner looks
# for one below BASE_DIR only. The per-test timeout is documented there.
while IFS='=' read -r key value; do
	# shellcheck disable=SC2034 # read by runner.sh
	case $key in
	timeout) kselftest_default_timeout=$value ;;
	esac
done < "$here/settings"

# Two costs of the kernel's runner that buy nothing here, where every
# process costs a good fraction of a second (TCG, KASAN, kmemleak): the
# three tr per test that derive a KSELFTEST_<TEST>_ARGS name (no test takes
# such arguments), and prefix.pl, which reads a test's output one byte per
# system call. sed -u prefixes the same lines, unbuffered.
# shellcheck disable=SC2034 # read by runner.sh
TR_CMD=
tap_prefix() { sed -u -e 's/^/# /'; }

# Outcomes other than pass and skip are failures (see the top).
ktap_test_xfail() { ktap_test_fail "$1 # exit=2 (not an expected failure: a shell syntax error?)"; }
if [ "${FDPBLK_IN_VM:-0}" = 1 ]; then
	ktap_test_skip() { ktap_test_fail "$1 # SKIP in the test VM: a test-bed defect"; }
fi

# The processes made since boot (/proc/stat), with builtins: a test's
# count beside its time shows where the time went.
forks_to() { # VAR
	local key val
	while read -r key val _; do
		[ "$key" = processes ] || continue
		printf -v "$1" %s "$val"
		return
	done < /proc/stat
	printf -v "$1" %s 0
}

ktap_print_header
ktap_set_plan "${#paths[@]}"
for t in "${paths[@]}"; do
	t0=$SECONDS
	forks_to f0
	run_one "fdpblk" "$t"
	forks_to f1
	ktap_print_msg "${t##*/}: $((SECONDS - t0)) s, $((f1 - f0)) processes"
	cd "$suite" || exit 1
done
ktap_print_totals
ran=$((KTAP_TESTNO - 1))
failed=$((ran - KTAP_CNT_PASS - KTAP_CNT_SKIP))
if [ "$ran" != "${#paths[@]}" ]; then
	echo "Bail out! $ran tests ran, ${#paths[@]} were listed"
	failed=$((failed + 1))
fi
echo "$KTAP_CNT_PASS passed, $failed failed, $KTAP_CNT_SKIP skipped"
[ "$failed" = 0 ]
