# pynq-irq: the front door. 'make help' lists the targets.
#
# Out-of-tree module build. KDIR defaults to the project's own Zynq debug
# kernel (built and cached on first use); for a real board:
#   make KDIR=/lib/modules/$(uname -r)/build

TOP        := $(CURDIR)
O          := $(TOP)/build
SCRIPTS    := $(TOP)/scripts
CROSS_COMPILE ?= arm-linux-gnueabihf-
KVER       ?= 6.1
# debug (the tests' kernel) or bench (the same without the debug options)
KFLAVOUR   ?= debug
export KVER KFLAVOUR CROSS_COMPILE

ifeq ($(origin KDIR),undefined)
BOARD_KERNEL := 1
# $(shell) does not see exported variables, so KVER is passed in words.
KDIR = $(shell KVER=$(KVER) KFLAVOUR=$(KFLAVOUR) $(SCRIPTS)/build-kernel.sh --path)
endif
KSRC = $(KDIR)/source
KMAKE = $(MAKE) -C $(KDIR) O= ARCH=arm CROSS_COMPILE=$(CROSS_COMPILE)

.PHONY: all module deps board-kernel board-qemu guest selftests testmods \
	cpu1 dtbs initramfs check torture soak demo shell run bench lint clean help install uninstall

all: module

help:
	@echo "make            build the module (KDIR=... for another kernel)"
	@echo "make check      build what is missing, run every test on both boards (SMP, AMP)"
	@echo "                TESTS=\"a b\" runs only the named tests"
	@echo "make torture    the long torture runs (fault injection, fuzzing, floods,"
	@echo "                lifetime cycles) on the debug kernel, in TORTURE_MINUTES (50)"
	@echo "make soak       the same tortures in rounds for SOAK_MINUTES (30), both boards"
	@echo "make demo       boot the board and show interrupts flowing"
	@echo "make bench      measure latency, rates and CPU cost against the PYNQ way (UIO)"
	@echo "make shell      boot the board with a console (reboot -f leaves)"
	@echo "make run SCRIPT=f.sh  run a host script in the booted board"
	@echo "                (shell, run, demo: AMP; LINUX_CPUS=2 boots SMP)"
	@echo "make lint       checkpatch --strict, sparse, W=1, kernel-doc, shellcheck, flake8"
	@echo "make install    install the module (then depmod), uapi header, udev rule"
	@echo "                and Python package; DESTDIR=, INSTALL_MOD_PATH=, KDIR="
	@echo "make uninstall  remove what 'make install' installed"
	@echo "make clean      remove build output (not the cached QEMU/kernel)"

deps:
	@$(SCRIPTS)/setup-deps.sh

# KVER=5.10 is for compile checks: a prepared tree, not a bootable kernel.
board-kernel: deps
	@$(SCRIPTS)/$(if $(filter 5.10,$(KVER)),prepare-kernel.sh,build-kernel.sh)

board-qemu: deps
	@$(SCRIPTS)/build-qemu.sh

module: $(if $(BOARD_KERNEL),board-kernel)
	$(KMAKE) M=$(TOP) W=1 modules

# Kernel modules used only by the tests (overlay helper, broken module).
testmods: $(if $(BOARD_KERNEL),board-kernel)
	$(KMAKE) M=$(TOP)/selftests/pynq-irq/modules W=1 modules

SELFTEST_VARS = -C selftests/pynq-irq OUTPUT=$(O)/selftests-obj \
	KSELFTEST_DIR=$(KSRC)/tools/testing/selftests \
	UAPI_DIR=$(TOP)/include/uapi CPU1_DIR=$(TOP)/cpu1

# Built and installed the kselftest way; the board runs them in the order
# of 'emit_tests'.
selftests: board-kernel
	mkdir -p $(O)/selftests-obj $(O)/selftests
	$(MAKE) $(SELFTEST_VARS) install INSTALL_PATH=$(O)/selftests
	$(MAKE) -s --no-print-directory $(SELFTEST_VARS) emit_tests \
		| sed 's/^[^:]*://' >$(O)/selftests/tests.list

dtbs: board-kernel
	@$(SCRIPTS)/build-dtbs.sh $(O)/dtbs

# The bare-metal program for CPU1.
cpu1: deps
	$(MAKE) -C cpu1 O=$(O)/cpu1

initramfs: module testmods selftests dtbs cpu1
	@$(SCRIPTS)/make-initramfs.sh $(O) $(if $(SCRIPT),$(abspath $(SCRIPT)))

check: board-qemu initramfs
	@$(SCRIPTS)/boot.sh check $(O)

# The long versions of the torture tests (selftests/pynq-irq/torture) on
# the debug kernel; TESTS="a b" picks some of them.
torture: board-qemu initramfs
	@TORTURE=1 $(SCRIPTS)/boot.sh check $(O)

# The same tests mixed in rounds for SOAK_MINUTES (30), a line of progress
# a minute.
soak: board-qemu initramfs
	@SOAK=1 $(SCRIPTS)/boot.sh check $(O)

demo: board-qemu initramfs
	@$(SCRIPTS)/boot.sh demo $(O)

shell: board-qemu initramfs
	@$(SCRIPTS)/boot.sh shell $(O)

run: board-qemu
	@test -n "$(SCRIPT)" || { echo "usage: make run SCRIPT=file.sh"; exit 2; }
	@$(MAKE) --no-print-directory initramfs SCRIPT=$(SCRIPT)
	@$(SCRIPTS)/boot.sh run $(O)

# Measurements on the benchmark kernel under -icount (scripts/bench.sh);
# results in build/bench, Documentation/performance.rst rewritten.
bench: board-qemu
	@$(SCRIPTS)/bench.sh

lint: board-kernel
	@$(SCRIPTS)/lint.sh $(KDIR)

# Documentation/install.rst lists what goes where.
install: module
	@$(SCRIPTS)/install.sh install $(KDIR)

uninstall:
	@$(SCRIPTS)/install.sh uninstall $(KDIR)

clean:
	-$(KMAKE) M=$(TOP) clean 2>/dev/null
	-$(KMAKE) M=$(TOP)/selftests/pynq-irq/modules clean 2>/dev/null
	rm -rf $(O)
