/* smp.h -- the node's CPUs: per-CPU state for each, and starting the APs. */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include "percpu.h"

/* Creates a struct cpu (stacks, TSS stacks, mailbox) for every CPU ACPI
 * listed, the boot CPU first as index 0, and installs the boot CPU's. */
void smp_setup_cpus(struct cpu *boot_cpu);
/* INIT-SIPI-SIPI to all, then waits (halted) until every AP has parked. */
void smp_start_aps(void);

#endif
