/*
 * trap.h -- interrupts and exceptions.  Every vector runs on an IST stack
 * (see idt.c), so a program's red zone is never overwritten.
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

/* Vectors we send ourselves. */
#define VEC_WAKE     0xF0 /* monitor -> core: look at your mailbox; an instance is ending */
#define VEC_TIMER    0xF1 /* the LAPIC timer: the monitor's tick, an instance core's deadlines */
#define VEC_RESCHED  0xF2 /* a thread was put on this core's run queue, or has a signal */
#define VEC_TLB      0xF3 /* flush the TLB (tlb.c) */
#define VEC_PING     0xF4 /* monitor -> BUSY core: bump your mailbox's heartbeat (monitor.c) */
#define VEC_SPURIOUS 0xFF

#define EXC_NMI 2
#define EXC_DF  8
#define EXC_PF  14
#define EXC_MC  18

struct trapframe {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

void idt_init(void); /* once, on the boot CPU */
void idt_load(void); /* on every CPU */
/* Returns the frame to return through: tf, or a copy on the current
 * thread's kernel stack when it must switch or take a signal first
 * (vectors.S then calls trap_user_work on it). */
struct trapframe *trap_dispatch(struct trapframe *tf);
void trap_user_work(struct trapframe *tf);
const char *trap_name(uint64_t vector);

#endif
