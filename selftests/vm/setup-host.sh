#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the fdpblk test bed needs on a Debian 12 host, from the
# Debian archive only: QEMU with NVMe FDP emulation from bookworm-backports,
# the Linux 7.x source tarball from trixie-backports, the kernel build
# dependencies and the userspace tools the tests run inside the guest (the
# guest's root file system is the host's, over 9p).
#
# Idempotent and quiet when everything is present already.

set -euo pipefail
. "$(dirname "$0")/common.sh"

KVER=${FDPBLK_KVER:-7.3}
QEMU_MIN=8.0

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "setup-host: must run as root to install packages" >&2
		exit 1
	fi
}

pkgs=(build-essential bc bison flex libelf-dev libssl-dev cpio kmod
      xz-utils rsync sparse pkg-config liburing-dev libjson-c-dev
      libtracefs-dev libtraceevent-dev
      fio nvme-cli jq e2fsprogs util-linux fdisk procps psmisc dmsetup python3 dkms
      systemd udev)

missing=()
for p in "${pkgs[@]}" "linux-source-$KVER"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done

qemu_ok() {
	command -v qemu-system-x86_64 >/dev/null || return 1
	local v
	v=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\.[0-9]*\).*/\1/p')
	[ "$(printf '%s\n%s\n' "$QEMU_MIN" "$v" | sort -V | head -1)" = "$QEMU_MIN" ]
}

if [ ${#missing[@]} -eq 0 ] && qemu_ok; then
	exit 0
fi
need_root

# The backports suites come from the Debian archive this machine already
# uses for bookworm (its mirror, as apt knows it), or FDPBLK_DEBIAN_MIRROR.
# What is added to /etc/apt is said; `make distclean` removes it.
src=/etc/apt/sources.list.d/fdpblk-backports.sources
pin=/etc/apt/preferences.d/fdpblk-trixie
if [ ! -e "$src" ]; then
	mirror=$(fdpblk_debian_mirror)
	if [ -z "$mirror" ]; then
		echo "setup-host: no Debian bookworm archive in the apt sources; set FDPBLK_DEBIAN_MIRROR=URI" >&2
		exit 1
	fi
	echo "setup-host: adding $src (bookworm-backports, trixie-backports from $mirror) and $pin; make distclean removes them" >&2
	cat > "$src" <<SRC
Types: deb
URIs: $mirror
Suites: bookworm-backports trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
# Only the kernel source tarball may come from trixie-backports: nothing
# there may replace a bookworm package.
cat > "$pin" <<'PIN'
Package: *
Pin: release n=trixie-backports
Pin-Priority: -1

Package: linux-source-*
Pin: release n=trixie-backports
Pin-Priority: 500
PIN

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! qemu_ok; then
	apt-get install -y -qq --no-install-recommends -t bookworm-backports \
		qemu-system-x86 ipxe-qemu >/dev/null
fi
qemu_ok || { echo "setup-host: QEMU >= $QEMU_MIN not available" >&2; exit 1; }
