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
# W=1, fdpctl and the C tests with -Werror. A failed build shows the
# compiler's output and stops the run.
build() { # DESCRIPTION COMMAND...: sets out
	local desc=$1 rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	[ "$rc" = 0 ] && return 0
	echo "$out"
	echo "check: $desc failed (exit $rc)"
	echo "$pass passed, $((fail + 1)) failed, $skip skipped"
	exit 1
}
make -s -C "$FDPBLK_TOP" clean >/dev/null
build "building kmod/" make -s -C "$FDPBLK_TOP" KDIR="$kb" W=1 modules
if [ -z "$out" ]; then
	host_result ok "kmod/ builds with W=1 and no warning"
else
	echo "$out"
	host_result fail "kmod/ builds with W=1 and no warning"
fi
# DKMS: the source tree make dkms-install installs builds under dkms
# against the test-bed kernel. Private dkms and source trees: the host's
# DKMS state is not touched.
dk=$(mktemp -d)
mkdir "$dk/tree"
krel=$(make -s -C "$kb" kernelrelease)
dver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$FDPBLK_TOP/dkms.conf")
dko=$dk/tree/fdpblk/$dver/$krel/$(uname -m)/module/fdpblk.ko
dkms_opts=(--dkmstree "$dk/tree" --sourcetree "$dk/root/usr/src" -m fdpblk -v "$dver")
if out=$( { make -s -C "$FDPBLK_TOP" DESTDIR="$dk/root" dkms-install &&
	    dkms add "${dkms_opts[@]}" &&
	    dkms build "${dkms_opts[@]}" -k "$krel" --kernelsourcedir "$kb"; } 2>&1) &&
   [ "$(modinfo -F vermagic "$dko" 2>/dev/null | cut -d' ' -f1)" = "$krel" ]; then
	host_result ok "dkms build of fdpblk $dver against $krel"
else
	echo "$out"
	cat "$dk/tree/fdpblk/$dver/build/make.log" 2>/dev/null || true
	host_result fail "dkms build of fdpblk $dver against $krel"
fi
rm -rf "$dk"
build "building fdpctl" make -s -C "$FDPBLK_TOP" KDIR="$kb" FDPCTL_WERROR=1 userspace
# fdpctl's parsers and policy files, on the host: no device, no VM.
if out=$(make -s -C "$FDPBLK_TOP/userspace" test 2>&1); then
	host_result ok "fdpctl unit tests (make -C userspace test)"
else
	grep -v '^ok ' <<<"$out"
	host_result fail "fdpctl unit tests (make -C userspace test)"
fi
# The systemd units as make install writes them, fdpctl and modprobe where
# they are on this host (verify wants the commands to exist), the man page
# their Documentation= names on MANPATH. Offline: no running systemd needed.
su=$(mktemp -d)
mkdir -p "$su/man/man8"
cp "$FDPBLK_TOP/userspace/fdpctl.8" "$su/man/man8/"
for u in fdpblk.service fdpblk-apply@.service; do
	sed -e "s|@SBINDIR@|$FDPBLK_TOP/userspace|g" -e "s|@MODPROBE@|$(command -v modprobe)|g" \
	    "$FDPBLK_TOP/userspace/systemd/$u.in" > "$su/$u"
done
if out=$(cd "$su" && MANPATH=$su/man systemd-analyze verify ./fdpblk.service \
	 ./fdpblk-apply@.service 2>&1) && [ -z "$out" ]; then
	host_result ok "systemd-analyze verify: fdpblk.service, fdpblk-apply@.service"
else
	echo "$out"
	host_result fail "systemd-analyze verify: fdpblk.service, fdpblk-apply@.service"
fi
rm -rf "$su"
build "building the selftest helpers" make -s -C "$FDPBLK_TOP/selftests" KSRC="$ksrc" KBUILD="$kb"
build "building the self-check module" make -s -C "$kb" M="$FDPBLK_VM/selfcheck/kmod" modules

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

