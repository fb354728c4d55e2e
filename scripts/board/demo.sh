#!/bin/sh
# 'make demo': what pynq-irq does, shown on the emulated PYNQ board.
cd /usr/lib/pynq-irq/selftests || exit 1
. ./board.sh

say() { printf '\n== %s\n' "$*"; }
sysfs() { cat "/sys/class/pynq-irq/$1/$2"; }
# The INTC pin nodes (edge or level), not the SGI nodes, by pin number.
pin_nodes() {
	for n in /sys/class/pynq-irq/*; do
		case $(cat "$n/trigger") in
		edge | level) echo "$(cat "$n/number") ${n##*/}" ;;
		esac
	done | sort -n | cut -d' ' -f2
}

say "The emulated PYNQ board is up"
echo "   CPUs present: $(cat /sys/devices/system/cpu/present)," \
	"running Linux: $(cat /sys/devices/system/cpu/online)" \
	"(CPU1 is kept for a bare-metal program)"
echo "   pynq-irq bound the AXI Interrupt Controller at 0x41800000 and made one"
echo "   node per pin, $(pin_nodes | wc -l) in all:"
pin_nodes | head -n 6 | sed 's/^/      \/dev\/pynq-irq\//'
echo "      ..."

say "1. A shell script waits for a button: read -r seq ts lost < /dev/pynq-irq/btns"
(sleep 1 && echo "   (the test stimulus in the programmable logic pulses pin 0 now)" &&
	stim_pulse 0) &
read -r seq ts lost </dev/pynq-irq/btns
wait
echo "   woke up: event #$seq, at $ts s (CLOCK_MONOTONIC, taken in the interrupt), $lost lost"

say "2. The same from Python with asyncio, as PYNQ code would: await irq.wait()"
python3 -c '
import asyncio
from pynq_irq import Interrupt

async def main():
    irq = Interrupt("btns")
    ev = await irq.wait()
    print(f"   woke up: {ev}")

asyncio.run(main())' &
py=$!
i=0
while [ "$(sysfs btns clients)" -eq 0 ] && kill -0 $py 2>/dev/null &&
	[ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "   (Python has the node open; the stimulus pulses pin 0 now)"
stim_pulse 0
wait $py

say "3. A hardware pulse train: 500 pulses on pin 1 ('switches'), read by cat"
echo "   (in lockstep: the stimulus waits for each acknowledge, so none merge)"
cat /dev/pynq-irq/switches >/tmp/switches.txt &
cat_pid=$!
sleep 0.3
before=$(sysfs switches interrupts)
stim_train 2 500 200000 lockstep
while [ "$(stim_train_left)" -gt 0 ]; do sleep 0.2; done
sleep 0.5
kill $cat_pid
wait $cat_pid 2>/dev/null
echo "   cat printed $(wc -l </tmp/switches.txt) lines; the last three:"
tail -n 3 /tmp/switches.txt | sed 's/^/      /'
echo "   the line counted $(($(sysfs switches interrupts) - before)) interrupts," \
	"lost $(sysfs switches lost)"
rm -f /tmp/switches.txt

say "4. A level pin (16) held high: one event, then masked until a reader waits again"
exec 3</dev/pynq-irq/41800000.pin16
stim_set 16
read -r seq ts lost <&3
sleep 0.5
echo "   held high for 0.5 s: $(sysfs 41800000.pin16 interrupts) interrupt(s)," \
	"enabled now: $(sysfs 41800000.pin16 enabled)  (PYNQ issue #1315: no double report)"
stim_clear 16
exec 3<&-

say "5. Every pin is a real Linux IRQ that any driver can use (/proc/interrupts):"
exec 3</dev/pynq-irq/iop1
grep -E 'axi-intc|CPU0' /proc/interrupts | sed 's/^/   /'
exec 3<&-

say "6. The same board through UIO, the way PYNQ does it today"
uio=$(bind_uio "$INTC_DEV")
echo "   uio_pdrv_genirq bound the INTC's GIC line as $uio; uio_intc maps the"
echo "   registers, waits on UIO, reads IPR, acknowledges and re-enables:"
./uio_intc "$uio" pulses 3 20 | sed 's/^/      /'
unbind_uio "$INTC_DEV"
echo "   and pynq-irq has the INTC back: $(pin_nodes | wc -l) pin nodes"

./demo-sgi.sh

say "Done. 'make check' runs every test; 'make shell' gives you this board."
