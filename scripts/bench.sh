#!/usr/bin/env bash
# make bench: build the benchmark kernel (the board's configuration without
# the debug options) and an initramfs for it, boot the AMP board under
# -icount (and, with BENCH_PROFILES="amp smp", the SMP board beside it in
# plain time: QEMU 7.2 hangs booting two Linux CPUs under -icount, see
# Documentation/performance.rst), collect the BENCH lines the board
# prints (scripts/board/bench.sh), and turn them into build/bench/results.*,
# the plots and Documentation/performance.rst (scripts/bench-report.py),
# comparing with the previous build/bench/results.json.
#   BENCH_ICOUNT=0          plain time instead of -icount (a sanity check;
#                           its figures move from run to run)
#   BENCH_ICOUNT_SHIFT=N    -icount shift (default 1: 2 ns an instruction)
#   BENCH_QUICK=1           short runs, to try the bench out
#   BENCH_PROFILES="amp smp" which boards to boot (default amp: the SMP
#                           board runs in plain time, slow and noisy on a
#                           loaded host; it is a check, not a figure)
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
profiles=${BENCH_PROFILES:-amp}
mkdir -p "$board"

log "the benchmark kernel, the module for it and the board's initramfs"
make -s --no-print-directory -C "$TOP" initramfs KFLAVOUR=bench O="$board" \
	>"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	die "building for the benchmark failed (${out#"$TOP"/}/build.log)"
}

pids=() tails=()
for p in $profiles; do
	case "$p" in
	smp) cpus=2 ;;
	amp) cpus=1 ;;
	*) die "BENCH_PROFILES: $p is neither smp nor amp" ;;
	esac
	rm -f "$out/$p.log"
	touch "$out/$p.log"
	# Progress: the board's "bench: ..." lines, as they come.
	tail -n +1 -F "$out/$p.log" 2>/dev/null |
		grep --line-buffered '^bench: ' &
	tails+=($!)
	ic=$icount
	[ "$p" = smp ] && ic=
	log "booting the $p board (${ic:+-icount $ic, }console in ${out#"$TOP"/}/$p.log)"
	LINUX_CPUS=$cpus BOARD_ICOUNT=$ic BOARD_DTB=pynq-board-bench.dtb \
		BOARD_LOG="$out/$p.log" QUIET=1 \
		BOARD_APPEND="${BENCH_QUICK:+pynq.bench=quick}" \
		"$TOP/scripts/boot.sh" bench "$board" >/dev/null 2>&1 &
	pids+=($!)
done
fail=0
for pid in "${pids[@]}"; do
	wait "$pid" || fail=1
done
sleep 1
kill "${tails[@]}" 2>/dev/null || true
wait 2>/dev/null || true

raws=()
for p in $profiles; do
	grep '^BENCH ' "$out/$p.log" | sed 's/^BENCH //' >"$out/raw-$p.jsonl" || true
	[ -s "$out/raw-$p.jsonl" ] || { echo "bench: the $p board measured nothing" >&2; fail=1; }
	raws+=(--raw "$out/raw-$p.jsonl")
	grep -E '^PYNQ-BOARD-EXIT 0' -q "$out/$p.log" ||
		{ echo "bench: the $p board did not finish cleanly (see ${out#"$TOP"/}/$p.log)" >&2; fail=1; }
done

commit=$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)
/usr/bin/python3 "$TOP/scripts/bench-report.py" "${raws[@]}" --out "$out" \
	--doc "$TOP/Documentation/performance.rst" \
	--images "$TOP/Documentation/images" --commit "$commit" \
	--icount "amp: ${icount:-off}; smp: off" --prefer amp \
	--previous "$out/results.json" || fail=1
[ $fail -eq 0 ] || die "some measurements failed (see above)"
log "results in ${out#"$TOP"/}/results.json, results.md and Documentation/performance.rst"
