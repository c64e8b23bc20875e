/*
 * layout.h -- the node kernel's fixed addresses and limits, for C and asm.
 *
 * Physical memory (node 0's backing file starts at GPA 0):
 *   0x0000_8000  AP trampoline (one page, below 1 MiB for the SIPI vector)
 *   0x0010_0000  kernel image (boot code + tables, then text/rodata/data/bss)
 *   image end    kernel boot heap: per-CPU stacks and tables, up to 16 MiB
 *   0x0100_0000  node info + mailboxes (AZ_NODE_INFO_GPA, see abi.h)
 *   0x0200_0000  first byte handed out to instances (KERNEL_RESERVED_END)
 *
 * Virtual memory (every address space, the node's and each instance's):
 *   0xFFFF_FFFF_8000_0000 + p  kernel view of physical p < 1 GiB (KERNEL_VMA);
 *                              instances see only p < KERNEL_RESERVED_END
 *   0xFFFF_FFFF_0000_0000 + p  MMIO at physical p in 3..4 GiB (LAPIC), uncached
 *   lower half                 the node: identity map of 0..4 GiB;
 *                              an instance: its program's mappings only
 */
#ifndef KERNEL_LAYOUT_H
#define KERNEL_LAYOUT_H

#define KERNEL_VMA          0xFFFFFFFF80000000
#define MMIO_VMA            0xFFFFFFFF00000000
#define TRAMPOLINE_PHYS     0x8000
#define KERNEL_HEAP_END     0x01000000
#define KERNEL_RESERVED_END 0x02000000

/* GDT selectors. */
#define SEL_KCODE  0x08
#define SEL_KDATA  0x10
#define SEL_CODE32 0x18 /* also STAR's sysret base: user data = base + 8, user code = base + 16 */
#define SEL_UDATA  0x20 /* ring 3 data (the program's %ss), DPL 3 */
#define SEL_UCODE  0x28 /* ring 3 64-bit code (the program's %cs), DPL 3 */
#define SEL_TSS0   0x30 /* CPU i's TSS at SEL_TSS0 + 16 * i */

#define MAX_CPUS        256
#define APIC_TABLE_SIZE 4096 /* APIC ids we can map to CPUs */

/* Per-CPU stacks, bytes. */
#define KSTACK_SIZE        16384 /* boot, park loop, system calls */
#define IST_INTR_SIZE      8192  /* IST1: every interrupt and exception but these: */
#define IST_NMI_SIZE       4096  /* IST2: NMI */
#define IST_DF_SIZE        4096  /* IST3: double fault */
#define IST_MC_SIZE        4096  /* IST4: machine check */
#define THREAD_KSTACK_SIZE 16384 /* each program thread's: its system calls run here */

#define MAX_THREADS 1024 /* live threads of one instance (tid slots) */

#define PAGE_SIZE       4096
#define LARGE_PAGE_SIZE 0x200000

#endif
