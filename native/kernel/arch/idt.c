/*
 * idt.c -- the interrupt descriptor table, shared by all CPUs.  Every gate
 * names an IST slot: the CPU then switches to that stack even when the
 * interrupted code runs in ring 0, as programs here do.  Without it an
 * interrupt would push its frame just below the program's %rsp, over the
 * 128-byte red zone the System V ABI lets leaf functions use.
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
        idt[v].type_attr = 0x8E; /* present, DPL 0, interrupt gate: IF cleared on entry */
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
