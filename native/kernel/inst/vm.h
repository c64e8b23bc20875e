/*
 * vm.h -- an instance's page tables.  The upper half is the kernel's,
 * shared by every instance (kernel image, per-CPU stacks, node block, MMIO);
 * the lower half maps only what this instance's VMAs say.  Table pages come
 * from the instance's own memory and are reached through its identity map.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <stdint.h>

/* Free table pages below which the pool asks for more (enough to map the new chunk). */
#define VM_POOL_RESERVE 4

struct vm {
    uint64_t pml4;      /* physical address of the root */
    uint64_t free_list; /* physical address of a free table page, linked through word 0 */
    uint32_t nfree;
    uint32_t reserved;
};

/* Called once on the boot CPU: builds the shared kernel half. */
void vm_boot_init(void);
/* Gives the pool the table pages at [pa, pa + len) (identity-mapped or not yet in use). */
void vm_pool_add(struct vm *vm, uint64_t pa, uint64_t len);
/* Creates an empty address space (the pool must hold pages). */
void vm_init(struct vm *vm);
/* vm_map's prot may add: the pages are the program's (ring 3 may use them). */
#define VM_USER 0x100
/* ... and: 4 KiB pages only, so that each page has its own dirty bit. */
#define VM_SMALL 0x200

/* Maps [va, va + len) to [pa, pa + len) with Linux PROT_* rights (PROT_NONE:
 * unmapped), plus VM_USER.  Uses 2 MiB pages where both sides are aligned.  0, or -ENOMEM
 * when the pool ran dry. */
int vm_map(struct vm *vm, uint64_t va, uint64_t pa, uint64_t len, uint32_t prot);
int vm_unmap(struct vm *vm, uint64_t va, uint64_t len);
/* Whether the page at va was written since its dirty bit was cleared; with
 * `clear`, clears it: the caller then flushes the TLBs (a cached entry would
 * not set it again).  A 2 MiB page answers for all of it and stays dirty. */
int vm_dirty(struct vm *vm, uint64_t va, int clear);
/* Marks the page at va written (the host stored into it, not the CPU). */
void vm_set_dirty(struct vm *vm, uint64_t va);
/* Loads this address space on the calling CPU. */
void vm_activate(struct vm *vm);

#endif
