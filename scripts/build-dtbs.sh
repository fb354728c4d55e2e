#!/usr/bin/env bash
# Build the board's device tree (the kernel's zynq-zc702.dts, in xilinx/
# since Linux 6.5, plus
# scripts/board/pynq-board.dts) and every overlay under dt-bindings/ and
# selftests/pynq-irq/overlays/ into OUT.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
out=${1:?usage: build-dtbs.sh OUT}
mkdir -p "$out"
ksrc="$KBUILD/source"

dtc_cpp() { # dtc_cpp IN OUT [dtc flags]
	local in=$1 o=$2
	shift 2
	cpp -nostdinc -undef -x assembler-with-cpp -D__DTS__ \
		-I "$ksrc/arch/arm/boot/dts" -I "$ksrc/arch/arm/boot/dts/xilinx" \
		-I "$ksrc/include" \
		-I "$TOP/scripts/board" "$in" >"$o.pre"
	dtc -q -I dts -O dtb "$@" -o "$o" "$o.pre"
	rm -f "$o.pre"
}

dtc_cpp "$TOP/scripts/board/pynq-board.dts" "$out/pynq-board.dtb" -@
dtc_cpp "$TOP/scripts/board/pynq-board-bench.dts" "$out/pynq-board-bench.dtb" -@
shopt -s nullglob
for f in "$TOP"/selftests/pynq-irq/overlays/*.dtso "$TOP"/dt-bindings/*.dtso; do
	dtc_cpp "$f" "$out/$(basename "${f%.dtso}").dtbo" -@
done
