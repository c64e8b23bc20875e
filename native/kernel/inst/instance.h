/*
 * instance.h -- a unikernel instance, as the cores serving it see it.
 */
#ifndef KERNEL_INSTANCE_H
#define KERNEL_INSTANCE_H

#include <stdint.h>

#include "arch/trap.h"
#include "percpu.h"

/* A START for the az_boot at boot_gpa: 0 if this core takes part (it is
 * then BUSY and must call instance_run), else -errno. */
int instance_accept(struct cpu *c, uint64_t boot_gpa);
/* Serves the accepted instance until it ends, then parks. */
__attribute__((noreturn)) void instance_run(struct cpu *c);
/* A WAKE IPI while serving: a STOP in the mailbox ends the instance. */
void instance_wake(struct cpu *c);
/* An exception while serving: reported to the host, the instance ends. */
__attribute__((noreturn)) void instance_fault(struct cpu *c, struct trapframe *tf);

#endif
