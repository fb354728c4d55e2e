#!/usr/bin/env bash
# make bench: build the benchmark kernel (the board's configuration without
# the debug options) and an initramfs for it, boot the AMP board under
# -icount (and, with BENCH_BOARDS="pins sgi smp", the SMP board beside it in
# plain time: QEMU 7.2 hangs booting two Linux CPUs under -icount, see
# Documentation/performance.rst), collect the BENCH lines the board
# prints (scripts/board/bench.sh), and turn them into build/bench/results.*,
# the plots and Documentation/performance.rst (scripts/bench-report.py),
# comparing with the previous build/bench/results.json.
#   BENCH_ICOUNT=0          plain time instead of -icount (a sanity check;
#                           its figures move from run to run)
#   BENCH_ICOUNT_SHIFT=N    -icount shift (default 1: 2 ns an instruction)
#   BENCH_QUICK=1           short runs, to try the bench out
#   BENCH_BOARDS="pins sgi smp" which boards to boot (default "pins sgi";
#                           the SMP board runs in plain time, slow and
#                           noisy on a loaded host: a check, not a figure)
set -euo pipefail
export KFLAVOUR=bench
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
die() { echo "bench: $*" >&2; exit 1; }

out="$TOP/build/bench"
board="$out/board"
shift_n=${BENCH_ICOUNT_SHIFT:-1}
icount="shift=$shift_n,sleep=off"
[ "${BENCH_ICOUNT:-1}" = 0 ] && icount=
boards=${BENCH_BOARDS:-pins sgi}
mkdir -p "$board"

log "the benchmark kernel, the module for it and the board's initramfs"
make -s --no-print-directory -C "$TOP" initramfs KFLAVOUR=bench O="$board" \
	>"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	die "building for the benchmark failed (${out#"$TOP"/}/build.log)"
}

# The boards: "pins", Linux on one vCPU (the pin paths; with one vCPU,
# QEMU's round-robin kick timer, which runs on host time, does not exist,
# and two runs give the same figures), "sgi", the AMP board (CPU1 runs the
# bare-metal program), and on request "smp", Linux on both CPUs, in plain
# time.
pids=() tails=()
for b in $boards; do
	case "$b" in
	pins) vcpus=1 cpus=1 ic=$icount half=pins ;;
	sgi) vcpus=2 cpus=1 ic=$icount half=sgi ;;
	smp) vcpus=2 cpus=2 ic='' half=pins ;;
	*) die "BENCH_BOARDS: $b is not pins, sgi or smp" ;;
	esac
	# Progress: the board's "bench: ..." lines, as they come (under
	# -icount, boot.sh writes the console to LOG.console first).
	con="$out/$b.log"
	[ -n "$ic" ] && con="$out/$b.log.console"
	rm -f "$out/$b.log" "$out/$b.log.console"
	touch "$con"
	log "booting the $b board (${ic:+-icount $ic, }console in ${out#"$TOP"/}/$b.log)"
	BOARD_VCPUS=$vcpus LINUX_CPUS=$cpus BOARD_ICOUNT=$ic \
		BOARD_DTB=pynq-board-bench.dtb BOARD_LOG="$out/$b.log" QUIET=1 \
		BOARD_APPEND="pynq.bench=$half${BENCH_QUICK:+,quick}" \
		"$TOP/scripts/boot.sh" bench "$board" >/dev/null 2>&1 &
	pids+=($!)
	# tail ends with the board (--pid), and the pipe after it then too.
	tail -n +1 -F --pid="$!" "$con" 2>/dev/null | sed -u 's/\r//' |
		grep --line-buffered '^bench: ' &
	tails+=($!)
done
fail=0
for pid in "${pids[@]}"; do
	wait "$pid" || fail=1
done
for pid in "${tails[@]}"; do
	wait "$pid" || true
done

raws=()
for b in $boards; do
	grep '^BENCH ' "$out/$b.log" | sed 's/^BENCH //' >"$out/raw-$b.jsonl" || true
	[ -s "$out/raw-$b.jsonl" ] || { echo "bench: the $b board measured nothing" >&2; fail=1; }
	raws+=(--raw "$out/raw-$b.jsonl")
	grep -E '^PYNQ-BOARD-EXIT 0' -q "$out/$b.log" ||
		{ echo "bench: the $b board did not finish cleanly (see ${out#"$TOP"/}/$b.log)" >&2; fail=1; }
done

commit=$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)
/usr/bin/python3 "$TOP/scripts/bench-report.py" "${raws[@]}" --out "$out" \
	--doc "$TOP/Documentation/performance.rst" \
	--images "$TOP/Documentation/images" --commit "$commit" \
	--icount "amp: ${icount:-off}; smp: off" --prefer amp \
	--previous "$out/results.json" || fail=1
[ $fail -eq 0 ] || die "some measurements failed (see above)"
log "results in ${out#"$TOP"/}/results.json, results.md and Documentation/performance.rst"
