#!/usr/bin/env bash
# Pack the board's initramfs: busybox-static (armhf, from Debian), CPython
# and pytest (python-root.sh), what 'make install' installs (the module,
# the pynq_irq package ...), the board's /init and test runner, the test modules, the
# selftests, the overlays, the CPU1 program, and for 'make run' the script.
# Usage: make-initramfs.sh BUILD_DIR [HOST_SCRIPT]
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
out=${1:?usage: make-initramfs.sh BUILD_DIR [SCRIPT]}
script=${2:-}

debs="$CACHE/debs"
bb=$(find "$debs" -name 'busybox-static_*_armhf.deb' 2>/dev/null | head -n1 || true)
if [ -z "$bb" ]; then
	log "fetching busybox-static:armhf"
	mkdir -p "$debs"
	(cd "$debs" && apt-get download -q busybox-static:armhf >/dev/null 2>&1) ||
		die "apt-get download busybox-static:armhf failed (dpkg --add-architecture armhf; apt-get update)"
	bb=$(find "$debs" -name 'busybox-static_*_armhf.deb' | head -n1)
fi

root="$out/rootfs"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,root,etc,usr/bin,usr/sbin}
mkdir -p "$root/usr/lib/pynq-irq/selftests"
dpkg-deb -x "$bb" "$out/busybox-deb"
cp "$out/busybox-deb/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
# Scripts start with '#!/usr/bin/env python3', as on a real board.
ln -s ../../bin/busybox "$root/usr/bin/env"
rm -rf "$out/busybox-deb"
pyroot=$("$TOP/scripts/python-root.sh")
cp -a "$pyroot/." "$root/"
# The module, its depmod files, the header, the udev rule and the Python
# package, laid out by 'make install' as on a real board (the board's
# python3 is 3.11, as the host's Debian one).
make -s --no-print-directory -C "$TOP" install DESTDIR="$root" \
	PYTHON=/usr/bin/python3.11 >"$out/install.log" ||
	die "make install DESTDIR=$root failed (see ${out#"$TOP"/}/install.log)"
/usr/bin/python3.11 -m compileall -q -s "$root" -p / \
	--invalidation-mode unchecked-hash \
	"$root/usr/local/lib/python3.11/dist-packages/pynq_irq" >/dev/null
install -m 0755 "$TOP/scripts/board/init" "$root/init"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/false' >>"$root/etc/passwd"
# A PYNQ user in the udev rule's group, as 'usermod -aG pynq-irq' makes it.
echo 'xilinx:x:1000:1000:PYNQ user:/tmp:/bin/sh' >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\nxilinx:x:1000:\npynq-irq:x:990:xilinx\n' \
	>"$root/etc/group"

sel="$root/usr/lib/pynq-irq/selftests"
install -m 0755 "$TOP/scripts/board/run-tests.sh" "$sel/"
install -m 0644 "$TOP/scripts/board/report-scan.sh" "$sel/"
cp -a "$out/selftests/." "$sel/"
install -m 0755 "$TOP/scripts/board/demo.sh" "$TOP/scripts/board/bench.sh" \
	"$root/usr/lib/pynq-irq/"
install -m 0755 "$TOP/scripts/board/demo-sgi.sh" "$sel/"
cp "$TOP"/selftests/pynq-irq/modules/*.ko "$sel/"
cp "$out"/dtbs/*.dtbo "$sel/" 2>/dev/null || true
[ -f "$out/cpu1/cpu1.bin" ] && cp "$out/cpu1/cpu1.bin" "$sel/"
if [ -n "$script" ]; then
	install -m 0755 "$script" "$root/run.sh"
fi

# Not compressed: the emulated CPU takes about 18 s to gunzip it (5 s to
# unpack it as it is), and QEMU loads the file into the board's RAM as is.
#
# Reproducible: the same files give the same bytes (one mtime for all,
# inodes numbered in order). Under -icount the board then runs the same
# instructions on every boot, down to its random pool, and two runs of
# 'make bench' measure the same thing.
rm -f "$out/initramfs.cpio.gz"
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0 --reproducible) >"$out/initramfs.cpio"
