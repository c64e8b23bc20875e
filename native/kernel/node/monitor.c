/* monitor.c -- the mailbox watcher on CPU 0. */
#include "node/monitor.h"

#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "lib/console.h"
#include "node/clock.h"
#include "node/node.h"
#include "percpu.h"

/* A core that has not taken its command after this many ticks is kicked again. */
#define REKICK_TICKS 64

struct kick {
    uint32_t seq;   /* the cmd_seq we last kicked for */
    uint32_t ticks; /* ticks since */
};

static struct kick kicks[MAX_CPUS];

static void scan(void)
{
    for (uint32_t i = 1; i < ncpus; i++) {
        struct az_core_mailbox *mb = cpus[i]->mailbox;
        uint32_t seq = __atomic_load_n(&mb->cmd_seq, __ATOMIC_RELAXED);
        if (seq == __atomic_load_n(&mb->ack_seq, __ATOMIC_RELAXED))
            continue;
        if (seq == kicks[i].seq && ++kicks[i].ticks < REKICK_TICKS)
            continue;
        /* A core serving an instance that ignored a WAKE may be running a
         * program with interrupts off: an NMI gets through. */
        int again = seq == kicks[i].seq;
        kicks[i].seq = seq;
        kicks[i].ticks = 0;
        if (again && __atomic_load_n(&mb->state, __ATOMIC_RELAXED) == AZ_CORE_BUSY)
            lapic_send_nmi(cpus[i]->apic_id);
        else
            lapic_send_ipi(cpus[i]->apic_id, VEC_WAKE);
    }
}

void monitor_loop(void)
{
    struct az_core_mailbox *own = cpus[0]->mailbox;
    __atomic_store_n(&own->state, AZ_CORE_BUSY, __ATOMIC_RELEASE); /* never parked for instances */
    uint64_t period = lapic_timer_hz / AZ_NODE_MONITOR_HZ;
    if (period == 0 || period > 0xFFFFFFFF)
        panic("monitor: LAPIC timer rate %lu Hz unusable", lapic_timer_hz);
    lapic_timer_periodic(VEC_TIMER, (uint32_t)period);
    for (;;) {
        cli();
        scan();
        sti_hlt();
    }
}
