#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: boot 1 of two over the same disk images (vm/check.sh runs
# it in a guest of run-vm.sh --images DIR, then test_twoboot_2.sh in a
# second guest over the same images, its controllers attached in the
# opposite order). A configuration in the state share (what /etc/fdpblk
# is on a server) names the 8-handle FDP namespace by its wwid, with a
# policy and a range rank; fdpctl apply creates the device; ext4 is made
# on it and files written. What boot 2 checks (the namespace's kernel name
# and wwid, the file system's UUID, the files' checksums) is kept in the
# state share.

. "$(dirname "$0")/../../test_common.sh"
_require_root
_require_cmd mkfs.ext4 blkid sha256sum
_require_ns FDPBLK_NS_FDP8
[ -n "${FDPBLK_STATE_DIR:-}" ] || _fail "no state share (run-vm.sh --images)"

ns=$FDPBLK_NS_FDP8
st=$FDPBLK_STATE_DIR
export FDPBLK_CONFIG_DIR=$st/etc-fdpblk
mnt=$TMPDIR/twoboot-mnt
trap 'trap - ERR; set +e; umount "$mnt" 2>/dev/null; _cleanup_devs' EXIT
rm -rf "$FDPBLK_CONFIG_DIR" "$st/boot1"
mkdir -p "$FDPBLK_CONFIG_DIR" "$st/boot1" "$mnt"

# Its wwid (here from the controller's serial and the nsid, as the kernel
# makes one for a namespace without EUI-64, NGUID or UUID): what the
# configuration names it by, and boot 2 finds it by.
read -r wwid < "/sys/block/${ns##*/}/wwid"
[ -n "$wwid" ] || _fail "$ns has no wwid"
cat > "$FDPBLK_CONFIG_DIR/twoboot.conf" <<-EOC
	# the two-boot test's device
	lower = $wwid
	streams = 6

	[policy]
	default = 2
	hint.short = 5
	data_pool = 3 4

	[ranks]
	range 64MiB 16MiB 1
EOC
_load_module
out=$(exec "$FDPCTL" apply --all) || _fail "apply: $out"
DEV=/dev/$(grep -lx twoboot /sys/block/fdpblk*/fdpblk/name | cut -d/ -f4)
[ -b "$DEV" ] || _fail "no device named twoboot: $out"
FDPBLK_DEVS+=("$DEV")
_has_line "$out" "twoboot: create: $DEV on ${ns##*/} ($wwid), 6 streams" ||
	_fail "apply did not say it created the device: $out"

# ext4, 4 KiB blocks, and files of random data; their checksums.
mkfs.ext4 -q -b 4096 "$DEV" || _fail "mkfs.ext4 $DEV"
uuid=$(exec blkid -s UUID -o value "$DEV")
[ -n "$uuid" ] || _fail "no UUID on $DEV"
mount "$DEV" "$mnt" || _fail "mount $DEV"
for i in 1 2 3 4 5 6 7 8; do
	head -c $((i * 256 * 1024)) /dev/urandom > "$mnt/f$i"
done
(cd "$mnt" && sha256sum f*) > "$st/boot1/sums"
umount "$mnt" || _fail "umount"

echo "${ns##*/}" > "$st/boot1/ns"
echo "$wwid" > "$st/boot1/wwid"
echo "$uuid" > "$st/boot1/uuid"
"$FDPCTL" remove twoboot || _fail "remove"
FDPBLK_DEVS=()
_log "boot 1: $DEV on ${ns##*/}, ext4 $uuid, 8 files"
_pass
