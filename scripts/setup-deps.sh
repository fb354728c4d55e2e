#!/usr/bin/env bash
# Install everything the board, the kernel and the tests need, from Debian's
# packages only. Safe to run again: it does nothing when all is present.
set -euo pipefail

PKGS=(
	# host compiler (QEMU, dtc preprocessing, kernel host tools)
	build-essential git
	# cross and bare-metal compilers, device trees
	gcc-arm-linux-gnueabihf libc6-dev-armhf-cross gcc-arm-none-eabi
	libnewlib-arm-none-eabi device-tree-compiler
	# kernel build (KVER=6.12 boots Debian's 6.12; 5.10 is fetched from
	# bullseye by build-kernel.sh)
	linux-source-6.1 bc bison flex libssl-dev libelf-dev cpio kmod xz-utils
	rsync
	# QEMU build
	meson ninja-build pkg-config libglib2.0-dev libpixman-1-dev zlib1g-dev
	libfdt-dev dpkg-dev python3-venv
	# the board's Python is byte-compiled with the same CPython release
	python3.11 python3-pytest python3-pip python3-setuptools
	# the install path's checks
	dkms
	# make bench's plots
	gnuplot-nox
	# lint
	sparse shellcheck dt-schema flake8
	# misc
	ca-certificates file
)

case "${KVER:-6.1}" in
6.1 | 5.10) ;;
*) PKGS+=("linux-source-$KVER") ;;
esac

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

need_arch=0
dpkg --print-foreign-architectures | grep -qx armhf || need_arch=1
need_src=0
grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list.d/ /etc/apt/sources.list ||
	need_src=1

if [ ${#missing[@]} -eq 0 ] && [ $need_arch -eq 0 ] && [ $need_src -eq 0 ]; then
	exit 0
fi

echo ">>> installing build dependencies with apt (once per machine)"
if [ $need_arch -eq 1 ]; then
	dpkg --add-architecture armhf
fi
if [ $need_src -eq 1 ]; then
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed -i 's/^Types: deb$/Types: deb deb-src/' \
			/etc/apt/sources.list.d/debian.sources
	fi
	if [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list \
			>/etc/apt/sources.list.d/pynq-irq-src.list
	fi
fi
# A mirror that is mid-sync makes one index fail; carry on and let the
# install step say what is really missing.
apt-get update -q || echo "warning: apt-get update reported errors; continuing" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	"${missing[@]}"
