#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the command of a QEMU whose nvme-ns takes per-namespace atomic
# write parameters (atomic.nawun, atomic.nawupf: QEMU 10.1 and later). The
# kernel takes a namespace's atomic write unit from NAWUPF only ("AWUPF
# ignored, only NAWUPF accepted"), and the test bed's QEMU from
# bookworm-backports (10.0) sets only the controller's AWUPF: without this
# QEMU no namespace in the test bed has an atomic write unit of more than
# one block. run-vm.sh --atomic uses it.
#
# Where the QEMU on PATH has the parameters, that one. Otherwise
# qemu-system-x86 from Debian's trixie-backports, with the trixie
# libraries it needs (its own C library among them), unpacked under
# $FDPBLK_CACHE/qemu-atomic and run by its own dynamic loader: bookworm's
# C library is too old for it. The packages come from the archive this
# machine uses, through a private apt configuration: nothing is installed
# and the host's apt state is not touched. Fetched once (about 40 MB),
# then kept; `rm -rf $FDPBLK_CACHE/qemu-atomic` fetches it again.

set -euo pipefail
. "$(dirname "$0")/common.sh"

has_nawupf() { # QEMU_COMMAND
	"$1" -device nvme-ns,help 2>/dev/null | grep -q 'atomic\.nawupf='
}

if command -v qemu-system-x86_64 >/dev/null && has_nawupf qemu-system-x86_64; then
	echo qemu-system-x86_64
	exit 0
fi
dir=$FDPBLK_CACHE/qemu-atomic
if [ -x "$dir/qemu-system-x86_64" ] && has_nawupf "$dir/qemu-system-x86_64"; then
	echo "$dir/qemu-system-x86_64"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "qemu-atomic: must run as root to fetch QEMU into $dir" >&2
	exit 1
fi
mirror=$(fdpblk_debian_mirror)
if [ -z "$mirror" ]; then
	echo "qemu-atomic: no Debian bookworm archive in the apt sources; set FDPBLK_DEBIAN_MIRROR=URI" >&2
	exit 1
fi
echo "qemu-atomic: fetching qemu-system-x86 from trixie-backports ($mirror) into $dir" >&2
mkdir -p "$FDPBLK_CACHE"
new=$(mktemp -d "$FDPBLK_CACHE/qemu-atomic.new.XXXXXX")
trap 'rm -rf "$new"' EXIT
apt=$new/apt
mkdir -p "$apt/etc/sources.list.d" "$apt/etc/preferences.d" "$apt/etc/apt.conf.d" \
	"$apt/lists/partial" "$apt/archives/partial" "$apt/dpkg"
: > "$apt/dpkg/status"
cat > "$apt/etc/sources.list.d/trixie.sources" <<SRC
Types: deb
URIs: $mirror
Suites: trixie trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
# An empty dpkg status: apt fetches the whole dependency closure, so that
# nothing of bookworm's is mixed in.
cat > "$apt/apt.conf" <<CONF
Dir::Etc "$apt/etc/";
Dir::State::Lists "$apt/lists/";
Dir::State::status "$apt/dpkg/status";
Dir::Cache "$apt/cache/";
Dir::Cache::Archives "$apt/archives/";
Dir::Etc::Trusted "/etc/apt/trusted.gpg";
Dir::Etc::TrustedParts "/etc/apt/trusted.gpg.d/";
Debug::NoLocking "true";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
APT::Default-Release "trixie-backports";
APT::Sandbox::User "root";
CONF
export APT_CONFIG=$apt/apt.conf DEBIAN_FRONTEND=noninteractive
apt-get -qq update
apt-get -qq -y --download-only --no-install-recommends install qemu-system-x86 >/dev/null
root=$new/root
mkdir "$root"
for deb in "$apt"/archives/*.deb; do
	dpkg-deb -x "$deb" "$root"
done
lib=$root/usr/lib/x86_64-linux-gnu
[ -x "$lib/ld-linux-x86-64.so.2" ] && [ -x "$root/usr/bin/qemu-system-x86_64" ] || {
	echo "qemu-atomic: the fetched packages hold no QEMU or no dynamic loader" >&2
	exit 1
}
ver=$(dpkg-deb -f "$(ls "$apt"/archives/qemu-system-x86_*.deb)" Version)
rm -rf "$apt"
# Paths are of the final directory: the wrapper is written for it.
droot=$dir/root
dlib=$droot/usr/lib/x86_64-linux-gnu
cat > "$new/qemu-system-x86_64" <<WRAP
#!/bin/sh
# qemu-system-x86 $ver from trixie-backports, with its own libraries and
# loader (selftests/vm/qemu-atomic.sh).
QEMU_MODULE_DIR=$dlib/qemu exec $dlib/ld-linux-x86-64.so.2 \\
	--library-path $dlib $droot/usr/bin/qemu-system-x86_64 \\
	-L $droot/usr/share/qemu -L $droot/usr/share/seabios "\$@"
WRAP
chmod +x "$new/qemu-system-x86_64"
rm -rf "$dir"
mv "$new" "$dir"
trap - EXIT
if ! has_nawupf "$dir/qemu-system-x86_64"; then
	echo "qemu-atomic: qemu-system-x86 $ver from trixie-backports has no nvme-ns atomic.nawupf" >&2
	exit 1
fi
echo "qemu-atomic: QEMU $ver in $dir" >&2
echo "$dir/qemu-system-x86_64"
