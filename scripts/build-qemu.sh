#!/usr/bin/env bash
# Build qemu-system-arm from Debian's qemu source package with the project's
# board patches (scripts/qemu/*.patch), once per content of those patches.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = --path ]; then
	echo "$QEMU_BIN"
	exit 0
fi
[ -x "$QEMU_BIN" ] && exit 0

log "building QEMU for the emulated board (once; about 5-10 minutes)"
work="$QEMU_DIR.tmp"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
apt-get source -q qemu >src.log 2>&1 || {
	cat src.log >&2
	die "apt-get source qemu failed (is deb-src enabled? run scripts/setup-deps.sh)"
}
src=$(find . -maxdepth 1 -type d -name 'qemu-*' | head -n1)
[ -n "$src" ] || die "no qemu source tree after apt-get source"
for p in "$TOP"/scripts/qemu/*.patch; do
	patch -d "$src" -p1 -s <"$p" || die "patch $(basename "$p") does not apply"
done
mkdir build
cd build
"../$src/configure" --target-list=arm-softmmu \
	--without-default-devices --with-devices-arm=pynq \
	--disable-docs --disable-tools --disable-install-blobs \
	--disable-werror --disable-user --disable-gtk --disable-sdl \
	--disable-vnc --disable-opengl --disable-xen --disable-kvm \
	--disable-curses --disable-spice --disable-libusb \
	--disable-capstone --disable-slirp --disable-guest-agent \
	>configure.log 2>&1 || { tail -n 30 configure.log >&2; die "QEMU configure failed"; }
ninja -j"$JOBS" qemu-system-arm 2>&1 | progress "qemu" ninja.log
[ -x qemu-system-arm ] || { tail -n 30 ninja.log >&2; die "QEMU build failed"; }
mkdir -p "$QEMU_DIR"
cp qemu-system-arm "$QEMU_BIN.new"
mv "$QEMU_BIN.new" "$QEMU_BIN"
cd /
rm -rf "$work"
log "QEMU ready: $QEMU_BIN"
