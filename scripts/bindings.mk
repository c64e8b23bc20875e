# scripts/bindings.mk -- the Java bindings of include/azalea/abi.h and the C
# layout dump that checks them, both generated from the header (jextract
# itself cannot be had here), and the syscall table generated from the
# kernel.  Included by the top Makefile.
#
#   make bindings   regenerate java/src/main/java/org/azalea/abi/*.java and
#                   native/tools/abi-dump.c after any change to abi.h; commit
#                   the result (BindingsUpToDateTest fails until you do)

PYTHON ?= python3

.PHONY: bindings
bindings:
	$(PYTHON) scripts/gen-bindings.py

# docs/syscalls.md, the compatibility table, from the kernel's own tables:
# regenerate after adding or moving a system call (SyscallTableUpToDateTest
# fails until you do).
.PHONY: syscall-table
syscall-table:
	$(PYTHON) scripts/syscall-table.py
