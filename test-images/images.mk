# test-images: one tiny static Linux program per feature, each printing
# "AZALEA-TEST-PASS <name>" when it succeeds (check.h).  Built with musl
# both as a fixed-address executable (NAME) and, for some, as a static PIE
# (NAME-pie); a few with glibc (plain gcc -static), the Azalea API library,
# or OpenMP.  Outputs under build/test-images/.  The Java test suite runs
# them on a node (TestImagesIT, ThreadsIT, NetworkIT: echo_server and
# echo_client need a host side; NetPolicyIT: net_policy; CompatIT: the call
# families of issue 12, compared with the same binary run natively).

TI_SRC := test-images
TI_OUT := $(BUILD)/test-images
TI_NAMES := hello args memory exitcode crash time sysinfo files stdin spin offload_bench threads futex signals threads_bench echo_server echo_client hostile net_policy chatty \
  pipes eventfd socketpair epoll select timerfd ioctls pipe_bench file_mmap fileops_bench kick_batch spin_budget
TI_PIE_NAMES := hello args memory sysinfo
TI_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude
MUSL_LIB := /usr/lib/x86_64-linux-musl
# musl-gcc's specs know no -static-pie: start from rcrt1.o (which relocates
# the program itself) and link statically with no interpreter.
TI_PIE_LINK = -fPIE -nostartfiles $(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o \
  $(shell $(CC) -print-file-name=crtbeginS.o) $< $(shell $(CC) -print-file-name=crtendS.o) \
  $(MUSL_LIB)/crtn.o -Wl,-static -Wl,-pie -Wl,--no-dynamic-linker -Wl,-z,text

# Linked with plain `gcc -static` against the host's glibc, unchanged.
TI_GLIBC_NAMES := glibc
# Using the Azalea internal API (include/azalea/azalea.h, native/runtime/).
TI_AZ_NAMES := azalea_api
# OpenMP with musl: plain `musl-gcc -fopenmp -static`, our libgomp.a
# (native/runtime/omp/) first.
TI_OMP_NAMES := openmp

TI_TARGETS := $(addprefix $(TI_OUT)/,$(TI_NAMES)) $(addsuffix -pie,$(addprefix $(TI_OUT)/,$(TI_PIE_NAMES))) \
  $(addprefix $(TI_OUT)/,$(TI_GLIBC_NAMES)) $(addprefix $(TI_OUT)/,$(TI_AZ_NAMES)) \
  $(addprefix $(TI_OUT)/,$(TI_OMP_NAMES))
NATIVE_TARGETS += $(TI_TARGETS)

.PHONY: test-images
test-images: $(TI_TARGETS)

$(TI_OUT)/%: $(TI_SRC)/%.c $(TI_SRC)/check.h $(TI_SRC)/compat.h
	@mkdir -p $(dir $@)
	musl-gcc -static $(TI_CFLAGS) -o $@ $<

$(TI_OUT)/%-pie: $(TI_SRC)/%.c $(TI_SRC)/check.h
	@mkdir -p $(dir $@)
	musl-gcc $(TI_CFLAGS) -o $@ $(TI_PIE_LINK)

$(addprefix $(TI_OUT)/,$(TI_GLIBC_NAMES)): $(TI_OUT)/%: $(TI_SRC)/%.c $(TI_SRC)/check.h
	@mkdir -p $(dir $@)
	gcc -static -pthread $(TI_CFLAGS) -o $@ $< -lm

$(addprefix $(TI_OUT)/,$(TI_AZ_NAMES)): $(TI_OUT)/%: $(TI_SRC)/%.c $(TI_SRC)/check.h $(AZLIB)
	@mkdir -p $(dir $@)
	musl-gcc -static $(TI_CFLAGS) -o $@ $< -L$(dir $(AZLIB)) -lazalea

$(addprefix $(TI_OUT)/,$(TI_OMP_NAMES)): $(TI_OUT)/%: $(TI_SRC)/%.c $(TI_SRC)/check.h $(OMPLIB)
	@mkdir -p $(dir $@)
	musl-gcc -fopenmp -static $(TI_CFLAGS) -o $@ $< -L$(dir $(OMPLIB))
