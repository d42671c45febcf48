# SPDX-License-Identifier: GPL-2.0
# Shared settings of the fdpblk test bed (sourced, not run).

FDPBLK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FDPBLK_VM=$FDPBLK_TOP/selftests/vm
FDPBLK_KVER=${FDPBLK_KVER:-7.3}
# Kernel builds live outside the repository so that a fresh clone reuses them.
FDPBLK_CACHE=${FDPBLK_CACHE:-/var/cache/fdpblk}
# "debug" carries every checker (make check, make demo); "bench" carries none.
FDPBLK_FLAVOR=${FDPBLK_FLAVOR:-debug}
FDPBLK_RESULTS=${FDPBLK_RESULTS:-$FDPBLK_TOP/results}

fdpblk_fragments() {
	echo "$FDPBLK_VM/kernel.config"
	[ "$FDPBLK_FLAVOR" = debug ] && echo "$FDPBLK_VM/kernel-debug.config"
	[ "$FDPBLK_FLAVOR" = bench ] && echo "$FDPBLK_VM/kernel-bench.config"
	return 0
}

# The build directory: keyed by kernel package version and fragment hash.
fdpblk_kbuild_dir() {
	local pkgver hash
	pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$FDPBLK_KVER")
	hash=$(cat $(fdpblk_fragments) | sha256sum | cut -c1-12)
	echo "$FDPBLK_CACHE/kbuild-$FDPBLK_KVER-$pkgver-$FDPBLK_FLAVOR-$hash"
}

fdpblk_ksrc_dir() {
	local pkgver
	pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$FDPBLK_KVER")
	echo "$FDPBLK_CACHE/src/linux-source-$FDPBLK_KVER-$pkgver"
}

# What a guest run needs, built from clean against the test-bed kernel of
# $FDPBLK_FLAVOR: installs what is missing, builds (or finds) the kernel,
# then fdpblk.ko, fdpctl and the selftests. Sets kb to the kernel build.
fdpblk_build_for_vm() {
	"$FDPBLK_VM/setup-host.sh"
	kb=$("$FDPBLK_VM/build-kernel.sh")
	make -s -C "$FDPBLK_TOP" clean >/dev/null
	make -s -C "$FDPBLK_TOP" KDIR="$kb" modules userspace >/dev/null
	make -s -C "$FDPBLK_TOP/selftests" KSRC="$(fdpblk_ksrc_dir)" KBUILD="$kb" >/dev/null
}

# The Debian archive this machine uses for bookworm (its mirror, as apt
# knows it), or FDPBLK_DEBIAN_MIRROR; nothing when there is none.
fdpblk_debian_mirror() {
	if [ -n "${FDPBLK_DEBIAN_MIRROR:-}" ]; then
		echo "$FDPBLK_DEBIAN_MIRROR"
		return
	fi
	apt-get indextargets --no-release-info --format '$(RELEASE) $(SITE)' \
		'Created-By: Packages' 2>/dev/null | awk '$1 == "bookworm" { print $2; exit }'
}

# A new, unique run directory under $FDPBLK_RESULTS: NAME-DATE-XXXXXX.
fdpblk_new_run_dir() { # NAME
	mkdir -p "$FDPBLK_RESULTS"
	mktemp -d "$FDPBLK_RESULTS/$1-$(date +%Y%m%d-%H%M%S)-XXXXXX"
}
