#!/usr/bin/env bash
# make lint: checkpatch --strict, sparse and W=1 on the module, kernel-doc
# on its sources, shellcheck on the scripts, the sysfs ABI files, flake8 on
# the Python, and the device-tree bindings.
# Usage: lint.sh KDIR. Exits non-zero on any finding.
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
kdir=${1:?usage: lint.sh KDIR}
ksrc="$kdir/source"
[ -d "$ksrc" ] || ksrc=$kdir
cd "$TOP" || exit 1
fail=0
step() { printf '>>> %s\n' "$*"; }

c_files=$(git ls-files 'drivers/*.c' 'drivers/*.h' 'include/*.h' \
	'selftests/pynq-irq/modules/*.c')

# The module builds for 5.10 to 6.12: the version checks in
# drivers/pynq-irq/compat.h are deliberate.
step "checkpatch --strict"
# shellcheck disable=SC2086 # one file a word
"$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
	--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES \
	--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f $c_files || fail=1
rm -f .checkpatch-camelcase.*

step "kernel-doc"
# shellcheck disable=SC2086
out=$("$ksrc/scripts/kernel-doc" -none $c_files 2>&1)
[ -z "$out" ] || { echo "$out"; fail=1; }

step "sparse and W=1"
for m in "$TOP" "$TOP/selftests/pynq-irq/modules"; do
	out=$(make -s -C "$kdir" O= ARCH=arm CROSS_COMPILE="$CROSS_COMPILE" \
		M="$m" W=1 C=2 CHECK="sparse -Wno-decl" modules 2>&1 |
		grep -v '^  [A-Z]' | grep -E 'warning|error' || true)
	[ -z "$out" ] || { echo "$out"; fail=1; }
done

step "shellcheck"
# shellcheck disable=SC2046
shellcheck -x -e SC1091 $(git ls-files '*.sh' 'scripts/board/init' '.ci/run' ':!wip') ||
	fail=1

step "sysfs ABI files (get_abi.pl validate)"
if [ -f "$ksrc/scripts/get_abi.pl" ]; then
	# It warns but exits 0: any output is a finding.
	out=$(cd "$ksrc" && perl scripts/get_abi.pl validate --dir "$TOP/Documentation/ABI" 2>&1)
	[ -z "$out" ] || { echo "$out"; fail=1; }
else
	echo "$ksrc has no scripts/get_abi.pl"
	fail=1
fi

step "flake8"
# shellcheck disable=SC2046
flake8 $(git ls-files '*.py') || fail=1

if [ -x scripts/lint-dt.sh ]; then
	step "device-tree bindings"
	scripts/lint-dt.sh || fail=1
fi

[ $fail -eq 0 ] && step "lint clean"
exit $fail
