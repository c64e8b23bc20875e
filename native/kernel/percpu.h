/*
 * percpu.h -- what each CPU keeps for itself, reached through %gs.
 *
 * In the kernel the GS base is the CPU's struct cpu; in a program (ring 3)
 * it is 0 (arch_prctl(ARCH_SET_GS) is refused, CR4.FSGSBASE is off, and a
 * selector a program loads into %gs has base 0), the struct cpu waiting in
 * MSR_KERNEL_GS_BASE.  The system-call entry swaps them first thing; an
 * interrupt or exception swaps when the GS base it finds is not a kernel
 * address (vectors.S: an NMI may land just before the syscall entry's
 * swapgs or just after its exit's).  The first fields are read by assembly
 * at fixed offsets (CPU_* below, pinned by _Static_assert).
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#define CPU_SELF           0
#define CPU_SAVED_RSP      8
#define CPU_KSTACK_TOP     16
#define CPU_PARK_STACK_TOP 24

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct instance;
struct inst_cpu;
struct thread;
struct az_core_mailbox;
struct az_boot;

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct cpu {
    struct cpu *self;        /* CPU_SELF */
    uint64_t saved_rsp;      /* CPU_SAVED_RSP: the program's %rsp during a system call */
    uint64_t kstack_top;     /* CPU_KSTACK_TOP: where system calls run: the current thread's stack */
    uint64_t park_stack_top; /* CPU_PARK_STACK_TOP: the CPU's own stack (boot, park, idle loop) */
    uint32_t index;          /* position in the node's CPU table */
    uint32_t apic_id;
    uint32_t numa_node;
    uint32_t online;
    struct az_core_mailbox *mailbox;
    struct instance *inst;  /* the instance this CPU serves, NULL when parked */
    struct inst_cpu *icpu;  /* this CPU's part of it (run queue, channel), NULL when parked */
    struct thread *cur;     /* the program thread running here, NULL when idle */
    uint32_t acked_seq;     /* private copy of mailbox->ack_seq */
    uint32_t inst_pos;      /* this CPU's position in the instance's cpus[] */
    uint64_t boot_gpa;      /* the az_boot of the START being served */
    struct az_boot *launch; /* a checked copy of that az_boot's header and cpus[] */
    uint8_t *scratch;       /* a page for building an instance */
    struct tss tss __attribute__((aligned(16)));
};

_Static_assert(offsetof(struct cpu, self) == CPU_SELF, "cpu.self");
_Static_assert(offsetof(struct cpu, saved_rsp) == CPU_SAVED_RSP, "cpu.saved_rsp");
_Static_assert(offsetof(struct cpu, kstack_top) == CPU_KSTACK_TOP, "cpu.kstack_top");
_Static_assert(offsetof(struct cpu, park_stack_top) == CPU_PARK_STACK_TOP, "cpu.park_stack_top");

extern struct cpu *cpus[]; /* by index; NULL beyond ncpus */
extern uint32_t ncpus;

static inline struct cpu *this_cpu(void)
{
    struct cpu *c;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(c));
    return c;
}

static inline uint32_t this_cpu_index(void)
{
    struct cpu *c = this_cpu();
    return c ? c->index : 0;
}

#endif /* __ASSEMBLER__ */
#endif
