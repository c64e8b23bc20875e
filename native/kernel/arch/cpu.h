/* cpu.h -- per-CPU architectural setup and the features programs may use. */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdint.h>

#include "percpu.h"

struct cpu_features {
    int nx, xsave, avx, rdrand, rdseed;
    uint64_t xcr0;
    uint32_t hwcap;        /* CPUID.1:EDX, what Linux puts in AT_HWCAP */
    uint32_t family_model; /* CPUID.1:EAX */
};

extern struct cpu_features cpu_features;

void cpu_detect(void); /* boot CPU, once */
/* Everything a CPU needs before it may park or run a program: GDT/TSS,
 * IDT, FPU/SSE(/AVX) enabled, system-call MSRs, local APIC. */
void cpu_init(struct cpu *c);

#endif
