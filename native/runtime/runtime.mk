# native/runtime/runtime.mk -- libraries that programs link, to run in an
# instance: user space, not kernel code.  Included by the top Makefile;
# paths are from the top.
#
#   build/runtime/libazalea.a     the Azalea internal API (include/azalea/azalea.h)
#   build/runtime/omp/libgomp.a   the OpenMP runtime for musl programs

RUNTIME_SRC := native/runtime
RUNTIME_OUT := $(BUILD)/runtime

# libazalea.a: one system call per function.  No libc in it: it links with
# musl or glibc, static or static-PIE.
AZLIB := $(RUNTIME_OUT)/libazalea.a
AZLIB_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIE -fno-stack-protector -Iinclude
NATIVE_TARGETS += $(AZLIB)

$(AZLIB): $(RUNTIME_SRC)/azalea.c include/azalea/azalea.h include/azalea/abi.h
	@mkdir -p $(RUNTIME_OUT)/obj
	$(CC) $(AZLIB_CFLAGS) -c $< -o $(RUNTIME_OUT)/obj/azalea.o
	rm -f $@ && ar rcs $@ $(RUNTIME_OUT)/obj/azalea.o

# The OpenMP runtime (omp/): named libgomp.a so that
# `musl-gcc -fopenmp -static prog.c -L$(OMP_OUT)` links with it
# (a -L of the command line is searched before gcc's own glibc libgomp).
OMP_OUT := $(RUNTIME_OUT)/omp
OMPLIB := $(OMP_OUT)/libgomp.a
OMP_SRC := $(wildcard $(RUNTIME_SRC)/omp/*.c)
OMP_OBJ := $(patsubst $(RUNTIME_SRC)/omp/%.c,$(OMP_OUT)/obj/%.o,$(OMP_SRC))
NATIVE_TARGETS += $(OMPLIB)

$(OMP_OUT)/obj/%.o: $(RUNTIME_SRC)/omp/%.c $(RUNTIME_SRC)/omp/gomp.h
	@mkdir -p $(dir $@)
	musl-gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIE -c $< -o $@

$(OMPLIB): $(OMP_OBJ)
	rm -f $@ && ar rcs $@ $^
