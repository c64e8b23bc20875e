/* cpu.c -- bring one CPU into the state every core of the node shares. */
#include "arch/cpu.h"

#include "arch/gdt.h"
#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "layout.h"

struct cpu_features cpu_features;
uint32_t cpu_smap;

extern char syscall_entry[];

void cpu_detect(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    cpu_features.family_model = r[0];
    cpu_features.hwcap = r[3];
    cpu_features.xsave = (r[2] >> 26) & 1;
    cpu_features.avx = cpu_features.xsave && ((r[2] >> 28) & 1);
    cpu_features.rdrand = (r[2] >> 30) & 1;
    cpuid(0, 0, r);
    if (r[0] >= 7) {
        cpuid(7, 0, r);
        cpu_features.rdseed = (r[1] >> 18) & 1;
        cpu_features.smep = (r[1] >> 7) & 1;
        cpu_smap = (r[1] >> 20) & 1;
        cpu_features.umip = (r[2] >> 2) & 1;
    }
    cpuid(0x80000001, 0, r);
    cpu_features.nx = (r[3] >> 20) & 1;
    cpu_features.xcr0 = 0x3; /* x87, SSE */
    if (cpu_features.avx)
        cpu_features.xcr0 |= 0x4;
}

void cpu_init(struct cpu *c)
{
    gdt_init_cpu(c);
    idt_load();

    /* FPU and SSE for programs; the kernel itself never touches them
     * (-mgeneral-regs-only), so system calls need not save them. */
    write_cr0((read_cr0() | CR0_MP | CR0_NE | CR0_WP) & ~(CR0_EM | CR0_TS));
    uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_PGE;
    if (cpu_features.xsave)
        cr4 |= CR4_OSXSAVE;
    /* Programs run in ring 3: the kernel never executes (SMEP) or touches
     * (SMAP, outside user_access_begin/end) their pages by accident, and
     * they cannot read the descriptor tables' addresses (UMIP). */
    if (cpu_features.smep)
        cr4 |= CR4_SMEP;
    if (cpu_smap)
        cr4 |= CR4_SMAP;
    if (cpu_features.umip)
        cr4 |= CR4_UMIP;
    write_cr4(cr4);
    if (cpu_features.xsave)
        xsetbv(0, cpu_features.xcr0);
    __asm__ volatile("fninit");

    uint64_t efer = rdmsr(MSR_EFER) | EFER_SCE;
    if (cpu_features.nx)
        efer |= EFER_NXE;
    wrmsr(MSR_EFER, efer);
    /* syscall loads CS = STAR[47:32] and SS = that + 8 (ring 0); sysret
     * loads SS = STAR[63:48] + 8 and CS = that + 16 (ring 3, layout.h).
     * SFMASK clears IF, DF, TF, AC, NT on entry. */
    wrmsr(MSR_STAR, (uint64_t)SEL_KCODE << 32 | (uint64_t)(SEL_CODE32 | 3) << 48);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_SFMASK, 0x47700);
    /* In the kernel GS base is this CPU's struct cpu (set before this);
     * the other slot holds the program's (always 0: it cannot set one),
     * swapped on every entry from ring 3 and exit to it (percpu.h). */
    wrmsr(MSR_KERNEL_GS_BASE, 0);

    lapic_init();
}