# Runner self-checks: every way a broken test or a kernel report could
# slip through must fail a run on its own. A failing one shows its log.
sc_result() { # BAD(0|1) DESCRIPTION [LOG]
	if [ "$1" = 0 ]; then
		host_result ok "runner self-check: $2"
	else
		[ -z "${3:-}" ] || sed 's/^/# /' "$3"
		host_result fail "runner self-check: $2"
	fi
}
if [ "${FDPBLK_SELFCHECK:-1}" = 1 ]; then
	# Suite-level holes: run_suite.sh's own logic, on the host (no kernel
	# is involved), one run each; FDPBLK_IN_VM=1 is what guest-init.sh
	# sets in the test VM, and the kernel self-checks below see it set.
	sc=$FDPBLK_VM/selfcheck
	suite_case() { # WANT(pass|fail) DESCRIPTION [VAR=VALUE] RUN_SUITE_ARGS... -- PATTERN...
		local want=$1 desc=$2 rc=0 bad=0 out env=() args=() p
		shift 2
		while [ $# -gt 0 ] && [ "$1" != -- ]; do
			case $1 in
			*=*) env+=("$1") ;;
			*) args+=("$1") ;;
			esac
			shift
		done
		shift
		out=$(env "${env[@]}" FDPBLK_KSRC="$ksrc" FDPBLK_KBUILD="$kb" \
			"$FDPBLK_TOP/selftests/run_suite.sh" "${args[@]}" 2>&1) || rc=$?
		case $want:$rc in
		pass:0|fail:[1-9]*) ;;
		*) bad=1 ;;
		esac
		for p in "$@"; do
			grep -qE -- "$p" <<<"$out" || bad=1
		done
		if [ "$bad" = 0 ]; then
			grep -E "Bail out|^not ok|^# FAIL|^[0-9]+ passed" <<<"$out" | tail -3 | sed 's/^/#   /'
		else
			echo "# run_suite.sh ${args[*]}: exit $rc"
			sed 's/^/#   /' <<<"$out"
		fi
		sc_result "$bad" "$desc"
	}
	suite_case pass "control: a passing test passes the run" \
		"$sc/test_selfcheck_pass.sh" -- '^1 passed, 0 failed, 0 skipped$'
	suite_case fail "a failing test fails the run" \
		"$sc/test_selfcheck_fail.sh" -- '^0 passed, 1 failed, 0 skipped$'
	suite_case fail "a test with a syntax error (exit 2, XFAIL) fails the run" \
		"$sc/test_selfcheck_syntax.sh" -- '^0 passed, 1 failed, 0 skipped$' 'exit=2'
	suite_case pass "control: outside the test VM a skip is a skip" \
		FDPBLK_IN_VM=0 "$sc/test_selfcheck_skip.sh" -- '^0 passed, 0 failed, 1 skipped$'
	suite_case fail "a skip inside the test VM fails the run" \
		FDPBLK_IN_VM=1 "$sc/test_selfcheck_skip.sh" -- '^0 passed, 1 failed, 0 skipped$' 'test-bed defect'
	suite_case fail "an empty test list fails the run" \
		--suite "$sc/suite-empty" -- 'no tests to run' '^0 passed, 1 failed'
	suite_case fail "a test list shorter than the Makefile's fails the run" \
		--suite "$sc/suite-short" -- 'gave 1 tests, the Makefile lists 2' '^0 passed, 1 failed'
	suite_case fail "a failing make emit_tests fails the run" \
		--suite "$sc/suite-broken" -- 'make emit_tests count_tests failed' '^0 passed, 1 failed'
	suite_case fail "a --list shorter than its count fails the run" \
		--suite "$sc" --list "$sc/list-short" -- 'gave 1 tests, the Makefile lists 2' '^0 passed, 1 failed'
	suite_case fail "a --list that cannot be read fails the run" \
		--suite "$sc" --list "$sc/no-such-list" -- 'cannot read the test list' '^0 passed, 1 failed'

	# Kernel-level holes: each in a guest of its own whose every test
	# passes, so that the verdict fails the run on that one report alone.
	# Only the kmemleak case scans (kmemleak=off elsewhere saves the scans'
	# minute); 1 GiB of guest memory is plenty and boots faster. The KASAN
	# case runs without KFENCE: KFENCE samples an allocation every 100 ms,
	# and when it took the one freed and read, it (not KASAN) reported the
	# use-after-free (seen on 30 November 2026), which proves nothing of
	# KASAN.
	kernel_case() { # CASE TIMEOUT WANT_RC DESCRIPTION PATTERN
		local bad=0 log kargs=kmemleak=off
		[ "$1" != kmemleak ] || kargs=
		[ "$1" != kasan ] || kargs+=" kfence.sample_interval=0"
		sc_run=$(fdpblk_new_run_dir "selfcheck-$1")
		log=$sc_run.log
		sc_rc=0
		"$FDPBLK_VM/run-vm.sh" --name "selfcheck-$1" --dir "$sc_run" --timeout "$2" \
			--mem 1G --kernel-args "$kargs" -- \
			selftests/vm/selfcheck/guest.sh "$1" >"$log" 2>&1 || sc_rc=$?
		[ "$sc_rc" = "$3" ] || bad=1
		grep -qx '1 passed, 0 failed, 0 skipped' "$sc_run/output" || bad=1
		[ "$(cat "$sc_run/status" 2>/dev/null)" = 0 ] || bad=1
		[ "$(cat "$sc_run/in-vm" 2>/dev/null)" = 1 ] || bad=1
		grep -qaE -- "$5" "$sc_run/verdict.log" 2>/dev/null || bad=1
		# The report that failed the run, as the proof.
		[ "$bad" = 0 ] && grep -aE -- "$5" "$sc_run/verdict.log" | head -2 | cut -c1-200 | sed 's/^/#   /'
		sc_result "$bad" "$4" "$log"
	}
	kernel_case warning 400 1 "a kernel WARNING alone fails the run" 'WARNING:.*lkdtm'
	# The WARNING run also put a NUL byte on the console before the report:
	# the report must still be read from console.log, not only from dmesg.
	bad=0
	[ "$(tr -cd '\000' < "$sc_run/console.log" | wc -c)" -gt 0 ] || bad=1
	sed -n '/kernel reports in .*console.log:/,/^verdict:/p' "$sc_run/verdict.log" |
		grep -qa 'WARNING:.*lkdtm' || bad=1
	sc_result "$bad" "a NUL byte in console.log hides no report"
	kernel_case kasan 400 1 "a KASAN report alone fails the run" 'KASAN: .*lkdtm'
	kernel_case lockdep 400 1 "a lockdep report alone fails the run" 'possible circular locking dependency'
	kernel_case hung 400 1 "a hung task alone fails the run" 'blocked for more than'
	kernel_case kmemleak 400 1 "a kmemleak leak alone fails the run" 'unreferenced object'
	# run-vm.sh stops a guest that has not powered off 15 s (here; 60 s
	# by default) after its status.
	FDPBLK_POWEROFF_S=15 kernel_case hang 120 124 \
		"a guest that hangs after writing its status fails the run" \
		'hung after its command finished'
