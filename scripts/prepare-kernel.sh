#!/usr/bin/env bash
# Prepare a kernel tree for compile checks only (no build, no boot):
# Debian bullseye's linux-source-$KVER (5.10, the oldest kernel source
# Debian still serves), configured like the board's kernel (ARM
# allnoconfig plus scripts/kernel/*.config) and prepared for external
# modules (modules_prepare), once per content of those. The tree is usable
# as KDIR: 'make module KVER=5.10' and scripts/compile-check.sh use it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ -f "$KERNEL_DIR/.done" ] && exit 0

# bullseye_source - fetch linux-source-5.10 from bullseye with an apt
# configuration of its own (the machine's sources stay as they are) and
# print the path of its tarball, cached under $CACHE/debs.
bullseye_source() {
	local apt="$CACHE/apt-bullseye" mirror deb opts
	mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
		grep -v security | head -n1)
	[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null)
	mirror=${mirror:-http://deb.debian.org/debian}
	mkdir -p "$apt/lists/partial" "$CACHE/debs"
	echo "deb $mirror bullseye main" >"$apt/sources.list"
	opts=(-o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts=-
		-o Dir::State::Lists="$apt/lists" -o APT::Get::List-Cleanup=0)
	deb=$(find "$CACHE/debs" -name "linux-source-${KVER}_*_all.deb" | head -n1)
	if [ -z "$deb" ]; then
		log "fetching linux-source-$KVER from Debian bullseye (own apt lists)"
		apt-get -q "${opts[@]}" update >"$apt/update.log" 2>&1 ||
			die "apt-get update for bullseye failed (see $apt/update.log)"
		(cd "$CACHE/debs" && apt-get -q "${opts[@]}" download "linux-source-$KVER" \
			>"$apt/download.log" 2>&1) ||
			die "apt-get download linux-source-$KVER failed (see $apt/download.log)"
		deb=$(find "$CACHE/debs" -name "linux-source-${KVER}_*_all.deb" | head -n1)
	fi
	if [ ! -f "$apt/linux-source-$KVER.tar.xz" ]; then
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xO "./usr/src/linux-source-$KVER.tar.xz" >"$apt/linux-source-$KVER.tar.xz"
	fi
	echo "$apt/linux-source-$KVER.tar.xz"
}

tarball=$(bullseye_source)
log "preparing Linux $KVER for compile checks (once; about a minute)"
rm -rf "$KERNEL_DIR"
mkdir -p "$KERNEL_DIR"
tar -xf "$tarball" -C "$KERNEL_DIR"
mv "$KERNEL_DIR/linux-source-$KVER" "$KERNEL_DIR/src"
kmake() {
	make -C "$KERNEL_DIR/src" O="$KBUILD" ARCH=arm \
		CROSS_COMPILE="$CROSS_COMPILE" "$@"
}
kmake allnoconfig >/dev/null
(cd "$KBUILD" && "$KERNEL_DIR/src/scripts/kconfig/merge_config.sh" -m -O . \
	.config "$TOP"/scripts/kernel/base.config "$TOP"/scripts/kernel/debug.config \
	>merge.log)
# Options that 5.10 does not have are left out by olddefconfig: this tree
# is for compiling, not for booting.
kmake olddefconfig >/dev/null
kmake -j"$JOBS" modules_prepare 2>&1 | progress "modules_prepare" "$KERNEL_DIR/build.log"
[ -f "$KBUILD/include/generated/utsrelease.h" ] || {
	tail -n 30 "$KERNEL_DIR/build.log" >&2
	die "modules_prepare failed"
}
touch "$KERNEL_DIR/.done"
log "Linux $KVER prepared: $KBUILD"
