# SPDX-License-Identifier: GPL-2.0
#
# fdpblk: top-level build.
#
#   make                 kmod/fdpblk.ko against KDIR, and userspace/fdpctl
#   make demo            boot the test VM and show placement end to end
#   make check           the whole test suite in the test VM
#   make bench           benchmarks against the raw namespace and dm-linear
#   make stress          long stress runs (the ioctl fuzzer, 10^6 calls)
#   make install         the module, fdpctl and its man page
#
# KDIR defaults to the running kernel's build tree where it exists, else to
# the test-bed kernel (built and cached on first use).

RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(origin KDIR), undefined)
ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
KDIR := $(RUNNING_KDIR)
else
KDIR = $(shell selftests/vm/build-kernel.sh)
endif
endif

PREFIX ?= /usr/local

.PHONY: all modules userspace demo check bench stress install clean

all: modules userspace

modules:
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
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	$(MAKE) -C userspace install PREFIX=$(PREFIX)

# No KDIR needed (and no kernel built) to clean.
clean:
	rm -rf kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd \
	       kmod/modules.order modules.order Module.symvers .*.cmd .tmp_versions
	$(MAKE) -C userspace clean
	rm -f selftests/fdp_io selftests/ioctl_errors selftests/ioctl_fuzz selftests/fail_nth selftests/bench_ctl
	rm -rf selftests/vm/selfcheck/kmod/*.o selftests/vm/selfcheck/kmod/*.ko \
	       selftests/vm/selfcheck/kmod/*.mod selftests/vm/selfcheck/kmod/*.mod.c \
	       selftests/vm/selfcheck/kmod/.*.cmd selftests/vm/selfcheck/kmod/modules.order \
	       selftests/vm/selfcheck/kmod/Module.symvers
