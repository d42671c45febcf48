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

# Builtins where they do: every fork and exec costs a good fraction of a
# second in the TCG guest with KASAN.
FDPBLK_SELFTESTS=${BASH_SOURCE[0]%/*}
[ "$FDPBLK_SELFTESTS" != "${BASH_SOURCE[0]}" ] || FDPBLK_SELFTESTS=.
FDPBLK_SELFTESTS=$(cd "$FDPBLK_SELFTESTS" && pwd)
FDPBLK_TOP=${FDPBLK_TOP:-$(cd "$FDPBLK_SELFTESTS/.." && pwd)}
FDPBLK_KO=$FDPBLK_TOP/kmod/fdpblk.ko
FDPCTL=$FDPBLK_TOP/userspace/fdpctl
FDP_IO=$FDPBLK_SELFTESTS/fdp_io
TEST_NAME=${0##*/}
TEST_NAME=${TEST_NAME%.sh}

_log() { echo "# $TEST_NAME: $*"; }

# Leave a marker in the kernel log so its reports can be tied to a test.
_kmsg() { echo "fdpblk-selftest: $TEST_NAME: $*" > /dev/kmsg 2>/dev/null || true; }

# A skip is legitimate on a developer's machine that lacks a tool or a
# device; inside the test VM (FDPBLK_IN_VM=1, set by vm/guest-init.sh) the
# test bed provides everything, so there a skip is a test-bed defect and
# fails.
_skip() {
	if [ "${FDPBLK_IN_VM:-0}" = 1 ]; then
		echo "FAIL: $TEST_NAME: would skip in the test VM (a test-bed defect): $*"
		_kmsg "fail"
		exit $KSFT_FAIL
	fi
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
# (a failing command in $(...) would trip the ERR trap); _status_to sets
# VAR, without the subshell that $(_status ...) costs.
_status() { "$@" >/dev/null 2>&1 && echo 0 || echo $?; }
_status_to() { # VAR CMD...
	local _st_v=$1
	shift
	if "$@" >/dev/null 2>&1; then printf -v "$_st_v" 0; else printf -v "$_st_v" %d $?; fi
}

# Line matching with builtins, where a test would pipe output through grep
# (a fork and an exec, a good fraction of a second each in the TCG guest).
# TEXT is taken line by line, as grep takes it: ^ and $ of an ERE anchor
# at the ends of each line, not of the whole TEXT. Each returns 1 for no
# match, so call them as a condition ("|| _fail ..."). A command's output
# is "$(exec CMD)": under the ERR trap (set -E) bash forks twice for a
# plain $(CMD), once with exec; a file's is "$(<FILE)", no fork at all.
_has_line() { # TEXT LINE: some line of TEXT is LINE (grep -qxF)
	[[ $'\n'$1$'\n' == *$'\n'"$2"$'\n'* ]]
}
_has_line_prefix() { # TEXT PREFIX: some line starts with PREFIX, a string
	[[ $'\n'$1 == *$'\n'"$2"* ]]
}
_match_line() { # TEXT ERE: some line of TEXT matches ERE (grep -qE)
	local _ml_lines
	_lines_matching _ml_lines "$1" "$2"
}

_require_root() { [ "$EUID" = 0 ] || _skip "needs root"; }

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

# Builtins where a test calls them often: every fork and exec costs a
# good fraction of a second in the TCG guest with KASAN.
_lbsize() { # BLOCKDEV (_lbsize_to VAR BLOCKDEV sets VAR)
	local v
	_lbsize_to v "$1"
	echo "$v"
}
_lbsize_to() { # VAR BLOCKDEV
	local _ls_v
	read -r _ls_v < "/sys/class/block/${2##*/}/queue/logical_block_size" ||
		_ls_v=$(blockdev --getss "$2")
	printf -v "$1" '%s' "$_ls_v"
}

# A block device's atomic write limits, one line: max, unit min, unit max,
# boundary (bytes).
_atomic_limits() { # BLOCKDEV
	local q=/sys/block/${1##*/}/queue a v out=
	for a in atomic_write_max_bytes atomic_write_unit_min_bytes \
		 atomic_write_unit_max_bytes atomic_write_boundary_bytes; do
		read -r v < "$q/$a"
		out+="$v "
	done
	echo "${out% }"
}

# ---------------------------------------------------------------------------
# The device-side oracle. The emulated controller lowers a reclaim unit
# handle's RUAMW (reclaim unit available media writes, in logical blocks) by
# the blocks written with that handle's placement ID. These helpers read RUH
# status with nvme-cli, independently of fdpblk, and compare snapshots.
# Output of _ruh_snapshot: one line per placement handle, in the kernel's
# order (ph 1..N is the N-th RUH status descriptor):
# "ph pid ruamw ru_blocks".

_ruh_snapshot() { # NS_BLOCKDEV (_ruh_snapshot_to VAR NS sets VAR)
	local snap
	_ruh_snapshot_to snap "$1"
	echo "$snap"
}
_ruh_snapshot_to() { # VAR NS_BLOCKDEV
	local _rs_out _rs_line _rs_ph=0 _rs_pid=-1 _rs_g _rs_lb _rs_snap=
	_rs_out=$(exec nvme fdp status "$2" 2>&1) || _fail "nvme fdp status $2: $_rs_out"
	read -r _rs_g < "/sys/block/${2##*/}/queue/write_stream_granularity"
	_lbsize_to _rs_lb "$2"
	# nvme-cli's normal output (parsed with builtins; jq alone costs more
	# than a second here): per descriptor, in order,
	#   Placement Identifier P; Reclaim Unit Handle Identifier R
	#     ... (RUAMW): N
	while read -r _rs_line; do
		case $_rs_line in
		"Placement Identifier "*)
			_rs_pid=${_rs_line#Placement Identifier }
			_rs_pid=${_rs_pid%%;*}
			_rs_ph=$((_rs_ph + 1)) ;;
		*"(RUAMW): "*)
			_rs_snap+="$_rs_ph $_rs_pid ${_rs_line##* } $((_rs_g / _rs_lb))"$'\n' ;;
		esac
	done <<<"$_rs_out"
	[ "$_rs_ph" -gt 0 ] || _fail "cannot parse nvme fdp status $2: $_rs_out"
	printf -v "$1" '%s' "${_rs_snap%$'\n'}"
}

# Per-handle RUAMW drop between two snapshots: "ph drop" lines. A reclaim
# unit that filled in between was replaced by a fresh one (RUAMW jumps back
# up): drops are counted modulo the reclaim unit size, so each interval a
# test measures must write less than one reclaim unit per handle.
_ruh_drop() { # BEFORE AFTER (_ruh_drop_to VAR BEFORE AFTER sets VAR)
	local drops
	_ruh_drop_to drops "$1" "$2"
	echo "$drops"
}
_ruh_drop_to() { # VAR BEFORE AFTER
	local _rd_ph _rd_pid _rd_ruamw _rd_ru _rd_out=
	local -A _rd_was=()
	while read -r _rd_ph _rd_pid _rd_ruamw _rd_ru; do
		[ -z "$_rd_ph" ] || _rd_was[$_rd_ph]=$_rd_ruamw
	done <<<"$2"
	while read -r _rd_ph _rd_pid _rd_ruamw _rd_ru; do
		[ -n "$_rd_ph" ] || continue
		[ -n "${_rd_was[$_rd_ph]:-}" ] || continue
		_rd_out+="$_rd_ph $(( ((_rd_was[$_rd_ph] - _rd_ruamw) % _rd_ru + _rd_ru) % _rd_ru ))"$'\n'
	done <<<"$3"
	printf -v "$1" '%s' "${_rd_out%$'\n'}"
}

# Assert that between two snapshots exactly the handles named dropped, each
# by exactly the blocks given, and every other handle did not move. A ph
# named that the namespace does not have fails, and so does an expectation
# of a whole reclaim unit or more: a drop is read modulo the reclaim unit
# size, so such an interval cannot be measured.
_assert_ruh_drop() { # BEFORE AFTER "ph:blocks ..."
	local drops ph d want ru
	_ruh_drop_to drops "$1" "$2"
	read -r _ _ _ ru <<<"$1"
	declare -A expect=() seen=()
	for want in $3; do
		expect[${want%%:*}]=${want#*:}
		[ "${want#*:}" -lt "$ru" ] ||
			_fail "ph ${want%%:*}: $(( ${want#*:} )) blocks expected, not less than a reclaim unit ($ru blocks): RUAMW cannot measure it"
	done
	while read -r ph d; do
		[ -n "$ph" ] || continue
		seen[$ph]=1
		if [ "$d" != "${expect[$ph]:-0}" ]; then
			_log "RUAMW drops per ph: ${drops//$'\n'/ } "
			_fail "ph $ph: RUAMW dropped by $d blocks, expected ${expect[$ph]:-0}"
		fi
	done <<<"$drops"
	for ph in "${!expect[@]}"; do
		[ -n "${seen[$ph]:-}" ] || _fail "ph $ph expected to drop, but the namespace has no such handle"
	done
	return 0
}

# Run a command in a cgroup (v2), as its own process.
_in_cgroup() { # CGROUP_DIR CMD...
	local g=$1
	shift
	bash -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$g" "$@"
}

# Run a command that writes, and assert on the device where it landed.
# After _ruh_chain on, each _check_drop's "before" is the previous one's
# "after" on the same namespace: one nvme-cli run per interval instead of
# two (seconds each in the test VM), and a write between two intervals,
# which a fresh "before" would hide, fails the next one. A test that
# writes outside _check_drop calls _ruh_chain off (or on, to restart)
# first.
RUH_CHAIN=0 RUH_CHAIN_NS= RUH_CHAIN_LAST=
_ruh_chain() { # on|off
	case $1 in
	on) RUH_CHAIN=1 ;;
	off) RUH_CHAIN=0 ;;
	*) _fail "_ruh_chain $1" ;;
	esac
	RUH_CHAIN_NS= RUH_CHAIN_LAST=
}
_check_drop() { # NS WHAT "ph:blocks ..." CMD...
	local ns=$1 what=$2 expected=$3 before after
	shift 3
	if [ "$RUH_CHAIN" = 1 ] && [ "$RUH_CHAIN_NS" = "$ns" ]; then
		before=$RUH_CHAIN_LAST
	else
		_ruh_snapshot_to before "$ns"
	fi
	"$@" || _fail "$what: write"
	_ruh_snapshot_to after "$ns"
	if [ "$RUH_CHAIN" = 1 ]; then
		RUH_CHAIN_NS=$ns RUH_CHAIN_LAST=$after
	fi
	_assert_ruh_drop "$before" "$after" "$expected"
	_log "$what: $expected"
}

