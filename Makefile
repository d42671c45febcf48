# SPDX-License-Identifier: GPL-2.0
#
# fdpblk: top-level build.
#
#   make                 kmod/fdpblk.ko against KDIR, and userspace/fdpctl
#   make demo            boot the test VM and show placement end to end
#   make check           the whole test suite in the test VM
#   make bench           benchmarks against the raw namespace and dm-linear
#   make stress          long stress runs (the ioctl fuzzer, 10^6 calls)
#   make install         the module, fdpctl, its man page and completion,
#                        the udev rules, systemd units and modules-load.d
#                        file (UDEVDIR, SYSTEMDUNITDIR, MODULESLOADDIR: from
#                        pkg-config), and the UAPI header; make uninstall
#                        removes them
#   make dkms-install    the module's source under DKMS (dkms.conf), which
#                        rebuilds it for every new kernel; make dkms-remove
#
# KDIR is the kernel build tree, by default the running kernel's
# (linux-headers-$(uname -r)). make demo, check, bench and stress build and
# use their own kernel. install honours DESTDIR and PREFIX; the module goes
# under INSTALL_MOD_PATH (default: DESTDIR), as the kernel's modules_install
# does.

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
INSTALL_MOD_PATH ?= $(DESTDIR)
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC = $(DESTDIR)/usr/src/fdpblk-$(DKMS_VERSION)

.PHONY: all modules kdir userspace demo check bench stress install uninstall \
	dkms-install dkms-remove clean distclean

all: modules userspace

# One clear line, not a page of make errors, without kernel headers.
kdir:
	$(if $(wildcard $(KDIR)/Makefile),,$(error no kernel build tree at $(KDIR): \
install linux-headers-$(shell uname -r), or set KDIR=, or use the test bed \
(make demo, make check)))
	@:

modules: kdir
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# FDPCTL_WERROR=1: warnings are errors (the project's own builds).
userspace:
	$(MAKE) -C userspace FDPCTL_WERROR=$(FDPCTL_WERROR)

demo:
	selftests/vm/demo.sh

# make check T="test_a.sh test_b.sh" runs only those tests.
check:
	selftests/vm/check.sh $(T)

bench:
	selftests/vm/bench.sh

stress:
	selftests/vm/stress.sh

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) modules_install
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	install -D -m 0644 uapi/linux/fdpblk.h $(DESTDIR)$(PREFIX)/include/linux/fdpblk.h

# The module from where modules_install put it (INSTALL_MOD_DIR, "updates"
# by default), then depmod as modules_install ran it.
uninstall: kdir
	$(MAKE) -C userspace uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	rm -f $(DESTDIR)$(PREFIX)/include/linux/fdpblk.h
	krel=$$($(MAKE) -s -C $(KDIR) kernelrelease) && \
	rm -f $(INSTALL_MOD_PATH)/lib/modules/$$krel/$(or $(INSTALL_MOD_DIR),updates)/kmod/fdpblk.ko* && \
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $$krel

# The source DKMS builds: the module only, as dkms.conf names it. With
# DESTDIR (a package build) only the files are installed; the package's
# postinst runs dkms.
dkms-install:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/kmod $(DKMS_SRC)/uapi/linux
	install -m 0644 Kbuild dkms.conf LICENSE $(DKMS_SRC)/
	install -m 0644 kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c)) kmod/*.h \
		$(DKMS_SRC)/kmod/
	install -m 0644 uapi/linux/fdpblk.h $(DKMS_SRC)/uapi/linux/
ifeq ($(DESTDIR),)
	dkms add fdpblk/$(DKMS_VERSION)
	dkms install fdpblk/$(DKMS_VERSION)
endif

dkms-remove:
ifeq ($(DESTDIR),)
	-dkms remove fdpblk/$(DKMS_VERSION) --all
endif
	rm -rf $(DKMS_SRC)

# What the test bed's setup-host.sh added to /etc/apt, and the results of
# runs. The cached kernel builds stay: rm -rf /var/cache/fdpblk for them.
distclean: clean
	rm -f /etc/apt/sources.list.d/fdpblk-backports.sources \
	      /etc/apt/preferences.d/fdpblk-trixie
	rm -rf results

# No KDIR needed (and no kernel built) to clean.
clean:
	rm -rf kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd \
	       kmod/modules.order modules.order Module.symvers .*.cmd .tmp_versions
	$(MAKE) -C userspace clean
	rm -f selftests/fdp_io selftests/ioctl_errors selftests/ioctl_fuzz selftests/fail_nth selftests/bench_ctl \
	      selftests/tests.list
	rm -rf selftests/vm/selfcheck/kmod/*.o selftests/vm/selfcheck/kmod/*.ko \
	       selftests/vm/selfcheck/kmod/*.mod selftests/vm/selfcheck/kmod/*.mod.c \
	       selftests/vm/selfcheck/kmod/.*.cmd selftests/vm/selfcheck/kmod/modules.order \
	       selftests/vm/selfcheck/kmod/Module.symvers
