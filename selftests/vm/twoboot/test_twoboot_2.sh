#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: boot 2 of two (see test_twoboot_1.sh), over the same disk
# images with the controllers attached in the opposite order: the
# namespace has another kernel name than in boot 1. The boot path as a
# server runs it: udevd with the system's rules and the project's (as make
# install writes them), the block devices announced (as
# systemd-udev-trigger does), then fdpblk.service's own commands (its
# ExecStartPre modprobe, from a module directory holding fdpblk.ko, and its
# ExecStart, fdpctl apply --all). Then:
# - before the device exists, the namespace a configuration names is
#   already hidden: SYSTEMD_READY=0, UDISKS_IGNORE=1,
#   ID_FS_TYPE=fdpblk_member, no /dev/disk/by-uuid link;
# - /dev/fdpblk/twoboot and /dev/disk/by-id/fdpblk-twoboot name the device;
# - blkid -U and the by-uuid link name the fdpblk device, never the lower,
#   and mount UUID= mounts it: boot 1's files read back;
# - the policy and the range rank are the configuration's, and a hinted
#   write and a write in the ranked range land on the handles they name
#   (device RUAMW);
# - a second apply changes nothing;
# - for the lower's change event, udev runs fdpctl revalidate on the device
#   (udevadm test shows the command).
# The udev rules' programs see the device's properties only, and /etc is
# the host's (read-only) in the guest: a rule of the test's own gives them
# FDPBLK_CONFIG_DIR, the state share's configuration directory.

. "$(dirname "$0")/../../test_common.sh"
_require_root
_require_cmd udevadm blkid nvme jq depmod modprobe sha256sum findmnt
_require_ns FDPBLK_NS_FDP8
[ -n "${FDPBLK_STATE_DIR:-}" ] || _fail "no state share (run-vm.sh --images)"

st=$FDPBLK_STATE_DIR
[ -s "$st/boot1/uuid" ] || _fail "boot 1 left nothing in the state share"
export FDPBLK_CONFIG_DIR=$st/etc-fdpblk
ns=$FDPBLK_NS_FDP8
lb=$(_lbsize "$ns")
read -r old_ns < "$st/boot1/ns"
read -r uuid < "$st/boot1/uuid"
[ "${ns##*/}" != "$old_ns" ] ||
	_fail "the namespace is ${ns##*/} again: the test bed did not attach the controllers in another order"
