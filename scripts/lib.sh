# Shared by the board scripts: where things live and how big builds are
# cached. Source it; it defines variables and functions only.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Big builds live outside the work tree, keyed by the content of their
# inputs, so a fresh clone on the same machine reuses them.
CACHE=${PYNQ_IRQ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pynq-irq}
KVER=${KVER:-6.1}
# debug: the tests' kernel (KASAN, lockdep, kmemleak ...); bench: the same
# Zynq configuration without the debug options, for 'make bench'.
KFLAVOUR=${KFLAVOUR:-debug}
CROSS_COMPILE=${CROSS_COMPILE:-arm-linux-gnueabihf-}
JOBS=${JOBS:-$(nproc)}
export CACHE KVER KFLAVOUR CROSS_COMPILE
case "$KFLAVOUR" in
debug | bench) ;;
*) echo "KFLAVOUR=$KFLAVOUR: use debug or bench" >&2; exit 2 ;;
esac
# The kernel configuration fragments of this flavour, merged in this order
# onto ARM allnoconfig.
# shellcheck disable=SC2034 # used by the scripts that source this file
KERNEL_FRAGMENTS=("$TOP/scripts/kernel/base.config" "$TOP/scripts/kernel/$KFLAVOUR.config")

# content_key FILE... - a short hash of the named files' contents and names.
content_key() {
	local f
	for f in "$@"; do
		printf '%s\n' "${f#"$TOP"/}"
		cat "$f"
	done | sha256sum | cut -c1-16
}

qemu_key() {
	content_key "$TOP"/scripts/build-qemu.sh "$TOP"/scripts/qemu/*
}

kernel_key() {
	{
		printf '%s\n' "$KVER"
		dpkg-query -W -f='${Version}' "linux-source-$KVER" 2>/dev/null
		if [ "$KVER" = 5.10 ]; then	# compile checks only
			content_key "$TOP"/scripts/prepare-kernel.sh "${KERNEL_FRAGMENTS[@]}"
		else
			content_key "$TOP"/scripts/build-kernel.sh "${KERNEL_FRAGMENTS[@]}"
		fi
	} | sha256sum | cut -c1-16
}

# shellcheck disable=SC2034 # used by the scripts that source this file
QEMU_DIR="$CACHE/qemu-$(qemu_key)"
if [ "$KFLAVOUR" = debug ]; then
	KERNEL_DIR="$CACHE/linux-$KVER-$(kernel_key)"
else
	KERNEL_DIR="$CACHE/linux-$KVER-$KFLAVOUR-$(kernel_key)"
fi
# shellcheck disable=SC2034
QEMU_BIN="$QEMU_DIR/qemu-system-arm"
# shellcheck disable=SC2034
KBUILD="$KERNEL_DIR/build"

log() { printf '>>> %s\n' "$*" >&2; }

# tap_check LABEL DESCRIPTION CMD... - one TAP result of a host-side check:
# "ok N LABEL: DESCRIPTION" when CMD succeeds, else "not ok ...".
# tap_summary prints the "PASSED FAILED SKIPPED" line that boot.sh adds up.
tap_n=0 tap_p=0 tap_f=0
tap_check() {
	local label=$1 desc=$2
	shift 2
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n $label: $desc"
		tap_p=$((tap_p + 1))
	else
		echo "not ok $tap_n $label: $desc"
		tap_f=$((tap_f + 1))
	fi
}
tap_summary() { echo "$tap_p $tap_f 0"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# progress LABEL LOG - read a build's output on stdin, keep all of it in LOG,
# and show one line that counts the steps so far.
progress() {
	local label=$1 logf=$2 n=0 line start=$SECONDS
	: >"$logf"
	while IFS= read -r line; do
		printf '%s\n' "$line" >>"$logf"
		n=$((n + 1))
		if [ $((n % 50)) -eq 0 ]; then
			printf '\r    %s: %d steps, %d s' "$label" "$n" \
				$((SECONDS - start)) >&2
		fi
	done
	printf '\r    %s: %d steps, %d s, done\n' "$label" "$n" \
		$((SECONDS - start)) >&2
}
