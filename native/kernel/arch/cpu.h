/* cpu.h -- per-CPU architectural setup and the features programs may use. */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdint.h>

#include "percpu.h"

struct cpu_features {
    int nx, xsave, avx, rdrand, rdseed;
    int smep, umip; /* turned on in CR4 when present (SMAP: cpu_smap below) */
    uint64_t xcr0;
    uint32_t hwcap;        /* CPUID.1:EDX, what Linux puts in AT_HWCAP */
    uint32_t family_model; /* CPUID.1:EAX */
};

extern struct cpu_features cpu_features;

/* 1 when CR4.SMAP is on: the kernel then faults on any access to a user
 * page outside the windows below.  A plain word because the assembly
 * (vectors.S, usermem.S) tests it too: stac and clac are #UD without SMAP. */
extern uint32_t cpu_smap;

/* An explicit window onto program memory: every kernel access to a user
 * page sits between these (uaccess.c, usermem.S and the few places that
 * build what a program reads: its stack, ELF image, signal frames). */
static inline void user_access_begin(void)
{
    if (cpu_smap)
        __asm__ volatile("stac" ::: "memory");
}
static inline void user_access_end(void)
{
    if (cpu_smap)
        __asm__ volatile("clac" ::: "memory");
}

void cpu_detect(void); /* boot CPU, once */
/* Everything a CPU needs before it may park or run a program: GDT/TSS,
 * IDT, FPU/SSE(/AVX) enabled, system-call MSRs, local APIC. */
void cpu_init(struct cpu *c);

#endif
