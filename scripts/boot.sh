#!/usr/bin/env bash
# Boot the emulated PYNQ board with the initramfs in BUILD_DIR.
# Usage: boot.sh check|demo|run|shell BUILD_DIR
#   check  run the selftests, print TAP and 'N passed, N failed'
#   demo   show interrupts flowing
#   run    run the script packed by 'make run SCRIPT=...', exit with its status
#   shell  interactive console (type 'reboot -f' to leave)
# The braces make bash read the whole script before running it, so that
# editing it while a board runs does not break that run.
{
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
mode=${1:?usage: boot.sh MODE BUILD_DIR}
out=${2:?usage: boot.sh MODE BUILD_DIR}

# BOARD_ICOUNT=shift=N,sleep=off makes guest time follow executed
# instructions (for measurements; Documentation/board.rst has a known
# problem with it). The tests run without it.
ICOUNT=${BOARD_ICOUNT-}
timeout_s=${BOARD_TIMEOUT:-2400}

cmdline="console=ttyPS0,115200 maxcpus=1 loglevel=1 pynq.mode=$mode"
qemu_args=(
	-M xilinx-zynq-a9 -smp 2 -m 1024
	-kernel "$KBUILD/arch/arm/boot/zImage"
	-dtb "$out/dtbs/pynq-board.dtb"
	-initrd "$out/initramfs.cpio.gz"
	-display none -monitor none -no-reboot
)
[ -n "$ICOUNT" ] && qemu_args+=(-icount "$ICOUNT")

if [ "$mode" = shell ]; then
	exec "$QEMU_BIN" "${qemu_args[@]}" -append "$cmdline" \
		-serial null -serial mon:stdio
fi

# boot LOG [KERNEL ARG] - run the board until it powers off; its console
# goes to LOG, and to stdout too unless QUIET=1. QEMU's status goes to
# LOG.rc.
boot() {
	local log=$1 extra=${2:-} rc

	set +e
	timeout --foreground -k 10 "$timeout_s" "$QEMU_BIN" "${qemu_args[@]}" \
		-append "$cmdline${extra:+ $extra}" \
		-serial null -chardev stdio,id=con,signal=off -serial chardev:con \
		</dev/null | sed -u 's/\r//g' |
		if [ "${QUIET:-0}" = 1 ]; then cat >"$log"; else tee "$log"; fi
	rc=${PIPESTATUS[0]}
	set -e
	echo "$rc" >"$log.rc"
}

# finished LOG - the guest's exit status, or nothing (and why) if it did
# not finish.
finished() {
	local rc

	rc=$(sed -n 's/^PYNQ-BOARD-EXIT \([0-9]*\).*/\1/p' "$1" | tail -n1)
	if [ -n "$rc" ]; then
		echo "$rc"
	elif [ "$(cat "$1.rc")" -eq 124 ]; then
		echo "board: the guest did not finish within $timeout_s s (hang?)" >&2
	else
		echo "board: the guest stopped without finishing (QEMU exit $(cat "$1.rc"))" >&2
	fi
}

if [ "$mode" != check ]; then
	log="$out/$mode.log"
	log "booting the emulated PYNQ board ($mode; console log in ${log#"$TOP"/})"
	boot "$log"
	guest_rc=$(finished "$log")
	[ -n "$guest_rc" ] || exit 1
	exit "$guest_rc"
fi

# check: with two host CPUs or more, a second board runs the tests named in
# BOARD2_TESTS (the module load/unload cycles are the longest test) while
# the first runs the rest, each in tests.list order. BOARD_JOBS=1 runs every
# test on one board.
jobs=${BOARD_JOBS:-$(nproc)}
BOARD2_TESTS=${BOARD2_TESTS-board_uio.sh harness_scan.sh intc_module.sh intc_bad_dt.sh examples.sh}
list1=() list2=()
while read -r t; do
	case "$t" in '' | '#'*) continue ;; esac
	if [ "$jobs" -gt 1 ] && [[ " $BOARD2_TESTS " == *" $t "* ]]; then
		list2+=("$t")
	else
		list1+=("$t")
	fi
done <"$out/selftests/tests.list"

logs=("$out/check.log")
if [ ${#list2[@]} -gt 0 ]; then
	logs+=("$out/check-2.log")
	log "board 2 runs ${list2[*]} (console log in ${logs[1]#"$TOP"/}; shown at the end)"
	QUIET=1 boot "${logs[1]}" "pynq.tests=$(IFS=,; echo "${list2[*]}")" &
	board2=$!
fi
log "booting the emulated PYNQ board (check; console log in ${logs[0]#"$TOP"/})"
boot "${logs[0]}" "pynq.tests=$(IFS=,; echo "${list1[*]}")"
if [ -n "${board2:-}" ]; then
	wait "$board2" || true
	log "board 2 (${list2[*]}):"
	cat "${logs[1]}"
fi

passed=0 failed=0 skipped=0
for l in "${logs[@]}"; do
	guest_rc=$(finished "$l")
	p=$(grep -E '^ok [0-9]+ ' "$l" | grep -vc '# SKIP' || true)
	s=$(grep -Ec '^ok [0-9]+ .*# SKIP' "$l" || true)
	f=$(grep -Ec '^not ok [0-9]+ ' "$l" || true)
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$l" | head -n1)
	if [ -z "$guest_rc" ] || [ -z "$planned" ] || [ $((p + s + f)) -lt "$planned" ]; then
		f=$((f + 1))
		echo "not ok - board ${l##*/}: every planned test ran to the end"
	fi
	passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + f))
done
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
exit
}
