#!/usr/bin/env bash
# Check the device-tree bindings and examples in dt-bindings/:
#  - each binding (*.yaml) against dt-schema's meta-schema (dt-doc-validate);
#  - the example in each binding: extracted, compiled with dtc and validated
#    against the binding (dt-validate);
#  - each example overlay (*.dtso): compiled with dtc -@ without a warning,
#    applied with fdtoverlay to a stub of the board's base tree (the labels
#    amba_pl and intc), and the result validated against the bindings.
# dt-schema's tools exit 0 after printing errors, so any output is a
# problem. Prints every problem; exits 1 if there was one.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
dir="$TOP/dt-bindings"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

for tool in dt-doc-validate dt-mk-schema dt-validate dt-extract-example \
	dtc fdtoverlay; do
	command -v "$tool" >/dev/null ||
		{ echo "lint-dt: $tool is missing (apt-get install dt-schema device-tree-compiler)"; exit 1; }
done

# check WHAT CMD... - run CMD; any output or a failure is a problem.
check() {
	local what=$1 out
	shift
	if ! out=$("$@" 2>&1) || [ -n "$out" ]; then
		echo "lint-dt: $what:"
		printf '%s\n' "${out:-(failed without a message)}" | sed 's/^/  /'
		failed=1
		return 1
	fi
}

shopt -s nullglob
bindings=("$dir"/*.yaml)
overlays=("$dir"/*.dtso)
[ ${#bindings[@]} -gt 0 ] || { echo "lint-dt: no bindings in dt-bindings/"; exit 1; }

for y in "${bindings[@]}"; do
	check "${y#"$TOP"/}: schema" dt-doc-validate -u "$dir" "$y"
done
check "processing the bindings" \
	dt-mk-schema -j -o "$tmp/schema.json" "$dir" || exit 1

for y in "${bindings[@]}"; do
	b=$(basename "$y" .yaml)
	dt-extract-example "$y" >"$tmp/$b.dts" &&
		check "${y#"$TOP"/}: example compiles" \
			dtc -I dts -O dtb -o "$tmp/$b.dtb" "$tmp/$b.dts" &&
		check "${y#"$TOP"/}: example matches the binding" \
			dt-validate -l "$b" -s "$tmp/schema.json" "$tmp/$b.dtb"
done

cat >"$tmp/base.dts" <<'EOF'
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;

	intc: interrupt-controller@f8f01000 {
		compatible = "arm,cortex-a9-gic";
		reg = <0xf8f01000 0x1000>, <0xf8f00100 0x100>;
		interrupt-controller;
		#interrupt-cells = <3>;
	};

	amba_pl: amba_pl {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
	};
};
EOF
dtc -q -@ -I dts -O dtb -o "$tmp/base.dtb" "$tmp/base.dts" || exit 1

for o in "${overlays[@]}"; do
	b=$(basename "$o" .dtso)
	check "${o#"$TOP"/}: compiles with dtc -@" \
		dtc -@ -I dts -O dtb -o "$tmp/$b.dtbo" "$o" || continue
	check "${o#"$TOP"/}: applies to the board's labels" \
		fdtoverlay -i "$tmp/base.dtb" -o "$tmp/$b.dtb" "$tmp/$b.dtbo" ||
		continue
	for y in "${bindings[@]}"; do
		check "${o#"$TOP"/}: matches ${y#"$TOP"/}" dt-validate \
			-l "$(basename "$y" .yaml)" -s "$tmp/schema.json" "$tmp/$b.dtb"
	done
done

[ $failed -eq 0 ] && echo "lint-dt: ${#bindings[@]} binding(s), ${#overlays[@]} example overlay(s): OK"
exit $failed
