# test-images: one tiny static Linux program per feature, each printing
# "AZALEA-TEST-PASS <name>" when it succeeds (check.h).  Built with musl
# both as a fixed-address executable (NAME) and, for some, as a static PIE
# (NAME-pie).  Outputs under build/test-images/.  Run them on a node with
# test-images/run.sh (development) or the Java test suite.

TI_SRC := test-images
TI_OUT := $(BUILD)/test-images
TI_NAMES := hello args memory exitcode crash time sysinfo files stdin spin offload_bench
TI_PIE_NAMES := hello args memory sysinfo
TI_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude
MUSL_LIB := /usr/lib/x86_64-linux-musl
# musl-gcc's specs know no -static-pie: start from rcrt1.o (which relocates
# the program itself) and link statically with no interpreter.
TI_PIE_LINK = -fPIE -nostartfiles $(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o \
  $(shell $(CC) -print-file-name=crtbeginS.o) $< $(shell $(CC) -print-file-name=crtendS.o) \
  $(MUSL_LIB)/crtn.o -Wl,-static -Wl,-pie -Wl,--no-dynamic-linker -Wl,-z,text

TI_TARGETS := $(addprefix $(TI_OUT)/,$(TI_NAMES)) $(addsuffix -pie,$(addprefix $(TI_OUT)/,$(TI_PIE_NAMES)))
NATIVE_TARGETS += $(TI_TARGETS)

.PHONY: test-images
test-images: $(TI_TARGETS)

$(TI_OUT)/%: $(TI_SRC)/%.c $(TI_SRC)/check.h
	@mkdir -p $(dir $@)
	musl-gcc -static $(TI_CFLAGS) -o $@ $<

$(TI_OUT)/%-pie: $(TI_SRC)/%.c $(TI_SRC)/check.h
	@mkdir -p $(dir $@)
	musl-gcc $(TI_CFLAGS) -o $@ $(TI_PIE_LINK)
