/*
 * vm.c -- four-level x86-64 page tables.  A 2 MiB mapping is split into a
 * page table when part of it changes; flushes are per page, or a CR3
 * reload for large ranges, on this core; the instance's other cores are
 * asked to flush by tlb.c (mm.c calls it).
 */
#include "inst/vm.h"

#include "arch/cpu.h"
#include "arch/x86.h"
#include "inst/vma.h"
#include "layout.h"
#include "lib/errno.h"
#include "lib/kheap.h"
#include "lib/string.h"

#define PTE_P           (1ull << 0)
#define PTE_W           (1ull << 1)
#define PTE_U           (1ull << 2)
#define PTE_PWT         (1ull << 3)
#define PTE_PCD         (1ull << 4)
#define PTE_D           (1ull << 6)
#define PTE_PS          (1ull << 7)
#define PTE_NX          (1ull << 63)
#define PTE_ADDR        0x000FFFFFFFFFF000ull
#define FLUSH_ALL_PAGES 64

extern char boot_pd[];
static uint64_t kernel_pdpt_pa; /* the shared upper half: PML4[511] of every instance */

void vm_boot_init(void)
{
    /* PDPT[510] -> kernel-reserved physical memory only (0..KERNEL_RESERVED_END);
     * PDPT[511] -> the node's uncached MMIO directory (LAPIC). */
    uint64_t *pdpt = kheap_alloc(PAGE_SIZE, PAGE_SIZE);
    uint64_t *pd = kheap_alloc(PAGE_SIZE, PAGE_SIZE);
    for (uint64_t i = 0; i < KERNEL_RESERVED_END / LARGE_PAGE_SIZE; i++)
        pd[i] = i * LARGE_PAGE_SIZE | PTE_P | PTE_W | PTE_PS;
    pdpt[510] = V2P(pd) | PTE_P | PTE_W;
    pdpt[511] = ((uint64_t)boot_pd + 3 * PAGE_SIZE) | PTE_P | PTE_W;
    kernel_pdpt_pa = V2P(pdpt);
}

static uint64_t *table(uint64_t pa)
{
    return (uint64_t *)pa; /* identity: instance memory, mapped or on the node tables */
}

void vm_pool_add(struct vm *vm, uint64_t pa, uint64_t len)
{
    for (uint64_t p = pa; p + PAGE_SIZE <= pa + len; p += PAGE_SIZE) {
        *table(p) = vm->free_list;
        vm->free_list = p;
        vm->nfree++;
    }
}

static uint64_t alloc_table(struct vm *vm)
{
    uint64_t p = vm->free_list;
    if (!p)
        return 0;
    vm->free_list = *table(p);
    vm->nfree--;
    memset(table(p), 0, PAGE_SIZE);
    return p;
}

static void free_table(struct vm *vm, uint64_t pa)
{
    *table(pa) = vm->free_list;
    vm->free_list = pa;
    vm->nfree++;
}

void vm_init(struct vm *vm)
{
    vm->pml4 = alloc_table(vm);
    table(vm->pml4)[511] = kernel_pdpt_pa | PTE_P | PTE_W;
}

static uint64_t leaf_flags(uint32_t prot)
{
    if ((prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) == PROT_NONE)
        return 0;
    uint64_t f = PTE_P;
    if (prot & VM_USER)
        f |= PTE_U;
    if (prot & PROT_WRITE)
        f |= PTE_W;
    if (!(prot & PROT_EXEC) && cpu_features.nx)
        f |= PTE_NX;
    return f;
}

/* The next-level table under entry e, creating it; NULL if the pool is dry. */
static uint64_t *descend(struct vm *vm, uint64_t *e)
{
    if (!(*e & PTE_P)) {
        uint64_t t = alloc_table(vm);
        if (!t)
            return 0;
        *e = t | PTE_P | PTE_W | PTE_U; /* rights are decided at the leaves (the lower half only) */
    }
    return table(*e & PTE_ADDR);
}

/* The page directory entry for va, creating upper levels. */
static uint64_t *pde_for(struct vm *vm, uint64_t va)
{
    uint64_t *pdpt = descend(vm, &table(vm->pml4)[(va >> 39) & 511]);
    if (!pdpt)
        return 0;
    uint64_t *pd = descend(vm, &pdpt[(va >> 30) & 511]);
    return pd ? &pd[(va >> 21) & 511] : 0;
}