# Kernel log lines written after a marker: a test reads only its own.
# _kmsg_mark prints a unique marker (and logs it); _dmesg_since MARKER
# prints what followed it.
_kmsg_mark() { # (_kmsg_mark_to VAR sets VAR)
	local m
	_kmsg_mark_to m
	echo "$m"
}
_kmsg_mark_to() { # VAR
	local _km_m
	_km_m="fdpblk-selftest: $TEST_NAME: mark $$.$RANDOM.$SECONDS"
	echo "$_km_m" > /dev/kmsg
	printf -v "$1" '%s' "$_km_m"
}
_dmesg_since() { # MARKER
	dmesg | awk -v m="$1" 'found { print } index($0, m) { found = 1 }'
}

# ---------------------------------------------------------------------------
# fdpblk devices. _create_dev records each device; the EXIT trap removes
# them and unloads the module, so a failing test leaves nothing behind.

FDPBLK_DEVS=()

# Cleanup never stops half-way: errexit and the ERR trap are off in it.
_cleanup_devs() {
	local d
	trap - ERR
	set +e
	for d in "${FDPBLK_DEVS[@]}"; do
		[ -b "$d" ] && "$FDPCTL" remove "$d" 2>/dev/null
	done
	_module_loaded && rmmod fdpblk
	return 0
}
trap _cleanup_devs EXIT
# A test killed by its timeout still cleans up (bash runs no EXIT trap on
# a signal it does not handle), so that the next test starts clean.
trap '_fail "terminated (timeout?)"' TERM

