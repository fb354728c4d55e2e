#!/usr/bin/env bash
# Boot the emulated PYNQ board with the initramfs in BUILD_DIR.
# Usage: boot.sh check|demo|bench|run|shell BUILD_DIR
#   check  run the selftests, print TAP and 'N passed, N failed'
#   demo   show interrupts flowing
#   bench  run the measurements (scripts/bench.sh boots it)
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
[ -n "${TORTURE:-}" ] && timeout_s=${BOARD_TIMEOUT:-$((${TORTURE_MINUTES:-50} * 60 + 900))}
# make soak (SOAK=1): the tortures in rounds for SOAK_MINUTES; the last
# run may go on past the end (run-tests.sh).
[ -n "${SOAK:-}" ] && timeout_s=${BOARD_TIMEOUT:-$((${SOAK_MINUTES:-30} * 60 + 1800))}

# Board profiles: LINUX_CPUS=2 is SMP (Linux on both CPUs, as PYNQ images
# run); LINUX_CPUS=1 is AMP (maxcpus=1: CPU1 is left to the bare-metal
# program). demo, run and shell default to AMP; check boots both.
profile_args() {
	case "$1" in
	2 | smp) echo "" ;;
	1 | amp) echo "maxcpus=1" ;;
	*) die "LINUX_CPUS=$1: use 1 (AMP) or 2 (SMP)" ;;
	esac
}
# BOARD_APPEND adds kernel arguments (e.g. loglevel=7 to see the kernel's
# messages on the console while debugging).
# deferred_probe_timeout=-1: the kernel keeps the device links that the
# device tree implies (fw_devlink) until the module's driver binds, however
# long the boot takes; by default it relaxes them 10 s after the last
# initcall, and then whether unbinding the INTC first unbinds its
# consumers (intc_held.sh) would depend on the boot's speed.
cmdline="console=ttyPS0,115200 loglevel=1 deferred_probe_timeout=-1 pynq.mode=$mode${BOARD_APPEND:+ $BOARD_APPEND}"
qemu_args=(
	-M xilinx-zynq-a9 -smp "${BOARD_VCPUS:-2}" -m 1024
	-kernel "$KBUILD/arch/arm/boot/zImage"
	-dtb "$out/dtbs/${BOARD_DTB:-pynq-board.dtb}"
	-initrd "$out/initramfs.cpio"
	-display none -monitor none -no-reboot
)
[ -n "$ICOUNT" ] && qemu_args+=(-icount "$ICOUNT")

if [ "$mode" = shell ]; then
	exec "$QEMU_BIN" "${qemu_args[@]}" \
		-append "$cmdline $(profile_args "${LINUX_CPUS:-1}")" \
		-serial null -serial mon:stdio
fi

# boot LOG [KERNEL ARG] - run the board until it powers off; its console
# goes to LOG, and to stdout too unless QUIET=1 (under -icount with
# QUIET=1, to LOG.console as it comes, and to LOG at the end). QEMU's
# status goes to LOG.rc.
boot() {
	local log=$1 extra=${2:-} rc

	set +e
	if [ "${QUIET:-0}" = 1 ] && [ -n "$ICOUNT" ]; then
		# Under -icount, straight into a file (LOG.console, with the
		# UART's CRs, as it comes): QEMU's writes to a pipe can wait on
		# its reader, and when the UART's transmit interrupt follows a
		# wait on host time, two runs stop giving the same figures.
		timeout --foreground -k 10 "$timeout_s" "$QEMU_BIN" "${qemu_args[@]}" \
			-append "$cmdline${extra:+ $extra}" \
			-serial null -chardev file,id=con,path="$log.console" \
			-serial chardev:con </dev/null >/dev/null 2>&1
		rc=$?
		sed 's/\r//g' "$log.console" >"$log"
	else
		timeout --foreground -k 10 "$timeout_s" "$QEMU_BIN" "${qemu_args[@]}" \
			-append "$cmdline${extra:+ $extra}" \
			-serial null -chardev stdio,id=con,signal=off -serial chardev:con \
			</dev/null | sed -u 's/\r//g' |
			if [ "${QUIET:-0}" = 1 ]; then cat >"$log"; else tee "$log"; fi
		rc=${PIPESTATUS[0]}
	fi
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
	log=${BOARD_LOG:-$out/$mode.log}
	log "booting the emulated PYNQ board ($mode; console log in ${log#"$TOP"/})"
	boot "$log" "$(profile_args "${LINUX_CPUS:-1}")"
	guest_rc=$(finished "$log")
	[ -n "$guest_rc" ] || exit 1
	exit "$guest_rc"
fi

# check: one board per profile (selftests/pynq-irq/profiles says which
# tests run on which), side by side when the host has two CPUs or more
# (BOARD_JOBS=1 boots them one after the other). TESTS="a b" runs only the
# named tests of tests.list. Every way a run can go wrong counts as a
# failure: no tests, an unknown test, a test without a profile, a guest
# that does not finish or exits non-zero, fewer results than tests.
jobs=${BOARD_JOBS:-$(nproc)}
# Host-side tests first, their cases counted like the boards': the
# runner's own self-test (harness_scan.sh does the board side), the Python
# package's pure logic, the compile check against the oldest kernel, and
# the install path.
# (RUNNER_SELFTEST is set while that self-test runs this script.)
self_p=0 self_f=0
host_step() { # host_step LABEL CMD... - run CMD, show its TAP, add its counts
	local res p f
	log "$1"
	shift
	res=$("$@")
	echo "$res" | sed '$d'
	read -r p f _ < <(echo "$res" | tail -n1)
	self_p=$((self_p + p)) self_f=$((self_f + f))
}
if [ -z "${RUNNER_SELFTEST:-}" ] && [ -z "${TORTURE:-}${SOAK:-}" ]; then
	host_step "the runner's self-test" "$TOP/scripts/test-runner.sh"
	host_step "the Python package's host-side tests" "$TOP/scripts/host-tests.sh"
	host_step "the compile check against Linux 5.10" \
		"$TOP/scripts/compile-check.sh" "$out" 5.10
	host_step "make install, make uninstall, dkms build" \
		"$TOP/scripts/install-check.sh"
fi
profiles="$TOP/selftests/pynq-irq/profiles"
list="$out/selftests/tests.list"
failed=$self_f
bad() {
	echo "not ok - $*"
	failed=$((failed + 1))
}

all=()
[ -s "$list" ] && while read -r t; do
	case "$t" in '' | '#'*) continue ;; esac
	all+=("$t")
