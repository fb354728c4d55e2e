#!/usr/bin/env bash
# 'make install' and 'make uninstall': the module (then depmod), the uapi
# header, the udev rule and, when there is a python3, the Python package.
# Usage: install.sh install|uninstall KDIR
# Environment: DESTDIR (a staging root, default none), INSTALL_MOD_PATH
# (the modules' root, default DESTDIR), PYTHON (python3), PYTHON_SITE (its
# purelib directory, asked from PYTHON by default). Documentation/install.rst
# lists what is installed where.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
action=${1:?usage: install.sh install|uninstall KDIR}
kdir=${2:?usage: install.sh install|uninstall KDIR}
dest=${DESTDIR:-}
modroot=${INSTALL_MOD_PATH:-$dest}

release=$(cat "$kdir/include/config/kernel.release" 2>/dev/null) ||
	{ echo "error: $kdir is not a prepared kernel build tree" >&2; exit 1; }
moddir="$modroot/lib/modules/$release"
ko="$moddir/extra/pynq-irq.ko"
header="$dest/usr/include/linux/pynq-irq.h"
rule="$dest/etc/udev/rules.d/60-pynq-irq.rules"
python=${PYTHON:-python3}
site=${PYTHON_SITE:-}
if [ -z "$site" ] && command -v "$python" >/dev/null; then
	site=$("$python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
fi
pkg=${site:+$dest$site/pynq_irq}
py_files=(__init__.py _abi.py _interrupt.py _sysfs.py)
# What depmod writes next to the modules.
depmod_files=(modules.alias modules.alias.bin modules.builtin.alias.bin
	modules.builtin.bin modules.dep modules.dep.bin modules.devname
	modules.softdep modules.symbols modules.symbols.bin modules.weakdep)

say() { printf '  %-9s %s\n' "$1" "$2"; }
run_depmod() {
	if command -v depmod >/dev/null; then
		# A staged tree has none of the kernel's own module lists.
		depmod ${modroot:+-b "$modroot"} "$release" 2>&1 |
			{ grep -v 'could not open modules\.\(order\|builtin\)' || true; } >&2
	else
		echo "warning: no depmod; run 'depmod $release' on the board" >&2
	fi
}

# rmdir_up DIR STOP - in a staged tree (DESTDIR), remove DIR and its
# parents while they are empty, up to (not including) STOP. On the system
# itself, directories stay.
rmdir_up() {
	local d=$1
	[ -n "$dest" ] || [ -n "$modroot" ] || return 0
	while [ "$d" != "$2" ] && [ "$d" != / ] && rmdir "$d" 2>/dev/null; do
		d=$(dirname "$d")
	done
}

case "$action" in
install)
	[ -f "$TOP/pynq-irq.ko" ] || { echo "error: build the module first (make)" >&2; exit 1; }
	install -D -m 0644 "$TOP/pynq-irq.ko" "$ko" && say module "$ko"
	run_depmod && say depmod "$moddir"
	install -D -m 0644 "$TOP/include/uapi/linux/pynq-irq.h" "$header" &&
		say header "$header"
	install -D -m 0644 "$TOP/udev/60-pynq-irq.rules" "$rule" && say udev "$rule"
	if [ -n "$pkg" ]; then
		for f in "${py_files[@]}"; do
			install -D -m 0644 "$TOP/python/pynq_irq/$f" "$pkg/$f"
		done
		say python "$pkg"
	fi
	# The group of the udev rule, on the system itself (a staged install
	# leaves it to whoever installs the staged tree).
	if [ -z "$dest" ] && ! getent group pynq-irq >/dev/null; then
		groupadd --system pynq-irq && say group "pynq-irq (created)"
	fi
	;;
uninstall)
	rm -f "$ko" && say removed "$ko"
	rmdir "$(dirname "$ko")" 2>/dev/null || true
	# Our module was the only one: depmod's files go too; else depmod
	# again, without ours.
	if [ -d "$moddir" ] && [ -z "$(find "$moddir" -name '*.ko*' -print -quit)" ]; then
		for f in "${depmod_files[@]}"; do rm -f "$moddir/$f"; done
		rmdir_up "$moddir" "${modroot:-/}"
	elif [ -d "$moddir" ]; then
		run_depmod
	fi
	rm -f "$header" && say removed "$header"
	rmdir_up "$(dirname "$header")" "${dest:-/}"
	rm -f "$rule" && say removed "$rule"
	rmdir_up "$(dirname "$rule")" "${dest:-/}"
	if [ -n "$pkg" ] && [ -d "$pkg" ]; then
		for f in "${py_files[@]}"; do rm -f "$pkg/$f"; done
		rm -rf "$pkg/__pycache__"
		rmdir "$pkg" 2>/dev/null || true
		rmdir_up "$(dirname "$pkg")" "${dest:-/}"
		say removed "$pkg"
	fi
	;;
*)
	echo "usage: install.sh install|uninstall KDIR" >&2
	exit 2
	;;
esac
