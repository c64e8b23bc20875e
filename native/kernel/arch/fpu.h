/*
 * fpu.h -- saving and restoring a program thread's x87/SSE/AVX registers.
 * The kernel never touches them (-mgeneral-regs-only), so they change
 * hands only when a core switches between threads, and a thread's state
 * lives in its core's registers until then (see sched.c: fpu_owner).
 */
#ifndef KERNEL_FPU_H
#define KERNEL_FPU_H

#include <stdint.h>

/* Bytes of a save area (XSAVE for the enabled XCR0 features, else FXSAVE's 512). */
extern uint32_t fpu_state_size;

void fpu_init_size(void);  /* boot CPU, after cpu_init */
void fpu_save(void *area); /* 64-byte aligned */
void fpu_restore(const void *area);
/* A clean state (fninit, MXCSR 0x1F80, vector registers zero) written to area. */
void fpu_init_area(void *area);
/* Makes an area that came from a program (a signal frame) safe to restore:
 * header fields XRSTOR would fault on, and MXCSR reserved bits, cleared. */
void fpu_sanitize(void *area);

#endif
