#!/bin/sh
# The board side of 'make bench' (pynq.mode=bench): every measurement of
# selftests/pynq-irq/bench.c (and bench_py.py) on this profile, in one
# boot, with the same stimulus for every path. Each figure is a line
# "BENCH {json}"; scripts/bench.sh collects them from the console.
# pynq.bench=pins or sgi says which half to run (scripts/bench.sh boots a
# board for each); ",quick" makes every run short (for trying the bench
# out; its figures are not the published ones).
cd /usr/lib/pynq-irq/selftests || exit 1
. ./board.sh

# pynq.bench=pins,sgi (default: both), and ",quick".
what=$(sed -n 's/.*pynq\.bench=\([^ ]*\).*/\1/p' /proc/cmdline)
quick=0
case ",$what," in *,quick,*) quick=1 ;; esac
pins=1 sgi=1
case ",$what," in
*,pins,*) sgi=0 ;;
*,sgi,*) pins=0 ;;
esac
cpus=$(nproc)
profile=amp
[ "$cpus" -gt 1 ] && profile=smp

# The sizes of the runs: events for latency (at least 10,000), pulses a
# rung of the rate ladder, events of the cost runs.
LAT=10000 RATE=10000 COST=5000 PYLAT=10000 PYRATE=2000 SGI=10000
[ $quick -eq 1 ] && LAT=500 RATE=1000 COST=500 PYLAT=200 PYRATE=200 SGI=500
# A pulse every 200 us: the reader sleeps, the CPU idles, before each.
PERIOD=200000
# Python wakes up in about a millisecond here: 5 ms apart.
PYPERIOD=5000000
# The cost runs' fixed, moderate rate.
COST_HZ=2000

fail=0
step() { # step DESCRIPTION CMD... - run a measurement; count a failure
	desc=$1
	shift
	echo "bench: $profile: $desc" >&2
	"$@" || {
		echo "bench: FAILED: $desc ($*)" >&2
		fail=$((fail + 1))
	}
}

# The storm throttle (sysfs rate_limit) would cut the rate ladders short:
# off for every pin measured.
for f in /sys/class/pynq-irq/*/rate_limit; do
	[ -e "$f" ] && echo 0 >"$f"
done

echo "BENCH {\"kind\":\"config\",\"profile\":\"$profile\",\"kernel\":\"$(uname -r)\",\"cpus\":$cpus,\"quick\":$quick}"

if [ $pins -eq 1 ]; then
# pynq-irq's paths.
hist=/sys/class/pynq-irq/btns/latency
for p in text binary epoll32; do
	echo 0 >"$hist"
	step "latency, $p" ./bench latency $p $LAT $PERIOD
	# What the driver's own histogram (sysfs latency, pin 0) saw.
	echo "bench: $profile: sysfs latency after the $p run (from-to us: reads):" \
		"$(awk '{ printf "%s%s-%s: %s", (NR > 1 ? ", " : ""), $1, $2, $3 }' "$hist")" >&2
	step "rate ladder, $p" ./bench rate $p $RATE
	step "CPU cost, $p" ./bench cost $p $COST_HZ $COST
done
if [ "$profile" = amp ]; then
	# Scaling (on the board that runs under -icount): pins (one thread each, blocked in read()) and readers
	# (processes on pin 0). At least 10,000 events a point, pulses far
	# enough apart for every reader to go back to sleep.
	for k in 2 4 8 16 32; do
		pulses=$((LAT / k))
		[ $pulses -lt 1000 ] && [ $quick -eq 0 ] && pulses=1000
		step "latency, $k pins" ./bench latency binary $pulses \
			$((PERIOD * (1 + k / 4))) $k
		step "CPU cost, $k pins" ./bench cost binary $((COST_HZ / (1 + k / 4))) \
			$pulses $k
	done
	for r in 2 4 8; do
		step "latency, $r readers" ./bench latency binary $LAT \
			$((PERIOD * (1 + r / 4))) 1 $r
		step "CPU cost, $r readers" ./bench cost binary $COST_HZ $COST 1 $r
	done
fi
if [ -x ./bench_py.py ]; then
	step "latency, Python" ./bench_py.py latency pynq-irq $PYLAT $PYPERIOD
	step "rate ladder, Python" ./bench_py.py rate pynq-irq $PYRATE
	step "CPU cost, Python" ./bench_py.py cost pynq-irq $((COST_HZ / 4)) $((COST / 4))
fi

# The PYNQ way: the INTC's GIC line bound to uio_pdrv_genirq.
uio=$(bind_uio "$INTC_DEV")
if [ -z "$uio" ]; then
	echo "bench: uio_pdrv_genirq did not bind $INTC_DEV" >&2
	fail=$((fail + 1))
else
	export BENCH_UIO="$uio"
	step "latency, UIO" ./bench latency uio $LAT $PERIOD
	step "rate ladder, UIO" ./bench rate uio $RATE
	step "CPU cost, UIO" ./bench cost uio $COST_HZ $COST
	if [ "$profile" = amp ]; then
		for k in 2 4 8 16 32; do
			pulses=$((LAT / k))
			[ $pulses -lt 1000 ] && [ $quick -eq 0 ] && pulses=1000
			step "CPU cost, UIO, $k pins" ./bench cost uio \
				$((COST_HZ / (1 + k / 4))) $pulses $k
		done
	fi
	if [ -x ./bench_py.py ]; then
		step "latency, Python on UIO" ./bench_py.py latency uio $PYLAT $PYPERIOD
		step "rate ladder, Python on UIO" ./bench_py.py rate uio $PYRATE
		step "CPU cost, Python on UIO" ./bench_py.py cost uio $((COST_HZ / 4)) $((COST / 4))
	fi
	unbind_uio "$INTC_DEV"
fi
fi

# SGIs: through the program on CPU1 (AMP only).
if [ $sgi -eq 1 ] && [ "$profile" = amp ]; then
	if ./cpu1ctl start ./cpu1.bin >/dev/null && ./cpu1ctl cmd echo 8 12; then
		step "SGI round trip" ./bench sgi-rtt $SGI
		./cpu1ctl cmd echo 8 none
		step "SGI raise rate" ./bench sgi-raise $SGI
	else
		echo "bench: the CPU1 program did not start" >&2
		fail=$((fail + 1))
	fi
fi
echo "bench: $profile: done, $fail failed" >&2
[ $fail -eq 0 ]
