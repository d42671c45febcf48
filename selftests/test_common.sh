# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the fdpblk selftests (sourced). Tests run as root inside
# the test-bed VM; see vm/run-vm.sh for the namespaces it provides.

# Any command that fails outside a condition fails the test, with its line:
# a test must never pass because a step it relied on did not run.
set -eEuo pipefail
trap 'echo "FAIL: $(basename "$0"): line $LINENO: command failed (status $?)"; exit 1' ERR

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

FDPBLK_SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FDPBLK_TOP=${FDPBLK_TOP:-$(cd "$FDPBLK_SELFTESTS/.." && pwd)}
FDPBLK_KO=$FDPBLK_TOP/kmod/fdpblk.ko
FDPCTL=$FDPBLK_TOP/userspace/fdpctl
FDP_IO=$FDPBLK_SELFTESTS/fdp_io
TEST_NAME=$(basename "$0" .sh)

_log() { echo "# $TEST_NAME: $*"; }

# Leave a marker in the kernel log so its reports can be tied to a test.
_kmsg() { echo "fdpblk-selftest: $TEST_NAME: $*" > /dev/kmsg 2>/dev/null || true; }

_skip() {
	echo "SKIP: $TEST_NAME: $*"
	_kmsg "skip"
	exit $KSFT_SKIP
}

_fail() {
	echo "FAIL: $TEST_NAME: $*"
	_kmsg "fail"
	exit $KSFT_FAIL
}

_pass() {
	_kmsg "pass"
	exit $KSFT_PASS
}

_assert_eq() { # what expected actual
	[ "$2" = "$3" ] || _fail "$1: expected '$2', got '$3'"
}

# The exit status of a command expected to fail, its output dropped
# (a failing command in $(...) would trip the ERR trap).
_status() { "$@" >/dev/null 2>&1 && echo 0 || echo $?; }

_require_root() { [ "$(id -u)" = 0 ] || _skip "needs root"; }

_require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || _skip "needs $c"
	done
}

# The emulated namespaces (set by the VM's init; see vm/run-vm.sh).
_require_ns() { # VAR...
	local v
	for v in "$@"; do
		[ -n "${!v:-}" ] && [ -b "${!v}" ] || _skip "no $v namespace (not in the test VM?)"
	done
}

# A namespace by its controller's serial (vm/run-vm.sh sets them): after a
# test removed and rescanned a controller its name may have changed.
_ns_by_serial() { # SERIAL: prints /dev/nvmeXnY, or nothing
	local c n
	for c in /sys/class/nvme/nvme*; do
		[ "$(tr -d ' ' < "$c/serial" 2>/dev/null)" = "$1" ] || continue
		for n in "$c/$(basename "$c")"n*; do
			[ -b "/dev/${n##*/}" ] && echo "/dev/${n##*/}" && return 0
		done
	done
	return 0
}

_module_loaded() { [ -d /sys/module/fdpblk ]; }

_load_module() { # [params]
	[ -f "$FDPBLK_KO" ] || _fail "$FDPBLK_KO not built"
	_module_loaded && return 0
	insmod "$FDPBLK_KO" "$@" || _fail "insmod fdpblk.ko $*"
}

_unload_module() {
	_module_loaded || return 0
	rmmod fdpblk || _fail "rmmod fdpblk"
}

# Wait (bounded) for a path to appear or go: udev is absent, devtmpfs is
# synchronous, so this only covers asynchronous removal work.
_wait_path() { # exists|gone PATH [tenths]
	local i
	for ((i = 0; i < ${3:-50}; i++)); do
		if [ "$1" = exists ]; then [ -e "$2" ] && return 0
		else [ -e "$2" ] || return 0; fi
		sleep 0.1
	done
	return 1
}

_lbsize() { blockdev --getss "$1"; }

# ---------------------------------------------------------------------------
# The device-side oracle. The emulated controller lowers a reclaim unit
# handle's RUAMW (reclaim unit available media writes, in logical blocks) by
# the blocks written with that handle's placement ID. These helpers read RUH
# status with nvme-cli, independently of fdpblk, and compare snapshots.
# Output of _ruh_snapshot: one line per placement handle, in the kernel's
# order (ph 1..N is the N-th RUH status descriptor):
# "ph pid ruamw ru_blocks".

_ruh_snapshot() { # NS_BLOCKDEV
	local out ru
	out=$(nvme fdp status "$1" -o json 2>&1) ||
		_fail "nvme fdp status $1: $out"
	ru=$(( $(cat "/sys/block/$(basename "$1")/queue/write_stream_granularity") /
	       $(_lbsize "$1") ))
	echo "$out" | jq -r --argjson ru "$ru" '.ruhss | to_entries[] |
		"\(.key + 1) \(.value.pid) \(.value.ruamw) \($ru)"' ||
		_fail "cannot parse nvme fdp status $1"
}

# Per-handle RUAMW drop between two snapshots: "ph drop" lines. A reclaim
# unit that filled in between was replaced by a fresh one (RUAMW jumps back
# up): drops are counted modulo the reclaim unit size, so each interval a
# test measures must write less than one reclaim unit per handle.
_ruh_drop() { # BEFORE AFTER
	join <(sort -k1,1 <<<"$1") <(sort -k1,1 <<<"$2") |
		sort -n | awk '{ print $1, (($3 - $6) % $4 + $4) % $4 }'
}

# Assert that between two snapshots exactly the handles named dropped, each
# by exactly the blocks given, and every other handle did not move.
_assert_ruh_drop() { # BEFORE AFTER "ph:blocks ..."
	local drops ph d want
	drops=$(_ruh_drop "$1" "$2")
	declare -A expect=()
	for want in $3; do
		expect[${want%%:*}]=${want#*:}
	done
	while read -r ph d; do
		[ -n "$ph" ] || continue
		if [ "$d" != "${expect[$ph]:-0}" ]; then
			_log "RUAMW drops per ph: $(echo $drops | tr '\n' ' ')"
			_fail "ph $ph: RUAMW dropped by $d blocks, expected ${expect[$ph]:-0}"
		fi
	done <<<"$drops"
	return 0
}

# ---------------------------------------------------------------------------
# fdpblk devices. _create_dev records each device; the EXIT trap removes
# them and unloads the module, so a failing test leaves nothing behind.

FDPBLK_DEVS=()

_cleanup_devs() {
	local d
	for d in "${FDPBLK_DEVS[@]}"; do
		[ -b "$d" ] && "$FDPCTL" remove "$d" 2>/dev/null
	done
	_module_loaded && rmmod fdpblk
	return 0
}
trap _cleanup_devs EXIT

_create_dev() { # NS [fdpctl create options]; sets DEV to /dev/fdpblkN
	_load_module
	DEV=$("$FDPCTL" create "$@") || _fail "fdpctl create $*"
	[ -b "$DEV" ] || _fail "$DEV did not appear"
	FDPBLK_DEVS+=("$DEV")
}

# The sysfs directory of a device's fdpblk attributes.
_attr_dir() { echo "/sys/block/$(basename "$1")/fdpblk"; }

_set_attr() { # DEV ATTR VALUE
	echo "$3" > "$(_attr_dir "$1")/$2" || _fail "cannot set $2 to '$3'"
}

_get_attr() { cat "$(_attr_dir "$1")/$2"; }

# Writes without a directive land on the namespace's default handle: the
# emulated controller uses its first RUH (placement ID 0), which is ph 1.
FDPBLK_PH0_LANDS_ON=1
