#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The emulated PYNQ board for shell tests: addresses and stimulus helpers
# (busybox devmem). Documentation/board.rst has the register maps.

# shellcheck disable=SC2034 # for the tests that source this file
INTC_BASE=0x41800000
# shellcheck disable=SC2034
INTC1_BASE=0x41810000	# the second INTC; only intc1.dtbo describes it
STIM_BASE=0x43c00000
# shellcheck disable=SC2034
INTC_DEV=41800000.interrupt-controller
PLATFORM=/sys/bus/platform

stim_reg() { # stim_reg OFFSET [VALUE]
	if [ $# -eq 2 ]; then
		devmem $((STIM_BASE + $1)) 32 "$2"
	else
		devmem $((STIM_BASE + $1)) 32
	fi
}
stim_set() { stim_reg 0x0c $((1 << $1)); }
stim_clear() { stim_reg 0x10 $((1 << $1)); }
stim_pulse() { stim_reg 0x14 $((1 << $1)); }

# stim_train MASK COUNT PERIOD_NS [lockstep] - start a hardware pulse
# train; in lockstep a pulse waits until the INTC acknowledged the last one.
stim_train() {
	stim_reg 0x18 "$1"
	stim_reg 0x1c "$3"
	stim_reg 0x20 "$2"
	if [ "${4:-}" = lockstep ]; then
		stim_reg 0x24 3
	else
		stim_reg 0x24 1
	fi
}
stim_train_left() { printf '%d\n' "$(stim_reg 0x28)"; }
# The counters in decimal: PULSES (every assertion) and MERGED (those that
# gave the INTC that ACK_SEL names no edge of their own); both wrap at 2^32.
stim_pulses() { printf '%d\n' "$(stim_reg 0x2c)"; }
stim_merged() { printf '%d\n' "$(stim_reg 0x44)"; }
# stim_reset_intc N - reset INTC N (0: 0x41800000, 1: 0x41810000) as
# loading the bitstream again does: every register back to 0 (IVR to all
# ones), its output low. Unbind the driver from it first.
stim_reset_intc() { stim_reg 0x48 $((1 << $1)); }

# wait_blocked PID WHERE - wait up to 10 s until process PID sleeps (state
# S in /proc/PID/stat) in a kernel function whose name has WHERE (wchan),
# e.g. line_read: a wait that must be blocked is seen blocked. Builtins
# only: a fork is slow on the debug kernel.
wait_blocked() {
	read -r up _ </proc/uptime
	end=$((${up%.*} + 10))
	while :; do
		read -r st </proc/"$1"/stat 2>/dev/null || return 1
		st=${st##*) }
		st=${st%% *}
		wchan=
		read -r wchan </proc/"$1"/wchan 2>/dev/null
		if [ "$st" = S ]; then
			case "$wchan" in *"$2"*) return 0 ;; esac
		fi
		read -r up _ </proc/uptime
		if [ "${up%.*}" -ge "$end" ]; then
			echo "# process $1: state $st in '$wchan', not blocked in $2"
			return 1
		fi
		sleep 0.01
	done
}

# driver_lines DRIVER DEVICE - the kernel log lines on stdin that DRIVER
# printed about DEVICE, without the driver core's line about the failed
# probe (up to 6.x "probe of DEVICE failed ...", which has no such prefix;
# 6.12 prints it as the device: "DRIVER DEVICE: probe with driver DRIVER
# failed with error N").
driver_lines() {
	grep -F "$1 $2: " | grep -vF ": probe with driver $1 failed with error "
}

# bind_uio DEVICE - hand a platform device to uio_pdrv_genirq, as PYNQ's
# image does with its generic-uio nodes; prints /dev/uioN.
bind_uio() {
	dev=$PLATFORM/devices/$1
	[ -e "$dev/driver" ] && echo "$1" >"$dev/driver/unbind"
	echo uio_pdrv_genirq >"$dev/driver_override"
	echo "$1" >$PLATFORM/drivers_probe
	for u in "$dev"/uio/uio*; do
		[ -e "$u" ] && echo "/dev/${u##*/}" && return 0
	done
	return 1
}

# unbind_uio DEVICE - give the device back to whichever driver matches it.
unbind_uio() {
	dev=$PLATFORM/devices/$1
	[ -e "$dev/driver" ] && echo "$1" >"$dev/driver/unbind"
	echo >"$dev/driver_override"
	echo "$1" >$PLATFORM/drivers_probe 2>/dev/null || true
}

# cpu0_survives_sgis WHAT SGI... - CPU1 (running cpu1.bin, driven by
# ./cpu1ctl) raises each SGI to CPU0 100 times; CPU0 must keep taking its
# timer interrupt. If CPU0 stopped, the calling test stops right here and
# the board's timeout fails the run.
cpu0_survives_sgis() {
	what=$1
	shift
	ok=1
	for s in "$@"; do
		before=$(./cpu1ctl tx "$s")
		./cpu1ctl cmd burst "$s" 100 || ok=0
		[ "$(./cpu1ctl tx "$s")" -eq $((before + 100)) ] || ok=0
	done
	t0=$(awk '/ twd$/ { print $2 }' /proc/interrupts)
	sleep 0.2
	t1=$(awk '/ twd$/ { print $2 }' /proc/interrupts)
	echo "# $what: CPU1 raised SGIs $* 100 times each; timer ticks $t0 -> $t1"
	# The SGIs have a mapping and no handler, so the IRQ core logs
	# "Spurious percpu IRQ" (once a boot): expected here, and taken off
	# the log. Any other report stays for the runner.
	. ./report-scan.sh
	others=$(dmesg | grep -E "$REPORT_RE" | grep -v 'Spurious percpu IRQ')
	if [ -n "$others" ]; then
		echo "$others" | sed 's/^/# /'
		ok=0
	else
		dmesg -c >/dev/null
	fi
	[ $ok -eq 1 ] && [ "$t1" -gt "$t0" ]
}
