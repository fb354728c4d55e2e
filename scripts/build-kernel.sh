#!/usr/bin/env bash
# Build the board's kernel from Debian's linux-source-$KVER: ARM
# allnoconfig plus the fragments of KFLAVOUR (lib.sh: base.config, then
# debug.config for the tests or bench.config for 'make bench'), once per
# content of those.
# The result is a kernel build tree usable as KDIR for out-of-tree modules.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = --path ]; then
	echo "$KBUILD"
	exit 0
fi
[ -f "$KERNEL_DIR/.done" ] && exit 0

tarball=/usr/src/linux-source-$KVER.tar.xz
[ -f "$tarball" ] || die "$tarball missing (apt-get install linux-source-$KVER)"

log "building the Linux $KVER $KFLAVOUR kernel for the board (once; about 6-8 minutes)"
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
	.config "${KERNEL_FRAGMENTS[@]}" >merge.log)
kmake olddefconfig >/dev/null
# Every option the fragments ask for must have survived olddefconfig.
bad=0
while IFS= read -r want; do
	case "$want" in
	CONFIG_*=n)
		grep -qx "${want%=n}=y" "$KBUILD/.config" && {
			echo "kernel config: $want not honoured" >&2
			bad=1
		} ;;
	CONFIG_*)
		grep -qxF "$want" "$KBUILD/.config" || {
			echo "kernel config: $want not honoured" >&2
			bad=1
		} ;;
	esac
done < <(cat "${KERNEL_FRAGMENTS[@]}")
[ $bad -eq 0 ] || die "kernel config fragments do not apply"
kmake -j"$JOBS" zImage modules 2>&1 | progress "kernel" "$KERNEL_DIR/build.log"
[ -f "$KBUILD/arch/arm/boot/zImage" ] || {
	tail -n 30 "$KERNEL_DIR/build.log" >&2
	die "kernel build failed"
}
touch "$KERNEL_DIR/.done"
log "kernel ready: $KBUILD"
