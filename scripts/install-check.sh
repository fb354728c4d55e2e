#!/usr/bin/env bash
# The install path, checked on the host against the board's kernel tree:
# 'make install DESTDIR=' lays out exactly the files Documentation/
# install.rst lists, 'make uninstall' with the same DESTDIR leaves the tree
# empty, and Debian's dkms builds the module from dkms.conf (cross, with
# --kernelsourcedir, in a DKMS tree of its own).
# Usage: install-check.sh
# Prints TAP; the last line is "PASSED FAILED SKIPPED" for boot.sh.
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { tap_check install "$@"; } # check DESCRIPTION CMD...

release=$(cat "$KBUILD/include/config/kernel.release")
# The list of install.rst, between its two markers, for this release and
# the board's Python (3.11).
documented() {
	sed -n '/^\.\. installed-files-begin/,/^\.\. installed-files-end/p' \
		"$TOP/Documentation/install.rst" | sed -n 's/^   \(\/.*\)/\1/p' |
		sed "s/<release>/$release/; s/<X.Y>/3.11/" | sort
}
layout() {
	make -s -C "$TOP" install DESTDIR="$tmp/root" PYTHON=/usr/bin/python3.11 \
		>"$tmp/install.log" 2>&1 || { sed 's/^/# /' "$tmp/install.log"; return 1; }
	(cd "$tmp/root" && find . -type f | sed 's/^\.//' | sort) >"$tmp/got"
	documented >"$tmp/want"
	diff -u "$tmp/want" "$tmp/got" | sed 's/^/# /'
	[ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got"
}
check "make install DESTDIR= lays out the files install.rst lists" layout
emptied() {
	make -s -C "$TOP" uninstall DESTDIR="$tmp/root" PYTHON=/usr/bin/python3.11 \
		>"$tmp/uninstall.log" 2>&1 || { sed 's/^/# /' "$tmp/uninstall.log"; return 1; }
	find "$tmp/root" -mindepth 1 | sed 's/^/# left: /'
	[ -z "$(find "$tmp/root" -mindepth 1)" ]
}
check "make uninstall with the same DESTDIR leaves it empty" emptied

dkms_builds() {
	local src="$tmp/dkms-src/pynq-irq-0.1.0" tree="$tmp/dkms-tree" ko
	mkdir -p "$src" "$tree"
	(cd "$TOP" && cp -r Kbuild dkms.conf drivers include "$src/")
	find "$src" \( -name '*.o' -o -name '.*.cmd' \) -delete
	if ! dkms add -m pynq-irq -v 0.1.0 --sourcetree "$tmp/dkms-src" \
		--dkmstree "$tree" >"$tmp/dkms.log" 2>&1 ||
		! ARCH=arm CROSS_COMPILE="$CROSS_COMPILE" dkms build -m pynq-irq \
			-v 0.1.0 -k "$release" -a armv7l --kernelsourcedir "$KBUILD" \
			--sourcetree "$tmp/dkms-src" --dkmstree "$tree" \
			>>"$tmp/dkms.log" 2>&1; then
		sed 's/^/# /' "$tmp/dkms.log"
		return 1
	fi
	ko=$(find "$tree/pynq-irq/0.1.0/$release" -name pynq-irq.ko)
	echo "# dkms built ${ko#"$tree"/}: $(file -b "$ko" | cut -d, -f1-2)"
	[ -n "$ko" ] && file -b "$ko" | grep -q 'ELF 32-bit LSB relocatable, ARM'
}
check "dkms build makes the module for the board's kernel" dkms_builds
tap_summary
