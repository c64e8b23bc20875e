# The node kernel: build/kernel/azalea-kernel.elf, booted by QEMU -kernel
# (PVH entry).  Included by the top Makefile; paths are from the top.

KERNEL_SRC := native/kernel
KERNEL_OUT := $(BUILD)/kernel
KERNEL_ELF := $(KERNEL_OUT)/azalea-kernel.elf

KERNEL_C := $(shell find $(KERNEL_SRC) -name '*.c') native/client/az_client.c
KERNEL_S := $(shell find $(KERNEL_SRC) -name '*.S')
KERNEL_OBJ := $(patsubst %.c,$(KERNEL_OUT)/obj/%.o,$(KERNEL_C)) \
              $(patsubst %.S,$(KERNEL_OUT)/obj/%.o,$(KERNEL_S))

# Freestanding, in the top 2 GiB, no SSE/x87 in the kernel (programs own
# those registers: system calls need not save them), no red zone.
KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdlib \
  -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-pic -fno-pie \
  -fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables \
  -fno-omit-frame-pointer -Iinclude -I$(KERNEL_SRC) -Inative/client -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments

NATIVE_TARGETS += $(KERNEL_ELF)

$(KERNEL_ELF): $(KERNEL_OBJ) $(KERNEL_SRC)/kernel.ld
	ld $(KERNEL_LDFLAGS) -T $(KERNEL_SRC)/kernel.ld -o $@ $(KERNEL_OBJ)

$(KERNEL_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KERNEL_OUT)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

-include $(KERNEL_OBJ:.o=.d)

# Linux structure sizes the kernel uses (inst/linux_sizes.h), asserted against
# the host's Linux headers: compiling native/tests/linux_sizes.c is the check.
KERNEL_LINUX_CHECK := $(KERNEL_OUT)/linux_sizes.o
NATIVE_TARGETS += $(KERNEL_LINUX_CHECK)

$(KERNEL_LINUX_CHECK): native/tests/linux_sizes.c $(KERNEL_SRC)/inst/linux_sizes.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -I$(KERNEL_SRC) -c $< -o $@
