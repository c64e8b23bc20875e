# The node kernel: build/kernel/azalea-kernel.elf, booted by QEMU -kernel
# (PVH entry).  Included by the top Makefile; paths are from the top.

KERNEL_SRC := native/kernel
KERNEL_OUT := $(BUILD)/kernel
KERNEL_ELF := $(KERNEL_OUT)/azalea-kernel.elf

# tools/ (host programs) and user/ (libraries for programs) are not kernel code.
KERNEL_NOT := \( -path $(KERNEL_SRC)/tools -o -path $(KERNEL_SRC)/user \) -prune -o
KERNEL_C := $(shell find $(KERNEL_SRC) $(KERNEL_NOT) -name '*.c' -print) native/client/az_client.c
KERNEL_S := $(shell find $(KERNEL_SRC) $(KERNEL_NOT) -name '*.S' -print)
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

# aznode: the development harness (tools/aznode.c), a host program.
KERNEL_TOOL := $(KERNEL_OUT)/aznode
NATIVE_TARGETS += $(KERNEL_TOOL)

$(KERNEL_TOOL): $(KERNEL_SRC)/tools/aznode.c include/azalea/abi.h
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -o $@ $<

# libazalea.a: the Azalea internal API for programs (include/azalea/azalea.h).
# No libc in it: it links with musl or glibc, static or static-PIE.
AZLIB := $(KERNEL_OUT)/libazalea.a
AZLIB_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIE -fno-stack-protector -Iinclude
NATIVE_TARGETS += $(AZLIB)

$(AZLIB): $(KERNEL_SRC)/user/azalea.c include/azalea/azalea.h include/azalea/abi.h
	@mkdir -p $(KERNEL_OUT)/user
	$(CC) $(AZLIB_CFLAGS) -c $< -o $(KERNEL_OUT)/user/azalea.o
	rm -f $@ && ar rcs $@ $(KERNEL_OUT)/user/azalea.o

# The OpenMP runtime for musl programs (user/omp/): named libgomp.a so that
# `musl-gcc -fopenmp -static prog.c -L$(KERNEL_OUT)/omp` links with it
# (a -L of the command line is searched before gcc's own glibc libgomp).
OMP_OUT := $(KERNEL_OUT)/omp
OMPLIB := $(OMP_OUT)/libgomp.a
OMP_SRC := $(wildcard $(KERNEL_SRC)/user/omp/*.c)
OMP_OBJ := $(patsubst $(KERNEL_SRC)/user/omp/%.c,$(OMP_OUT)/obj/%.o,$(OMP_SRC))
NATIVE_TARGETS += $(OMPLIB)

$(OMP_OUT)/obj/%.o: $(KERNEL_SRC)/user/omp/%.c $(KERNEL_SRC)/user/omp/gomp.h
	@mkdir -p $(dir $@)
	musl-gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIE -c $< -o $@

$(OMPLIB): $(OMP_OBJ)
	rm -f $@ && ar rcs $@ $^
