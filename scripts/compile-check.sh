#!/usr/bin/env bash
# The compile check: the module and the test modules build against another
# kernel (default 5.10, the oldest Debian serves) with W=1 and without a
# single warning. The kernel tree is prepared by prepare-kernel.sh (cached);
# the sources are copied to OUT/compile-KVER, so that the work tree's
# objects stay those of the board's kernel.
# Usage: compile-check.sh OUT [KVER]
# Prints TAP; the last line is "PASSED FAILED SKIPPED" for boot.sh.
set -uo pipefail
out=${1:?usage: compile-check.sh OUT [KVER]}
mkdir -p "$out" && out=$(cd "$out" && pwd)
KVER=${2:-5.10}
export KVER
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

result() { # result true|false DESCRIPTION
	tap_check compile "$2" "$1"
}

if ! "$TOP/scripts/prepare-kernel.sh" >&2; then
	result false "Linux $KVER tree prepared"
	tap_summary
	exit 0
fi
kdir=$("$TOP/scripts/build-kernel.sh" --path)
src="$out/compile-$KVER"
rm -rf "$src"
mkdir -p "$src/selftests/pynq-irq"
(cd "$TOP" && cp -r Kbuild drivers include "$src/" &&
	cp -r selftests/pynq-irq/modules "$src/selftests/pynq-irq/")
find "$src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
	-o -name '*.order' -o -name '*.symvers' \) -delete

# The module goes through the front door, 'make module KVER=...', run on
# the copy; the test modules straight through Kbuild.
for what in "the module:$src" "the test modules:$src/selftests/pynq-irq/modules"; do
	m=${what#*:}
	log="$m/build.log"
	if [ "$m" = "$src" ]; then
		env -u KVER make -C "$src" -f "$TOP/Makefile" TOP="$src" \
			SCRIPTS="$TOP/scripts" module KVER="$KVER" >"$log" 2>&1
	else
		make -C "$kdir" O= ARCH=arm CROSS_COMPILE="$CROSS_COMPILE" M="$m" \
			W=1 modules >"$log" 2>&1
	fi
	rc=$?
	# Each module must be built for this kernel, not the board's default.
	for ko in "$m"/*.ko; do
		magic=$(modinfo -F vermagic "$ko" 2>/dev/null)
		case "$magic" in
		"$KVER".*) ;;
		*) echo "$ko: vermagic '$magic', not Linux $KVER" >>"$log"
		   echo "# ${ko##*/} is built for '${magic%% *}', not Linux $KVER"
		   rc=1 ;;
		esac
	done
	# A prepared tree has no vmlinux, so modpost cannot check the symbols
	# and says so in these two lines; every other warning counts.
	warn=$(grep -E 'warning|error|WARNING' "$log" |
		grep -v -e 'Symbol version dump "Module.symvers" is missing' \
			-e 'Symbol info of vmlinux is missing')
	if [ $rc -eq 0 ] && [ -z "$warn" ]; then
		result true "${what%%:*} against Linux $KVER, W=1, no warnings"
	else
		echo "$warn" | head -n 40 | sed 's/^/# /'
		[ $rc -eq 0 ] || tail -n 20 "$log" | sed 's/^/# /'
		result false "${what%%:*} against Linux $KVER, W=1, no warnings"
	fi
done
tap_summary
