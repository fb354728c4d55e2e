#!/usr/bin/env bash
# Boot the emulated PYNQ board with the initramfs in BUILD_DIR.
# Usage: boot.sh check|demo|run|shell BUILD_DIR
#   check  run the selftests, print TAP and 'N passed, N failed'
#   demo   show interrupts flowing
#   run    run the script packed by 'make run SCRIPT=...', exit with its status
#   shell  interactive console (type 'reboot -f' to leave)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
mode=${1:?usage: boot.sh MODE BUILD_DIR}
out=${2:?usage: boot.sh MODE BUILD_DIR}

# Guest time follows executed instructions (DESIGN §7): stimulus periods and
# timeouts in the guest then mean the same on a loaded or an idle host.
ICOUNT=${BOARD_ICOUNT-}
timeout_s=${BOARD_TIMEOUT:-2400}

qemu_args=(
	-M xilinx-zynq-a9 -smp 2 -m 1024
	-kernel "$KBUILD/arch/arm/boot/zImage"
	-dtb "$out/dtbs/pynq-board.dtb"
	-initrd "$out/initramfs.cpio.gz"
	-append "console=ttyPS0,115200 maxcpus=1 loglevel=1 pynq.mode=$mode"
	-display none -monitor none -no-reboot
)
[ -n "$ICOUNT" ] && qemu_args+=(-icount "$ICOUNT")

if [ "$mode" = shell ]; then
	exec "$QEMU_BIN" "${qemu_args[@]}" -serial null -serial mon:stdio
fi

log="$out/$mode.log"
log "booting the emulated PYNQ board ($mode; console log in ${log#"$TOP"/})"
set +e
timeout --foreground -k 10 "$timeout_s" "$QEMU_BIN" "${qemu_args[@]}" \
	-serial null -chardev stdio,id=con,signal=off -serial chardev:con \
	</dev/null | sed -u 's/\r//g' | tee "$log"
qemu_rc=${PIPESTATUS[0]}
set -e

guest_rc=$(sed -n 's/^PYNQ-BOARD-EXIT \([0-9]*\).*/\1/p' "$log" | tail -n1)
if [ -z "$guest_rc" ]; then
	if [ "$qemu_rc" -eq 124 ]; then
		echo "board: the guest did not finish within $timeout_s s (hang?)"
	else
		echo "board: the guest stopped without finishing (QEMU exit $qemu_rc)"
	fi
fi

if [ "$mode" = check ]; then
	passed=$(grep -E '^ok [0-9]+ ' "$log" | grep -vc '# SKIP' || true)
	skipped=$(grep -Ec '^ok [0-9]+ .*# SKIP' "$log" || true)
	failed=$(grep -Ec '^not ok [0-9]+ ' "$log" || true)
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n1)
	ran=$((passed + skipped + failed))
	if [ -z "$guest_rc" ] || [ -z "$planned" ] || [ "$ran" -lt "$planned" ]; then
		failed=$((failed + 1))
		echo "not ok - board: every planned test ran to the end"
	fi
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
	exit
fi
[ -n "$guest_rc" ] || exit 1
exit "$guest_rc"
