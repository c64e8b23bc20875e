/*
 * gdt.c -- segments.  Long mode ignores segment bases and limits; what
 * matters here is the code selectors' L bit and DPL (ring 0 for the
 * kernel, ring 3 for programs) and each CPU's TSS, whose IST pointers give
 * every interrupt and exception a stack of its own (see idt.c).
 */
#include "arch/gdt.h"

#include <stdint.h>

#include "layout.h"

#define GDT_ENTRIES (SEL_TSS0 / 8 + 2 * MAX_CPUS)

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16))) = {
    [SEL_KCODE / 8] = 0x00AF9A000000FFFF,  /* 64-bit code, DPL 0 */
    [SEL_KDATA / 8] = 0x00CF92000000FFFF,  /* data */
    [SEL_CODE32 / 8] = 0x00CF9A000000FFFF, /* 32-bit code (trampoline) */
    [SEL_UDATA / 8] = 0x00CFF2000000FFFF,  /* data, DPL 3 (programs) */
    [SEL_UCODE / 8] = 0x00AFFA000000FFFF,  /* 64-bit code, DPL 3 (programs) */
};

struct __attribute__((packed)) gdtr {
    uint16_t limit;
    uint64_t base;
};

void gdt_init_cpu(struct cpu *c)
{
    uint64_t base = (uint64_t)&c->tss;
    uint64_t limit = sizeof(struct tss) - 1;
    uint32_t slot = SEL_TSS0 / 8 + 2 * c->index;
    c->tss.iomap_base = sizeof(struct tss); /* no I/O bitmap */
    /* A 16-byte available 64-bit TSS descriptor (type 9, present). */
    gdt[slot] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) | (((limit >> 16) & 0xF) << 48) |
                (((base >> 24) & 0xFF) << 56);
    gdt[slot + 1] = base >> 32;

    struct gdtr r = {sizeof gdt - 1, (uint64_t)gdt};
    uint16_t tss_sel = (uint16_t)(slot * 8);
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl %2, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     "ltr %3"
                     :
                     : "m"(r), "i"((uint64_t)SEL_KCODE), "i"(SEL_KDATA), "r"(tss_sel)
                     : "rax", "memory");
}
