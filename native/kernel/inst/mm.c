/*
 * mm.c -- an instance's memory: kernel allocations from the bottom of its
 * partition, keeping the page-table pool stocked, and applying VMAs to the
 * page tables.  Table pages are reached through the identity map, so the
 * pool is refilled while it still holds VM_POOL_RESERVE mapped pages: the
 * new chunk is mapped with those before its own pages are used.  Callers
 * hold mm_lock (or are alone: the instance is being built).
 */
#include "arch/cpu.h"
#include "arch/fwcfg.h"
#include "arch/x86.h"
#include "inst/inst.h"
#include "layout.h"
#include "lib/errno.h"
#include "lib/string.h"

#define CHUNK_PAGES 512 /* mapping at most 2 MiB takes at most VM_POOL_RESERVE tables */

static uint64_t alloc_raw(struct instance *in, uint64_t size)
{
    size = (size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t pa = vma_find_gap(&in->map, size, PAGE_SIZE, 1, in->mem_hi);
    if (!pa)
        return 0;
    struct vma v = {pa, pa + size, 0, PROT_READ | PROT_WRITE, VMA_KERNEL, 0};
    return vma_insert(&in->map, &v) ? 0 : pa;
}

/* Table pages mapping `len` bytes can take, at worst. */
static uint64_t tables_for(uint64_t len)
{
    return len / LARGE_PAGE_SIZE + len / (1ull << 30) + 8;
}

int mm_reserve_tables(struct instance *in, uint64_t len)
{
    uint64_t need = tables_for(len) + VM_POOL_RESERVE;
    while (in->vm.nfree < need) {
        uint64_t pages = need - in->vm.nfree + 16;
        if (pages > CHUNK_PAGES)
            pages = CHUNK_PAGES;
        uint64_t pa = alloc_raw(in, pages * PAGE_SIZE);
        if (!pa)
            return -ENOMEM;
        if (vm_map(&in->vm, pa, pa, pages * PAGE_SIZE, PROT_READ | PROT_WRITE))
            return -ENOMEM;
        vm_pool_add(&in->vm, pa, pages * PAGE_SIZE);
    }
    return 0;
}

uint64_t mm_alloc_kernel(struct instance *in, uint64_t size)
{
    if (mm_reserve_tables(in, size))
        return 0;
    uint64_t pa = alloc_raw(in, size);
    if (!pa || vm_map(&in->vm, pa, pa, size, PROT_READ | PROT_WRITE))
        return 0;
    return pa;
}

int mm_apply(struct instance *in, uint64_t start, uint64_t end)
{
    for (uint64_t va = start; va < end;) {
        uint64_t e;
        struct vma *v = vma_clip(&in->map, &va, end, &e);
        if (!v)
            break;
        /* The user bit only on the program's own ranges: the instance
         * kernel's (page tables, threads) and the host's (az_boot, offload
         * region) stay supervisor-only. */
        uint32_t prot = v->prot | (v->kind == VMA_USER && v->prot != PROT_NONE ? VM_USER : 0);
        if (v->flags & VMA_F_SHARED)
            prot |= VM_SMALL; /* a dirty bit per page: write-back writes only those */
        if (mm_reserve_tables(in, e - va) || vm_map(&in->vm, va, va + v->pa_off, e - va, prot))
            return -ENOMEM;
        va = e;
    }
    return 0;
}

int mm_unmap(struct instance *in, uint64_t va, uint64_t len)
{
    /* Unmapping part of a 2 MiB page splits it: that takes a table. */
    int r = mm_reserve_tables(in, len);
    if (r == 0)
        r = vm_unmap(&in->vm, va, len);
    tlb_shootdown(in); /* before the memory can be handed out again */
    return r;
}

void mm_zero(struct instance *in, uint64_t va, uint64_t len)
{
    for (uint64_t end = va + len; va < end;) {
        struct vma *v = vma_find(&in->map, va);
        uint64_t e = v && v->end < end ? v->end : end;
        /* By physical address through fw_cfg DMA (fwcfg.h); failing that,
         * through the program's mapping, which may be read-only: CR0.WP
         * off lets ring 0 write it for this moment. */
        if (!v || phys_zero(va + v->pa_off, e - va)) {
            uint64_t cr0 = read_cr0();
            write_cr0(cr0 & ~CR0_WP);
            user_access_begin();
            memset((void *)va, 0, e - va);
            user_access_end();
            write_cr0(cr0);
        }
        va = e;
    }
}