done <"$list"
[ ${#all[@]} -gt 0 ] || bad "tests.list names no tests (${list#"$TOP"/})"
wanted=("${all[@]}")
# make torture (TORTURE=1): the tests of selftests/pynq-irq/torture, in
# their long versions.
# make soak (SOAK=1): the same tests, in rounds.
# A second word on a line of that file is the test's weight in make
# torture's time (run-tests.sh).
if [ -n "${TORTURE:-}${SOAK:-}" ] && [ -z "${TESTS:-}" ]; then
	TESTS=$(sed 's/#.*//' "$TOP/selftests/pynq-irq/torture" | awk 'NF { print $1 }')
fi
weights=$(sed 's/#.*//' "$TOP/selftests/pynq-irq/torture" |
	awk 'NF > 1 { printf "%s%s:%s", sep, $1, $2; sep = "," }')
if [ -n "${TESTS:-}" ]; then
	wanted=()
	for t in $TESTS; do
		if [[ " ${all[*]} " == *" $t "* ]]; then
			wanted+=("$t")
		else
			bad "TESTS: no test named $t in tests.list"
		fi
	done
fi
smp=() amp=()
for t in "${wanted[@]}"; do
	p=$(awk -v t="$t" '$1 == t { $1 = ""; print }' "$profiles")
	[ -n "$p" ] || bad "$t has no profile in ${profiles#"$TOP"/}"
	[[ " $p " == *" smp "* ]] && smp+=("$t")
	[[ " $p " == *" amp "* ]] && amp+=("$t")
done

# The runner prints one result per test plus three of its own (boot,
# kmemleak, end).
boards=() logs=() expect=()
# A soak prints a result a run, as many as fit in its time.
[ ${#smp[@]} -gt 0 ] && { boards+=(smp); logs+=("$out/check-smp.log"); expect+=($((${#smp[@]} + 3))); }
[ ${#amp[@]} -gt 0 ] && { boards+=(amp); logs+=("$out/check-amp.log"); expect+=($((${#amp[@]} + 3))); }
[ -z "${SOAK:-}" ] || expect=(soak soak)
[ ${#boards[@]} -gt 0 ] || bad "no tests to run"

# board_args I - the kernel arguments of board I: profile and tests.
board_args() {
	local tl
	if [ "${boards[$1]}" = smp ]; then tl=("${smp[@]}"); else tl=("${amp[@]}"); fi
	echo "$(profile_args "${boards[$1]}") pynq.tests=$(IFS=,; echo "${tl[*]}")${TORTURE:+ pynq.torture=1 pynq.torture_minutes=${TORTURE_MINUTES:-50}${weights:+ pynq.torture_weights=$weights}}${SOAK:+ pynq.soak_minutes=${SOAK_MINUTES:-30}}${SOAK_SEED:+ pynq.soak_seed=$SOAK_SEED}"
}
if [ "$jobs" -gt 1 ] && [ ${#boards[@]} -gt 1 ]; then
	log "the ${boards[1]} board runs alongside (console log in ${logs[1]#"$TOP"/}; shown at the end)"
	QUIET=1 boot "${logs[1]}" "$(board_args 1)" &
	second=$!
	log "booting the ${boards[0]} board (check; console log in ${logs[0]#"$TOP"/})"
	boot "${logs[0]}" "$(board_args 0)"
	wait "$second" || true
	log "the ${boards[1]} board:"
	cat "${logs[1]}"
else
	for i in "${!boards[@]}"; do
		log "booting the ${boards[$i]} board (check; console log in ${logs[$i]#"$TOP"/})"
		boot "${logs[$i]}" "$(board_args "$i")"
	done
fi

passed=$self_p skipped=0
for i in "${!boards[@]}"; do
	res=$("$TOP/scripts/board/summary.sh" "${logs[$i]}" "${expect[$i]}")
	echo "$res" | grep '^not ok' || true
	read -r p f s < <(echo "$res" | tail -n1)
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
exit
}