# In the test VM each test starts from a clean slate, whatever an earlier
# one left behind (it says so; its own cleanup is the fix).
if [ "${FDPBLK_IN_VM:-0}" = 1 ] && _module_loaded; then
	_log "fdpblk.ko was left loaded by an earlier test: removing its devices"
	for d in /sys/block/fdpblk*; do
		[ -e "$d" ] && "$FDPCTL" remove "/dev/${d##*/}" 2>/dev/null || true
	done
	rmmod fdpblk 2>/dev/null || true
fi

_create_dev() { # NS [fdpctl create options]; sets DEV to /dev/fdpblkN
	_load_module
	DEV=$("$FDPCTL" create "$@") || _fail "fdpctl create $*"
	[ -b "$DEV" ] || _fail "$DEV did not appear"
	FDPBLK_DEVS+=("$DEV")
}

# The sysfs directory of a device's fdpblk attributes.
_attr_dir() { echo "/sys/block/${1##*/}/fdpblk"; }

_set_attr() { # DEV ATTR VALUE
	echo "$3" > "$(_attr_dir "$1")/$2" || _fail "cannot set $2 to '$3'"
}

_get_attr() { # DEV ATTR (one line; _get_attr_to VAR DEV ATTR sets VAR)
	local v
	_get_attr_to v "$1" "$2"
	echo "$v"
}
_get_attr_to() { # VAR DEV ATTR
	local _ga_f=/sys/block/${2##*/}/fdpblk/$3 _ga_v=
	[ -r "$_ga_f" ] || _fail "no attribute $_ga_f"
	read -r _ga_v < "$_ga_f" || true	# an empty value reads as a failure
	printf -v "$1" '%s' "$_ga_v"
}

# Writes without a directive land on the namespace's default handle: the
# emulated controller uses its first RUH (placement ID 0), which is ph 1.
FDPBLK_PH0_LANDS_ON=1

# ---------------------------------------------------------------------------
# null_blk devices made through configfs (null_blk names each disk after its
# item). _nullb_new powers one on with the attributes given; _nullb_cleanup
# (for a test's cleanup) powers off and removes every one made, and unloads
# null_blk.
FDPBLK_NULLBS=()
_nullb_new() { # NAME [ATTR=VALUE...]: makes /dev/NAME; NULLB is its item
	local cfg=/sys/kernel/config nb kv
	if [ ${#FDPBLK_NULLBS[@]} = 0 ]; then
		modprobe -d "${FDPBLK_MODROOT:-/}" configfs 2>/dev/null || true
		grep -q " $cfg " /proc/mounts || mount -t configfs configfs $cfg ||
			_skip "no configfs"
		modprobe -d "${FDPBLK_MODROOT:-/}" null_blk nr_devices=0 ||
			_fail "modprobe null_blk"
	fi
	nb=$cfg/nullb/$1
	shift
	mkdir "$nb" || _fail "mkdir $nb"
	FDPBLK_NULLBS+=("$nb")
	for kv in "$@"; do
		echo "${kv#*=}" > "$nb/${kv%%=*}" || _fail "${nb##*/}: ${kv%%=*}=${kv#*=}"
	done
	echo 1 > "$nb/power" || _fail "power on ${nb##*/}"
	_wait_path exists "/dev/${nb##*/}" || _fail "/dev/${nb##*/} did not appear"
	NULLB=$nb
}
_nullb_cleanup() {
	local nb
	for nb in "${FDPBLK_NULLBS[@]}"; do
		[ -d "$nb" ] || continue
		echo 0 > "$nb/power" 2>/dev/null
		rmdir "$nb" 2>/dev/null
	done
	[ ${#FDPBLK_NULLBS[@]} = 0 ] || rmmod null_blk 2>/dev/null
	FDPBLK_NULLBS=()
	return 0
}

# ---------------------------------------------------------------------------
# Without subshells, for the tests' hot paths: in the test VM a fork costs
# a few tenths of a second, an exec more. Each _X_to helper (here and
# beside its _X above) sets the variable named first where _X prints (no
# $(...) around it); their locals carry a prefix of their own, so that
# they do not shadow the caller's variable.

# The lines of TEXT that match the extended regular expression ERE, as
# grep -E ERE <<<"TEXT" prints them (matched line by line: "." never
# matches a newline; shopt -s nocasematch for grep -i), into VAR without
# the last newline; the status is grep's, 0 when a line matched, else 1.
_lines_matching() { # VAR TEXT ERE
	local _lm_line _lm_out=
	while IFS= read -r _lm_line; do
		[[ ! $_lm_line =~ $3 ]] || _lm_out+=$_lm_line$'\n'
	done <<<"$2"
	printf -v "$1" '%s' "${_lm_out%$'\n'}"
	[ -n "$_lm_out" ]
}

# A sleep without a process: a read that times out on a pipe that nobody
# writes. The pipe is made once, by a process substitution: the first call
# sets $! (take a background job's $! before it).
FDPBLK_SLEEP_FD=
_sleep() { # SECONDS
	[ -n "$FDPBLK_SLEEP_FD" ] || exec {FDPBLK_SLEEP_FD}<> <(:)
	read -r -t "$1" -u "$FDPBLK_SLEEP_FD" || true
}

# _assert_eq on a device attribute (read as _get_attr reads it).
# How fdpctl's policy change lines name ph: " (ph 2 = pid P ruhid R, ...)",
# each ph beside the placement ID and RUH id of its RUH status descriptor
# (ph - 1) as nvme-cli reads them. RUH_IDS: "pid ruhid" per descriptor, a
# line each (jq -r '.ruhss[] | "\(.pid) \(.ruhid)"' of nvme fdp status).
_change_ids() { # RUH_IDS PH...
	local -a ids
	local ph sep=' (' pid ruhid out=''
	mapfile -t ids <<<"$1"
	shift
	for ph in "$@"; do
		read -r pid ruhid <<<"${ids[ph - 1]}"
		out+="${sep}ph $ph = pid $pid ruhid $ruhid"
		sep=', '
	done
	printf '%s)' "$out"
}

_assert_attr() { # WHAT EXPECTED DEV ATTR
	local _aa_v
	_get_attr_to _aa_v "$3" "$4"
	_assert_eq "$1" "$2" "$_aa_v"
}

# The lines of TEXT sorted as sort(1) sorts them (the locale's collation),
# into VAR: for a few lines, without a process.
_sorted_lines_to() { # VAR TEXT
	local -a _sl_in _sl_out=()
	local _sl_line _sl_i IFS=$'\n'
	mapfile -t _sl_in <<<"$2"
	for _sl_line in "${_sl_in[@]}"; do
		_sl_i=${#_sl_out[@]}
		while [ "$_sl_i" -gt 0 ] && [[ ${_sl_out[_sl_i - 1]} > $_sl_line ]]; do
			_sl_out[_sl_i]=${_sl_out[_sl_i - 1]}
			_sl_i=$((_sl_i - 1))
		done
		_sl_out[_sl_i]=$_sl_line
	done
	printf -v "$1" '%s' "${_sl_out[*]}"
}

# _assert_eq on files' contents, read as $(<FILE) reads them (no process).
# A FILE that cannot be read fails the test, naming it: under set -e a
# $(<FILE) that cannot open FILE ends the shell at once, without the ERR
# trap's FAIL line.
_assert_file() { # WHAT EXPECTED FILE
	[ -r "$3" ] || _fail "$1: cannot read $3"
	_assert_eq "$1" "$2" "$(<"$3")"
}
_assert_same_file() { # WHAT EXPECTED_FILE ACTUAL_FILE
	[ -r "$2" ] || _fail "$1: cannot read $2"
	[ -r "$3" ] || _fail "$1: cannot read $3"
	_assert_eq "$1" "$(<"$2")" "$(<"$3")"
}
