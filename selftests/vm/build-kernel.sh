#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test-bed kernel from Debian's linux-source-7.x tarball: tinyconfig
# plus the fragments in this directory. The build is cached outside the
# repository, keyed by kernel package version, flavour and fragment hash;
# prints the build directory on stdout.

set -euo pipefail
. "$(dirname "$0")/common.sh"

"$FDPBLK_VM/setup-host.sh" >&2

src=$(fdpblk_ksrc_dir)
out=$(fdpblk_kbuild_dir)
# One build at a time: a second caller (make -C selftests computes KBUILD
# with this script) waits for the first instead of deleting its tree. The
# lock is this script's alone: make and the compilers do not inherit it.
mkdir -p "$FDPBLK_CACHE"
exec 9>"$FDPBLK_CACHE/.build-kernel.lock"
flock 9
if [ -f "$out/.fdpblk-complete" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$FDPBLK_CACHE/src"
if [ ! -f "$src/.fdpblk-unpacked" ]; then
	echo "build-kernel: unpacking linux-source-$FDPBLK_KVER" >&2
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 \
		-xf "/usr/src/linux-source-$FDPBLK_KVER.tar.xz"
	touch "$src.tmp/.fdpblk-unpacked"
	mv "$src.tmp" "$src"
fi

echo "build-kernel: building $FDPBLK_FLAVOR kernel in $out" >&2
rm -rf "$out"
mkdir -p "$out"
log=$out/build.log
frags=$(fdpblk_fragments)
{
	make -C "$src" O="$out" ARCH=x86_64 tinyconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" $frags
	make -C "$src" O="$out" ARCH=x86_64 olddefconfig
} >"$log" 2>&1 9>&- || { tail -30 "$log" >&2; exit 1; }

# Every option we asked for must have survived olddefconfig.
bad=0
while read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qxF "$line" "$out/.config" || { echo "build-kernel: $line did not stick" >&2; bad=1; } ;;
	"# CONFIG_"*" is not set") grep -q "^${line#\# }" "$out/.config" 2>/dev/null ||
		! grep -q "^$(echo "$line" | sed 's/^# \(CONFIG_[A-Z0-9_]*\).*/\1/')=" "$out/.config" ||
		{ echo "build-kernel: $line did not stick" >&2; bad=1; } ;;
	esac
done < <(cat $frags)
[ $bad = 0 ] || exit 1

if ! make -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" bzImage modules >>"$log" 2>&1 9>&- ||
   ! make -C "$src" O="$out" ARCH=x86_64 INSTALL_MOD_PATH="$out/modroot" \
	modules_install >>"$log" 2>&1 9>&- ||
   ! make -C "$src" O="$out" ARCH=x86_64 INSTALL_HDR_PATH="$out/usr" \
	headers_install >>"$log" 2>&1 9>&-; then
	tail -40 "$log" >&2
	exit 1
fi
touch "$out/.fdpblk-complete"
echo "$out"