fi

# The two-boot test (vm/twoboot/) and the atomic test (vm/atomic/) run in
# guests of their own; in a run of chosen tests, only when one of them
# names it.
twoboot=1 atomic=1 args=()
if [ $# -gt 0 ]; then
	twoboot=0 atomic=0
	for t in "$@"; do
		case $t in
		test_twoboot*) twoboot=1 ;;
		test_atomic_02*) atomic=1 ;;
		*) args+=("$t") ;;
		esac
	done
fi
# guest_run NAME TIMEOUT [run-vm.sh options] -- COMMAND...: one guest, its
# suite's counts added and its kernel log judged; 0 when all passed.
guest_run() {
	local name=$1 tmo=$2 rc=0 vm=0 summary p f=0 s dir
	shift 2
	dir=$(fdpblk_new_run_dir "$name")
	"$FDPBLK_VM/run-vm.sh" --name "$name" --dir "$dir" --timeout "$tmo" "$@" || vm=$?
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$dir/output" | tail -1 || true)
	if [ -z "$summary" ]; then
		host_result fail "$name: guest suite did not finish (see $dir)"
		rc=1
	else
		read -r p _ f _ s _ <<<"$summary"
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
		[ "$f" = 0 ] || rc=1
	fi
	if [ -e "$dir/kernel-clean" ]; then
		host_result ok "$name: guest kernel log clean, no unexpected taint, no leaks"
	else
		host_result fail "$name: guest kernel log clean, no unexpected taint, no leaks"
		rc=1
	fi
	if [ "$vm" != 0 ] && [ "$rc" = 0 ]; then
		host_result fail "$name: guest run exited $vm"
		rc=1
	fi
	echo "check: $name: results in $dir"
	return "$rc"
}

# Two boots over the same disk images: boot 1 configures a device and
# writes a file system; boot 2, with the controllers in the opposite
# order (other kernel names), runs the boot path (udev, fdpblk.service)
# and finds it all again.
if [ "$twoboot" = 1 ]; then
	tb=$(mktemp -d "${TMPDIR:-/var/tmp}/fdpblk-twoboot.XXXXXX")
	if guest_run twoboot-1 900 --images "$tb" -- \
		selftests/run_suite.sh "$FDPBLK_TOP/selftests/vm/twoboot/test_twoboot_1.sh"; then
		guest_run twoboot-2 900 --images "$tb" --reverse -- \
			selftests/run_suite.sh "$FDPBLK_TOP/selftests/vm/twoboot/test_twoboot_2.sh" || true
	else
		host_result fail "twoboot-2: not run, boot 1 failed"
	fi
	rm -rf "$tb"
fi

# Atomic write units of several blocks: a guest whose QEMU (vm/qemu-atomic.sh,
# fetched once) has per-namespace atomic write parameters.
if [ "$atomic" = 1 ]; then
	guest_run atomic 600 --atomic -- \
		selftests/run_suite.sh "$FDPBLK_TOP/selftests/vm/atomic/test_atomic_02.sh" || true
fi

# The suite, in one guest (unless only the guests above were asked for).
# The Makefile's test list is made here, where a make costs nothing, and
# run_suite.sh checks it in the guest as it would check its own make's.
if [ $# = 0 ]; then
	lf=$FDPBLK_TOP/selftests/tests.list
	if make -s --no-print-directory -C "$FDPBLK_TOP/selftests" KSRC="$ksrc" \
		KBUILD="$kb" emit_tests count_tests > "$lf"; then
		guest_run check 3600 -- selftests/run_suite.sh --list "$lf" || true
	else
		host_result fail "make emit_tests count_tests in selftests/"
	fi
elif [ ${#args[@]} -gt 0 ]; then
	guest_run check 3600 -- selftests/run_suite.sh "${args[@]}" || true
fi
echo "check: $((SECONDS - start))s in all"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
