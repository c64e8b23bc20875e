/* gdt.h -- the one GDT (kernel code/data and every CPU's TSS) and the TSS. */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include "percpu.h"

/* Fills c's TSS (IST stacks allocated by the caller), loads GDT and TR. */
void gdt_init_cpu(struct cpu *c);

#endif
