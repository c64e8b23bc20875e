/*
 * trap.c -- where every vector lands.  An exception in program code the
 * program handles becomes a signal; any other exception on a CPU that
 * serves an instance ends that instance only (its cause goes to the
 * host); on a CPU that serves none it is a kernel bug and the node panics.
 */
#include "arch/trap.h"

#include "arch/lapic.h"
#include "arch/x86.h"
#include "inst/inst.h"
#include "inst/instance.h"
#include "inst/signal.h"
#include "lib/console.h"
#include "node/monitor.h"
#include "percpu.h"

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 error",
    "alignment check",
    "machine check",
    "SIMD error",
    "virtualization",
    "control protection",
};

const char *trap_name(uint64_t vector)
{
    if (vector < 32 && exception_names[vector])
        return exception_names[vector];
    return "exception";
}

extern const uint64_t __ex_table_start[], __ex_table_end[];

/* A fault at one of the listed user-access instructions resumes at its fixup. */
static int fixup(struct trapframe *tf)
{
    for (const uint64_t *e = __ex_table_start; e < __ex_table_end; e += 2)
        if (e[0] == tf->rip) {
            tf->rip = e[1];
            return 1;
        }
    return 0;
}

/* The frame moves to the top of the running thread's kernel stack, which
 * is empty while the thread runs program code. */
static struct trapframe *move_frame(struct cpu *c, struct trapframe *tf)
{
    struct trapframe *nf = (struct trapframe *)(c->cur->kstack_top - sizeof *nf);
    *nf = *tf;
    return nf;
}

void trap_user_work(struct trapframe *tf)
{
    sched_return_to_user();
    signal_deliver_trap(tf);
}

struct trapframe *trap_dispatch(struct trapframe *tf)
{
    struct cpu *c = this_cpu();
    uint64_t v = tf->vector;
    /* Program code (ring 3) of one of the instance's threads was
     * interrupted, not the kernel (which runs with interrupts off but in
     * hlt and on its way out to the program, and must not be switched
     * away from). */
    int program = c->inst && c->cur && (tf->cs & 3) == 3;
    if (v == EXC_NMI) {
        /* The monitor's second try at a core that ignored its WAKE IPI, or
         * an ending instance's: act only where no kernel lock can be held. */
        if (program)
            instance_wake(c);
        return tf;
    }
    if (v < 32) {
        if (fixup(tf))
            return tf;
        if (program) {
            uint64_t cr2 = v == EXC_PF ? read_cr2() : 0;
            if (v == EXC_PF && fault_is_stale(c, tf, cr2))
                return tf;
            if (signal_fault(c->cur, tf, cr2))
                return move_frame(c, tf);
        }
        if (c->inst)
            instance_fault(c, tf); /* does not return */
        panic("%s (vector %lu) at rip %lx, error %lx, cr2 %lx, rsp %lx", trap_name(v), v, tf->rip, tf->error_code,
              read_cr2(), tf->rsp);
    }
    switch (v) {
    case VEC_PING:
        /* Proof of life only: whatever was interrupted (a program, the
         * idle loop's hlt, a kernel wait) carries on untouched. */
        lapic_eoi();
        monitor_heartbeat_ack();
        return tf;
    case VEC_WAKE:
        lapic_eoi();
        if (program)
            instance_wake(c); /* may end the instance: then does not return */
        return tf;
    case VEC_TIMER:
    case VEC_RESCHED:
        lapic_eoi();
        if (c->icpu) {
            int yield = sched_interrupt(program);
            if (program && (yield || signal_deliverable(c->cur)))
                return move_frame(c, tf);
        }
        return tf;
    case VEC_TLB:
        lapic_eoi();
        if (c->icpu)
            tlb_poll(c->icpu);
        return tf;
    case VEC_SPURIOUS:
        return tf; /* no EOI for spurious interrupts */
    default:
        kprintf("trap: unexpected vector %lu\n", v);
        lapic_eoi();
        return tf;
    }
}
