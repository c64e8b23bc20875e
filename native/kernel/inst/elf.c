/*
 * elf.c -- loading a static x86-64 executable from the copy the host put in
 * the partition.  Runs on the node page tables, so physical memory is
 * written directly.  Every header field is checked against the file size
 * before use.
 *
 * Placement: a static PIE (ET_DYN) goes at the bottom of the free part of
 * the partition, identity mapped.  A fixed-address executable (ET_EXEC,
 * usually at 0x400000) keeps its link addresses: they lie below the
 * partition, so its image and brk heap are backed by a BACKING range of the
 * partition at a constant offset (pa_off).
 */
#include "arch/cpu.h"
#include "inst/inst.h"
#include "inst/loaded.h"
#include "percpu.h"
#include "layout.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"

#define ET_EXEC   2
#define ET_DYN    3
#define EM_X86_64 62
#define PT_LOAD   1
#define PT_INTERP 3
#define PT_PHDR   6
#define PF_X      1
#define PF_W      2
#define PF_R      4
#define MAX_PHNUM 64
#define MIN_VADDR 0x10000 /* Linux's mmap_min_addr */

struct ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static uint32_t prot_of(uint32_t pf)
{
    return ((pf & PF_R) ? PROT_READ : 0) | ((pf & PF_W) ? PROT_WRITE : 0) | ((pf & PF_X) ? PROT_EXEC : 0);
}