/* Replaces a 2 MiB mapping by a page table with the same contents. */
static int split_large(struct vm *vm, uint64_t *pde)
{
    uint64_t t = alloc_table(vm);
    if (!t)
        return -ENOMEM;
    uint64_t base = *pde & PTE_ADDR & ~(uint64_t)(LARGE_PAGE_SIZE - 1);
    uint64_t flags = *pde & (PTE_P | PTE_W | PTE_U | PTE_NX);
    uint64_t *pt = table(t);
    for (int i = 0; i < 512; i++)
        pt[i] = (base + (uint64_t)i * PAGE_SIZE) | flags;
    *pde = t | PTE_P | PTE_W | PTE_U;
    return 0;
}

static int set_range(struct vm *vm, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags, int small)
{
    uint64_t end = va + len;
    while (va < end) {
        uint64_t *pde = pde_for(vm, va);
        if (!pde)
            return -ENOMEM;
        if (!flags && !(*pde & PTE_P)) {
            /* Nothing mapped in this 2 MiB: skip to its end. */
            uint64_t next = (va | (LARGE_PAGE_SIZE - 1)) + 1;
            uint64_t step = (next < end ? next : end) - va;
            va += step;
            pa += step;
            continue;
        }
        int whole = (va & (LARGE_PAGE_SIZE - 1)) == 0 && end - va >= LARGE_PAGE_SIZE;
        if (whole && (!flags || (!small && (pa & (LARGE_PAGE_SIZE - 1)) == 0))) {
            if ((*pde & PTE_P) && !(*pde & PTE_PS))
                free_table(vm, *pde & PTE_ADDR);
            *pde = flags ? pa | flags | PTE_PS : 0;
            va += LARGE_PAGE_SIZE;
            pa += LARGE_PAGE_SIZE;
            continue;
        }
        if ((*pde & PTE_P) && (*pde & PTE_PS) && split_large(vm, pde))
            return -ENOMEM;
        uint64_t *pt = descend(vm, pde);
        if (!pt)
            return -ENOMEM;
        /* New rights over the same page keep its dirty bit: a shared
         * file page's stores are still to be written back (fmap.c). */
        uint64_t *e = &pt[(va >> 12) & 511];
        uint64_t keep = flags && (*e & PTE_P) && (*e & PTE_ADDR) == pa ? *e & PTE_D : 0;
        *e = flags ? pa | flags | keep : 0;
        va += PAGE_SIZE;
        pa += PAGE_SIZE;
    }
    return 0;
}

static void flush(struct vm *vm, uint64_t va, uint64_t len)
{
    if (read_cr3() != vm->pml4)
        return;
    if (len / PAGE_SIZE > FLUSH_ALL_PAGES) {
        write_cr3(vm->pml4);
        return;
    }
    for (uint64_t a = va; a < va + len; a += PAGE_SIZE)
        invlpg(a);
}

int vm_map(struct vm *vm, uint64_t va, uint64_t pa, uint64_t len, uint32_t prot)
{
    int r = set_range(vm, va, pa, len, leaf_flags(prot), (prot & VM_SMALL) != 0);
    flush(vm, va, len);
    return r;
}

int vm_unmap(struct vm *vm, uint64_t va, uint64_t len)
{
    int r = set_range(vm, va, 0, len, 0, 0);
    flush(vm, va, len);
    return r;
}

/* The leaf entry mapping va, or NULL; *large says whether it maps 2 MiB. */
static uint64_t *leaf(struct vm *vm, uint64_t va, int *large)
{
    uint64_t e = table(vm->pml4)[(va >> 39) & 511];
    if (!(e & PTE_P))
        return 0;
    e = table(e & PTE_ADDR)[(va >> 30) & 511];
    if (!(e & PTE_P))
        return 0;
    uint64_t *pde = &table(e & PTE_ADDR)[(va >> 21) & 511];
    if (!(*pde & PTE_P))
        return 0;
    *large = (*pde & PTE_PS) != 0;
    if (*large)
        return pde;
    uint64_t *pte = &table(*pde & PTE_ADDR)[(va >> 12) & 511];
    return (*pte & PTE_P) ? pte : 0;
}

int vm_dirty(struct vm *vm, uint64_t va, int clear)
{
    int large = 0;
    uint64_t *e = leaf(vm, va, &large);
    if (!e || !(*e & PTE_D))
        return 0;
    if (clear && !large) {
        __atomic_and_fetch(e, ~PTE_D, __ATOMIC_SEQ_CST);
        if (read_cr3() == vm->pml4)
            invlpg(va); /* this core's cached entry would not mark the next store; others: tlb_shootdown */
    }
    return 1;
}

void vm_set_dirty(struct vm *vm, uint64_t va)
{
    int large = 0;
    uint64_t *e = leaf(vm, va, &large);
    if (e)
        __atomic_or_fetch(e, PTE_D, __ATOMIC_SEQ_CST);
}

void vm_activate(struct vm *vm)
{
    write_cr3(vm->pml4);
}
