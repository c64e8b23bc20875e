/* fpu.c -- XSAVE/XRSTOR (FXSAVE/FXRSTOR without XSAVE) of program threads' registers. */
#include "arch/fpu.h"

#include "arch/cpu.h"
#include "arch/x86.h"
#include "lib/string.h"

#define MXCSR_OFFSET      24
#define MXCSR_DEFAULT     0x1F80
#define XSTATE_BV_OFFSET  512
#define XSAVE_HEADER_SIZE 64

uint32_t fpu_state_size = 512;
static uint32_t mxcsr_mask = 0xFFBF;

void fpu_init_size(void)
{
    if (cpu_features.xsave) {
        uint32_t r[4];
        cpuid(0xD, 0, r);
        fpu_state_size = r[1]; /* EBX: size for the features XCR0 enables now */
    }
    /* MXCSR_MASK from an FXSAVE image: bits a program may set. */
    static uint8_t probe[512] __attribute__((aligned(64)));
    __asm__ volatile("fxsave64 %0" : "=m"(probe));
    uint32_t m;
    memcpy(&m, probe + 28, 4);
    if (m)
        mxcsr_mask = m;
}

void fpu_save(void *area)
{
    if (cpu_features.xsave)
        __asm__ volatile("xsave64 (%0)" : : "r"(area), "a"(~0u), "d"(~0u) : "memory");
    else
        __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
    if (cpu_features.xsave)
        __asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"(~0u), "d"(~0u) : "memory");
    else
        __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void fpu_init_area(void *area)
{
    /* An XSAVE area whose header says "every component in its initial
     * state" restores as fninit + zeroed registers; only MXCSR (in the
     * legacy part, restored with SSE state) needs its default. */
    memset(area, 0, fpu_state_size);
    uint8_t *a = area;
    uint16_t fcw = 0x37F;
    memcpy(a, &fcw, 2);
    uint32_t mxcsr = MXCSR_DEFAULT;
    memcpy(a + MXCSR_OFFSET, &mxcsr, 4);
    if (cpu_features.xsave) {
        uint64_t bv = 2; /* SSE component present (for MXCSR); x87 and AVX initial */
        memcpy(a + XSTATE_BV_OFFSET, &bv, 8);
    }
}

void fpu_sanitize(void *area)
{
    uint8_t *a = area;
    uint32_t mxcsr;
    memcpy(&mxcsr, a + MXCSR_OFFSET, 4);
    mxcsr &= mxcsr_mask;
    memcpy(a + MXCSR_OFFSET, &mxcsr, 4);
    if (cpu_features.xsave) {
        uint64_t bv;
        memcpy(&bv, a + XSTATE_BV_OFFSET, 8);
        bv &= cpu_features.xcr0;
        memset(a + XSTATE_BV_OFFSET, 0, XSAVE_HEADER_SIZE); /* XCOMP_BV and reserved bytes must be 0 */
        memcpy(a + XSTATE_BV_OFFSET, &bv, 8);
    }
}