static uint64_t page_down(uint64_t a)
{
    return a & ~(uint64_t)(PAGE_SIZE - 1);
}
static uint64_t page_up(uint64_t a)
{
    return (a + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

/* brk room: an eighth of the partition, between 1 and 64 MiB. */
static uint64_t brk_room(const struct instance *in)
{
    uint64_t r = page_down((in->mem_hi - in->mem_lo) / 8);
    return r < (1ull << 20) ? (1ull << 20) : r > (64ull << 20) ? (64ull << 20) : r;
}

#define FAIL(err, ...)                                                                                                 \
    do {                                                                                                               \
        ksnprintf(msg, MSG_MAX, __VA_ARGS__);                                                                          \
        return -(err);                                                                                                 \
    } while (0)

int elf_load(struct instance *in, char *msg)
{
    const uint8_t *file = (const uint8_t *)in->elf_gpa;
    uint64_t size = in->elf_size;
    struct ehdr eh;
    if (size < sizeof eh)
        FAIL(ENOEXEC, "program: %lu bytes is too small for an ELF file", size);
    memcpy(&eh, file, sizeof eh);
    if (memcmp(eh.ident, "\177ELF", 4) != 0)
        FAIL(ENOEXEC, "program: not an ELF file");
    if (eh.ident[4] != 2 || eh.ident[5] != 1 || eh.machine != EM_X86_64)
        FAIL(ENOEXEC, "program: not a 64-bit little-endian x86-64 ELF file");
    if (eh.type != ET_EXEC && eh.type != ET_DYN)
        FAIL(ENOEXEC, "program: ELF type %u is not an executable", eh.type);
    if (eh.phentsize != sizeof(struct phdr) || eh.phnum == 0 || eh.phnum > MAX_PHNUM || eh.phoff > size ||
        (uint64_t)eh.phnum * sizeof(struct phdr) > size - eh.phoff)
        FAIL(ENOEXEC, "program: bad program header table");

    struct phdr ph[MAX_PHNUM];
    memcpy(ph, file + eh.phoff, eh.phnum * sizeof(struct phdr));
    uint64_t lo = ~0ull, hi = 0, phdr_vaddr = 0;
    for (int i = 0; i < eh.phnum; i++) {
        if (ph[i].type == PT_INTERP)
            FAIL(ENOEXEC, "program: dynamically linked (has PT_INTERP); link it with -static");
        if (ph[i].type == PT_PHDR)
            phdr_vaddr = ph[i].vaddr;
        if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
            continue;
        const struct phdr *p = &ph[i];
        if (p->filesz > p->memsz || p->offset > size || p->filesz > size - p->offset ||
            p->vaddr + p->memsz < p->vaddr || p->vaddr + p->memsz > (1ull << 46) ||
            (p->vaddr - p->offset) % PAGE_SIZE != 0)
            FAIL(ENOEXEC, "program: bad PT_LOAD segment %d", i);
        lo = page_down(p->vaddr) < lo ? page_down(p->vaddr) : lo;
        hi = page_up(p->vaddr + p->memsz) > hi ? page_up(p->vaddr + p->memsz) : hi;
        if (!phdr_vaddr && eh.phoff >= p->offset && eh.phoff - p->offset < p->filesz)
            phdr_vaddr = p->vaddr + (eh.phoff - p->offset);
    }
    if (hi == 0)
        FAIL(ENOEXEC, "program: no loadable segment");
    uint64_t span = hi - lo;
    if (span > in->mem_hi - in->mem_lo)
        FAIL(ENOMEM, "program: image of %lu bytes is larger than the partition", span);

    /* Where the image goes: bias (virtual displacement) and pa_off. */
    uint64_t room = brk_room(in);
    uint64_t bias = 0;
    int64_t pa_off = 0;
    if (eh.type == ET_DYN) {
        uint64_t base = vma_find_gap(&in->map, span + room, LARGE_PAGE_SIZE, 1, in->mem_hi);
        if (!base)
            base = vma_find_gap(&in->map, span + room, PAGE_SIZE, 1, in->mem_hi);
        if (!base)
            FAIL(ENOMEM, "program: no room for a %lu-byte image", span);
        bias = base - lo;
    } else if (lo >= in->mem_lo && hi <= in->mem_hi && vma_is_free(&in->map, lo, hi + room)) {
        /* Linked inside the partition: identity. */
    } else if (lo >= MIN_VADDR && hi <= in->mem_lo) {
        if (room > in->mem_lo - hi)
            room = page_down(in->mem_lo - hi);
        uint64_t backing = vma_find_gap(&in->map, span + room, PAGE_SIZE, 1, in->mem_hi);
        if (!backing)
            FAIL(ENOMEM, "program: no room for a %lu-byte image", span);
        struct vma b = {backing, backing + span + room, 0, PROT_NONE, VMA_BACKING, 0};
        if (vma_insert(&in->map, &b))
            FAIL(ENOMEM, "program: address map full");
        pa_off = (int64_t)(backing - lo);
    } else {
        FAIL(ENOEXEC, "program: linked at %lx-%lx, which overlaps the partition %lx-%lx", lo, hi, in->mem_lo,
             in->mem_hi);
    }

    /* Contents, page by page, written only where they differ from what is
     * there (see loaded.h: rerunning a program in the same partition then
     * rewrites nothing and keeps QEMU's translations warm).  The copy is
     * made with guest stores, never by the host writing code in place, so
     * QEMU sees the code change. */
    uint8_t *page_buf = this_cpu()->scratch;
    user_access_begin(); /* the image's pages may already be the program's (a rerun) */
    for (uint64_t page = lo; page < hi; page += PAGE_SIZE) {
        memset(page_buf, 0, PAGE_SIZE);
        for (int i = 0; i < eh.phnum; i++) {
            const struct phdr *p = &ph[i];
            if (p->type != PT_LOAD || !p->filesz)
                continue;
            uint64_t s0 = p->vaddr > page ? p->vaddr : page;
            uint64_t s1 = p->vaddr + p->filesz < page + PAGE_SIZE ? p->vaddr + p->filesz : page + PAGE_SIZE;
            if (s0 < s1)
                memcpy(page_buf + (s0 - page), file + p->offset + (s0 - p->vaddr), s1 - s0);
        }
        uint64_t pa = page + bias + pa_off;
        uint64_t h = loaded_hash(page_buf);
        if (!loaded_same(pa, h) || memcmp((void *)pa, page_buf, PAGE_SIZE) != 0)
            memcpy((void *)pa, page_buf, PAGE_SIZE);
        loaded_record(pa, h);
    }
    user_access_end();

    /* Ranges, page by page, so a page two segments share gets both rights. */
    for (uint64_t page = lo; page < hi; page += PAGE_SIZE) {
        uint32_t prot = 0;
        for (int i = 0; i < eh.phnum; i++)
            if (ph[i].type == PT_LOAD && ph[i].memsz && page_down(ph[i].vaddr) <= page &&
                page < page_up(ph[i].vaddr + ph[i].memsz))
                prot |= prot_of(ph[i].flags);
        struct vma v = {page + bias, page + bias + PAGE_SIZE, pa_off, prot, VMA_USER, 0};
        if (vma_insert(&in->map, &v))
            FAIL(ENOMEM, "program: address map full");
    }
    /* brk starts at the end of the image; its room is reserved. */
    in->brk_start = in->brk_cur = hi + bias;
    in->brk_end = hi + bias + room;
    in->brk_pa_off = pa_off;
    if (room) {
        struct vma r = {in->brk_start, in->brk_end, pa_off, PROT_NONE, VMA_USER, VMA_F_BRK | VMA_F_UNZEROED};
        if (vma_insert(&in->map, &r))
            FAIL(ENOMEM, "program: address map full");
    }
    /* Only now: mapping may allocate table pages, which must not land in the brk room. */
    if (mm_apply(in, lo + bias, hi + bias))
        FAIL(ENOMEM, "program: out of page-table memory");
    in->entry = eh.entry + bias;
    in->phdr = phdr_vaddr ? phdr_vaddr + bias : 0;
    in->phnum = eh.phnum;
    in->phent = eh.phentsize;
    return 0;
}