_log "the namespace was $old_ns in boot 1, is ${ns##*/} now"
_assert_eq "the namespace's wwid, as in boot 1" "$(<"$st/boot1/wwid")" "$(<"/sys/block/${ns##*/}/wwid")"

mnt=$TMPDIR/twoboot-mnt
rules=/run/udev/rules.d
udevd=0
cleanup() {
	trap - ERR
	set +e
	umount "$mnt" 2>/dev/null
	[ "$udevd" = 0 ] || udevadm settle --timeout=60
	_cleanup_devs
	[ "$udevd" = 0 ] || udevadm control --exit
	rm -rf "$rules"
}
trap cleanup EXIT
mkdir -p "$mnt" "$rules"

# The rules as make install writes them (userspace/Makefile's
# substitutions), and the test's own.
subst() { # MODPROBE
	sed -e "s|@SBINDIR@|$FDPBLK_TOP/userspace|g" -e "s|@MODPROBE@|$1|g" \
	    -e "s|@SYSTEMCTL@|/bin/systemctl|g"
}
subst /sbin/modprobe < "$FDPBLK_TOP/userspace/udev/56-fdpblk-lower.rules.in" \
	> "$rules/56-fdpblk-lower.rules"
cp "$FDPBLK_TOP/userspace/udev/60-fdpblk.rules" "$rules/"
echo "SUBSYSTEM==\"block\", ENV{FDPBLK_CONFIG_DIR}=\"$FDPBLK_CONFIG_DIR\"" \
	> "$rules/55-fdpblk-test.rules"

u=
for u in /lib/systemd/systemd-udevd /usr/lib/systemd/systemd-udevd; do
	[ -x "$u" ] && break
done
[ -x "$u" ] || _fail "no systemd-udevd"
"$u" --daemon || _fail "systemd-udevd --daemon"
udevd=1
udevadm trigger --subsystem-match=block --action=add || _fail "udevadm trigger"
udevadm settle --timeout=120 || _fail "udevadm settle"

# Before the device exists: the namespace the configuration names is
# hidden, and no by-uuid link names the file system on it.
_module_loaded && _fail "fdpblk is loaded before the boot path ran"
p=$(exec udevadm info --query=property --name="$ns")
for kv in FDPBLK_LOWER=1 FDPBLK_CONF=twoboot SYSTEMD_READY=0 UDISKS_IGNORE=1 \
	  ID_FS_TYPE=fdpblk_member; do
	_has_line "$p" "$kv" || _fail "before the device: $ns has no $kv: $p"
done
! _has_line_prefix "$p" ID_FS_UUID= || _fail "before the device: $ns was probed: $p"
[ ! -e "/dev/disk/by-uuid/$uuid" ] ||
	_fail "before the device: /dev/disk/by-uuid/$uuid -> $(readlink -f "/dev/disk/by-uuid/$uuid")"

# fdpblk.service's commands, as systemd runs them: a leading - ignores a
# failure; SuccessExitStatus=3 (a configuration's namespace absent).
kver=$(uname -r)
mods=$TMPDIR/twoboot-modules
mkdir -p "$mods/lib/modules/$kver/extra"
cp "$FDPBLK_KO" "$mods/lib/modules/$kver/extra/"
cp "$FDPBLK_MODROOT/lib/modules/$kver"/modules.{builtin,order}* "$mods/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$mods" "$kver" || _fail "depmod"
ran=0
while IFS= read -r line; do
	case $line in
	ExecStartPre=*|ExecStart=*) ;;
	*) continue ;;
	esac
	cmd=${line#*=}
	read -r -a argv <<<"${cmd#-}"
	rc=0
	out=$("${argv[@]}" 2>&1) || rc=$?
	echo "# ${argv[*]}: exit $rc"
	[ -z "$out" ] || printf '#   %s\n' "$out"
	[ "$rc" = 0 ] || [[ $cmd == -* ]] || { [[ $line == ExecStart=* ]] && [ "$rc" = 3 ]; } ||
		_fail "fdpblk.service: ${argv[*]}: exit $rc"
	ran=$((ran + 1))
done < <(subst "/sbin/modprobe -d $mods" < "$FDPBLK_TOP/userspace/systemd/fdpblk.service.in")
_assert_eq "fdpblk.service's commands run" 2 "$ran"
_module_loaded || _fail "fdpblk.service's modprobe did not load fdpblk"
udevadm settle --timeout=120 || _fail "udevadm settle"

# The names udev gives it.
[ -L /dev/fdpblk/twoboot ] || _fail "no /dev/fdpblk/twoboot: $(ls -l /dev/fdpblk 2>&1)"
DEV=$(readlink -f /dev/fdpblk/twoboot)
[ -b "$DEV" ] || _fail "/dev/fdpblk/twoboot -> $DEV"
FDPBLK_DEVS+=("$DEV")
_assert_attr "the device's name" twoboot "$DEV" name
_assert_eq "/dev/disk/by-id/fdpblk-twoboot" "$DEV" "$(readlink -f /dev/disk/by-id/fdpblk-twoboot)"
_assert_eq "the device's lower" "${ns##*/}" "$(_get_attr "$DEV" lower)"
p=$(exec udevadm info --query=property --name="$ns")
for kv in FDPBLK_LOWER=1 FDPBLK_DEV=twoboot SYSTEMD_READY=0 ID_FS_TYPE=fdpblk_member; do
	_has_line "$p" "$kv" || _fail "with the device: $ns has no $kv: $p"
done

# The file system is found on the fdpblk device only.
_assert_eq "blkid -U $uuid" "$DEV" "$(readlink -f "$(exec blkid -U "$uuid")")"
_assert_eq "/dev/disk/by-uuid/$uuid" "$DEV" "$(readlink -f "/dev/disk/by-uuid/$uuid")"
for l in /dev/disk/by-uuid/*; do
	[ "$(readlink -f "$l")" != "$ns" ] || _fail "the lower has a by-uuid link: $l"
done
mount UUID="$uuid" "$mnt" || _fail "mount UUID=$uuid"
_assert_eq "mounted from" "$DEV" "$(readlink -f "$(exec findmnt -n -o SOURCE "$mnt")")"
(cd "$mnt" && sha256sum -c --quiet "$st/boot1/sums") || _fail "boot 1's files do not read back"
umount "$mnt" || _fail "umount"

# The configuration's policy and rank, and writes placed by them.
_assert_attr "default_ph" 2 "$DEV" default_ph
_assert_attr "data_pool" "3 4" "$DEV" data_pool
read -r -a hm < "$(_attr_dir "$DEV")/hint_map"
_assert_eq "hint.short" 5 "${hm[2]}"
_assert_eq "range ranks" "[[131072,32768,1]]" \
	"$("$FDPCTL" rank list twoboot -o json | jq -c '.ranges | map([.start, .nr_sectors, .rank])')"
_ruh_snapshot_to before "$ns"
"$FDP_IO" write "$DEV" 900M 256K --hint 2	# SHORT: ph 5
"$FDP_IO" write "$DEV" 72M 256K			# rank 1: data_pool[1], ph 4
_ruh_snapshot_to after "$ns"
_assert_ruh_drop "$before" "$after" "5:$((256 * 1024 / lb)) 4:$((256 * 1024 / lb))"

_assert_eq "a second apply" "twoboot: no change" "$("$FDPCTL" apply --all)"
out=$(udevadm test --action=change "/sys/class/block/${ns##*/}" 2>&1) ||
	_fail "udevadm test: $out"
[[ $out == *"fdpctl revalidate twoboot"* ]] ||
	_fail "no fdpctl revalidate for the lower's change event: $out"
_pass
