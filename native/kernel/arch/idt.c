/*
 * idt.c -- the interrupt descriptor table, shared by all CPUs.  Every gate
 * names an IST slot: the CPU then switches to that stack whatever it
 * interrupted, so a trap never runs on a stack a program chose, and an
 * NMI or double fault always has a good one.
 */
#include <stdint.h>

#include "arch/trap.h"
#include "layout.h"

struct __attribute__((packed)) gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};

struct __attribute__((packed)) idtr {
    uint16_t limit;
    uint64_t base;
};

extern const uint64_t vector_table[256]; /* vectors.S */
static struct gate idt[256];

static uint8_t ist_for(int vector)
{
    switch (vector) {
    case EXC_NMI:
        return 2;
    case EXC_DF:
        return 3;
    case EXC_MC:
        return 4;
    default:
        return 1;
    }
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        uint64_t a = vector_table[v];
        idt[v].offset_lo = (uint16_t)a;
        idt[v].selector = SEL_KCODE;
        idt[v].ist = ist_for(v);
        /* present, interrupt gate (IF cleared on entry); DPL 0, so a
         * program's `int n` is a #GP, but DPL 3 for int3 and into, which
         * programs use (breakpoints, SIGTRAP; overflow, SIGSEGV). */
        idt[v].type_attr = (v == 3 || v == 4) ? 0xEE : 0x8E;
        idt[v].offset_mid = (uint16_t)(a >> 16);
        idt[v].offset_hi = (uint32_t)(a >> 32);
        idt[v].reserved = 0;
    }
}

void idt_load(void)
{
    struct idtr r = {sizeof idt - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(r));
}
