/*
 * signal.h -- signals within the one process an instance runs: handlers
 * for signals it sends itself (kill, tkill, tgkill, raise), SIGALRM from
 * alarm/setitimer, faults it chose to handle; default actions end the
 * instance (status 128 + N); rt_sigreturn, sigaltstack, sigsuspend.
 *
 * Delivery happens on the way back to the program: at the end of a
 * system call (syscall_return_work) or of an interrupt or exception that
 * arrived in program code (trap.c moves the frame to the thread's kernel
 * stack first).  The frame pushed on the program's stack is Linux's
 * rt_sigframe, so libc restorers and ucontext readers work unchanged.
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <stdint.h>

#include "arch/trap.h"

struct instance;
struct thread;
struct syscall_frame;

#define SIG_DFL    0
#define SIG_IGN    1
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SI_USER    0
#define SI_KERNEL  0x80
#define SI_TKILL   (-6)
#define SIGKILL    9
#define SIGSEGV    11
#define SIGALRM    14
#define SIGSTOP    19

/* Whether t has a signal to take now (racy read: a hint for wait loops). */
int signal_deliverable(struct thread *t);
/* An exception in program code the program has a handler for: recorded on
 * t, 1 (the caller delivers it on the way back); 0 if it must end the
 * instance as a fault. */
int signal_fault(struct thread *t, const struct trapframe *tf, uint64_t cr2);
/* The signal whose default action ends a program that did not handle the
 * exception in tf (what the host reports as 128 + N). */
int signal_fault_default(const struct trapframe *tf);
/* Deliver pending signals into the frame the thread returns through. */
void signal_deliver_trap(struct trapframe *tf);
void signal_deliver_syscall(struct syscall_frame *f);
/* A signal to the process (SI_KERNEL etc. as code). */
void signal_send_process(struct instance *in, int sig, int code);
/* target NULL: process-directed.  0 or -EINVAL; may end the instance (a
 * fatal default action). */
int64_t signal_send(struct instance *in, struct thread *target, int sig, int code);
/* Whether sig's default action is to do nothing. */
int signal_default_ignored(int sig);
/* Whether sp is on t's alternate signal stack. */
int signal_on_altstack(const struct thread *t, uint64_t sp);
/* Signals that cannot be blocked or caught. */
#define SIG_UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

#endif
