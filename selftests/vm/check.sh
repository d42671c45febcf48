#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build the test-bed kernel (cached),
# fdpblk.ko, fdpctl and the selftests, prove that the runner can fail, then
# run the whole suite in the test VM. Ends with "N passed, N failed, N
# skipped" and exits non-zero on any failed test or kernel report.
#
#   check.sh [TEST...]     run only these tests (names as in selftests/)

set -euo pipefail
. "$(dirname "$0")/common.sh"

start=$SECONDS
"$FDPBLK_VM/setup-host.sh"
kb=$("$FDPBLK_VM/build-kernel.sh")
ksrc=$(fdpblk_ksrc_dir)
echo "check: kernel $kb ($((SECONDS - start))s)"

pass=0 fail=0 skip=0
host_result() { # ok|fail|skip DESCRIPTION [REASON]
	case $1 in
	ok) echo "ok - host: $2"; pass=$((pass + 1)) ;;
	skip) echo "ok - host: $2 # SKIP $3"; skip=$((skip + 1)) ;;
	*) echo "not ok - host: $2"; fail=$((fail + 1)) ;;
	esac
}

# Build from clean so that every compiler warning is seen: the module with
# W=1, fdpctl and the C tests with -Werror.
make -s -C "$FDPBLK_TOP" clean >/dev/null
out=$(make -s -C "$FDPBLK_TOP" KDIR="$kb" W=1 modules 2>&1)
if [ -z "$out" ]; then
	host_result ok "kmod/ builds with W=1 and no warning"
else
	echo "$out"
	host_result fail "kmod/ builds with W=1 and no warning"
fi
make -s -C "$FDPBLK_TOP" KDIR="$kb" userspace >/dev/null
make -s -C "$FDPBLK_TOP/selftests" KSRC="$ksrc" KBUILD="$kb" >/dev/null

# Static checks of the kernel code: checkpatch --strict and sparse.
kfiles=$(cd "$FDPBLK_TOP" && ls kmod/*.[ch] uapi/linux/fdpblk.h | grep -v '\.mod\.c$')
out=$(cd "$FDPBLK_TOP" && perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree \
	--terse -f $kfiles 2>&1 | grep -v '^total: 0 errors, 0 warnings, 0 checks' || true)
if [ -z "$out" ]; then
	host_result ok "checkpatch --strict: kmod/ and uapi/ clean"
else
	echo "$out"
	host_result fail "checkpatch --strict: kmod/ and uapi/ clean"
fi
# sparse over a module directory: its messages. Debian's sparse 0.6.4
# needs vm/sparse-shim.h for 7.3 (given to sparse only); a sparse that
# understands the headers runs without it.
sparse_msgs() { # SHIM DIR
	{ make -s -C "$kb" M="$2" C=2 CF="$1" modules 2>&1 || true; } |
		{ grep -E ':[0-9]+:[0-9]+: (warning|error):' || true; }
}
if ! command -v sparse >/dev/null; then
	echo "sparse is not installed"
	host_result fail "sparse (make C=2): kmod/ clean"
else
	shim=
	[ "$("$ksrc/scripts/checker-valid.sh" sparse -D__x86_64__ 2>/dev/null)" = 1 ] ||
		shim="-include $FDPBLK_VM/sparse-shim.h"
	canary=$(mktemp -d)
	cp "$FDPBLK_VM"/sparse-canary/* "$canary"
	if sparse_msgs "$shim" "$canary" | grep -q "canary.c:.*different address spaces"; then
		host_result ok "sparse catches a __user misuse (canary module)"
	else
		host_result fail "sparse catches a __user misuse (canary module)"
	fi
	rm -rf "$canary"
	out=$(sparse_msgs "$shim" "$FDPBLK_TOP")
	if [ -z "$out" ]; then
		host_result ok "sparse (make C=2): kmod/ clean${shim:+ (with vm/sparse-shim.h)}"
	else
		echo "$out"
		host_result fail "sparse (make C=2): kmod/ clean"
	fi
fi

# Runner self-check: a failing test and a kernel WARNING must each fail a run.
if [ "${FDPBLK_SELFCHECK:-1}" = 1 ]; then
	log=$(mktemp)
	rc=0
	"$FDPBLK_VM/run-vm.sh" --name selfcheck --timeout 600 -- \
		selftests/vm/selfcheck/guest.sh >"$log" 2>&1 || rc=$?
	run=$(ls -td "$FDPBLK_RESULTS"/selfcheck-* | head -1)
	if [ "$rc" != 0 ] && grep -qx "0 passed, 1 failed, 0 skipped" "$run/output" &&
	   [ "$(cat "$run/status" 2>/dev/null)" = 1 ]; then
		host_result ok "runner self-check: a failing test fails the run"
	else
		cat "$log"
		host_result fail "runner self-check: a failing test fails the run"
	fi
	if [ "$rc" != 0 ] && grep -q "verdict: kernel reports" "$log" &&
	   grep -q "WARNING:.*lkdtm" "$log"; then
		host_result ok "runner self-check: a kernel WARNING fails the run"
	else
		cat "$log"
		host_result fail "runner self-check: a kernel WARNING fails the run"
	fi
	rm -f "$log"
fi

rc=0
"$FDPBLK_VM/run-vm.sh" --name check --timeout 3000 -- \
	selftests/run_suite.sh "$@" || rc=$?
run=$(ls -td "$FDPBLK_RESULTS"/check-* | head -1)
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$run/output" | tail -1 || true)
if [ -z "$summary" ]; then
	host_result fail "guest suite did not finish (see $run)"
else
	read -r p _ f _ s _ <<<"$summary"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
fi
if [ -e "$run/kernel-clean" ]; then
	host_result ok "guest kernel log clean, no unexpected taint, no leaks"
else
	host_result fail "guest kernel log clean, no unexpected taint, no leaks"
fi
if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
	host_result fail "guest run exited $rc"
fi
echo "check: results in $run, $((SECONDS - start))s in all"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
