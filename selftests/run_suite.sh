#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run fdpblk selftests with the kernel's kselftest runner and print KTAP,
# then one line "N passed, N failed, N skipped". Exits non-zero when any test
# failed. Runs inside the test VM (vm/check.sh boots it):
#
#   run_suite.sh [TEST...]      default: every test the Makefile lists;
#                               a TEST is a name here or an absolute path

set -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

: "${FDPBLK_KSRC:?FDPBLK_KSRC must name the unpacked kernel source}"
BASE_DIR=$FDPBLK_KSRC/tools/testing/selftests
# shellcheck disable=SC1091
. "$BASE_DIR/kselftest/runner.sh"

if [ $# -gt 0 ]; then
	tests=("$@")
else
	mapfile -t tests < <(make -s --no-print-directory -C "$here" \
		KSRC="$FDPBLK_KSRC" KBUILD="$FDPBLK_KBUILD" emit_tests |
		sed -n 's/^[^:]*://p')
fi
paths=()
for t in "${tests[@]}"; do
	case $t in
	/*) paths+=("$t") ;;
	*) paths+=("$here/$(basename "$t")") ;;
	esac
done

# Our settings file (lib.mk installs it beside the tests); the runner looks
# for one below BASE_DIR only.
while IFS='=' read -r key value; do
	case $key in
	timeout) kselftest_default_timeout=$value ;;
	esac
done < <(grep -v '^#' "$here/settings")

ktap_print_header
ktap_set_plan "${#paths[@]}"
for t in "${paths[@]}"; do
	run_one "fdpblk" "$t"
	cd "$here"
done
ktap_print_totals
echo "$KTAP_CNT_PASS passed, $KTAP_CNT_FAIL failed, $KTAP_CNT_SKIP skipped"
[ "$KTAP_CNT_FAIL" = 0 ]
