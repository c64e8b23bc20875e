/*
 * trap.c -- where every vector lands.  An exception on a CPU that serves
 * an instance ends that instance only (its cause goes to the host); on a
 * CPU that serves none it is a kernel bug and the node panics.
 */
#include "arch/trap.h"

#include "arch/lapic.h"
#include "arch/x86.h"
#include "inst/instance.h"
#include "lib/console.h"
#include "percpu.h"

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
    "device not available", "double fault", "coprocessor overrun", "invalid TSS", "segment not present",
    "stack fault", "general protection", "page fault", "reserved", "x87 error", "alignment check",
    "machine check", "SIMD error", "virtualization", "control protection",
};

const char *trap_name(uint64_t vector)
{
    if (vector < 32 && exception_names[vector])
        return exception_names[vector];
    return "exception";
}

void trap_dispatch(struct trapframe *tf)
{
    struct cpu *c = this_cpu();
    uint64_t v = tf->vector;
    if (v == EXC_NMI) {
        /* The monitor's second try at a core that ignored its WAKE IPI
         * (a program that disabled interrupts): only a STOP matters. */
        if (c->inst)
            instance_wake(c);
        return;
    }
    if (v < 32) {
        if (c->inst)
            instance_fault(c, tf); /* does not return */
        panic("%s (vector %lu) at rip %lx, error %lx, cr2 %lx, rsp %lx", trap_name(v), v, tf->rip,
              tf->error_code, read_cr2(), tf->rsp);
    }
    switch (v) {
    case VEC_WAKE:
        lapic_eoi();
        if (c->inst)
            instance_wake(c); /* may end the instance: then does not return */
        return;
    case VEC_TIMER:
        lapic_eoi();
        return;
    case VEC_SPURIOUS:
        return; /* no EOI for spurious interrupts */
    default:
        kprintf("trap: unexpected vector %lu\n", v);
        lapic_eoi();
    }
}
