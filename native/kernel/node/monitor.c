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

/*
 * Heartbeat pings: each core is pinged AZ_NODE_HEARTBEAT_HZ times a second,
 * one core at a time, spread evenly over the round (72 cores at 2 Hz: one
 * IPI every ~7 ticks), so a tick costs a TSC read and a compare.  Paced by
 * the TSC, not by counting wake-ups, so the rate holds whatever wakes us.
 */
static struct {
    uint64_t step; /* TSC ticks between two pings */
    uint64_t next; /* TSC of the next ping */
    uint32_t core; /* the next core to ping, 1..ncpus-1 */
} pinger;

static void heartbeat_bump(struct az_core_mailbox *mb)
{
    /* Only the owning core writes it, so no locked increment. */
    uint64_t n = __atomic_load_n(&mb->heartbeat, __ATOMIC_RELAXED);
    __atomic_store_n(&mb->heartbeat, n + 1, __ATOMIC_RELEASE);
}

void monitor_heartbeat_ack(void)
{
    heartbeat_bump(this_cpu()->mailbox);
}

static void ping(void)
{
    uint64_t now = rdtsc();
    if (now < pinger.next)
        return;
    /* Behind by more than a round (the vCPU was descheduled): skip ahead
     * rather than burst. */
    if (now - pinger.next > pinger.step * ncpus)
        pinger.next = now;
    pinger.next += pinger.step;
    uint32_t i = pinger.core;
    pinger.core = i + 1 < ncpus ? i + 1 : 1;
    if (i == 1)
        heartbeat_bump(cpus[0]->mailbox); /* once a round: the monitor itself is alive */
    if (__atomic_load_n(&cpus[i]->mailbox->state, __ATOMIC_RELAXED) == AZ_CORE_BUSY)
        lapic_send_ipi(cpus[i]->apic_id, VEC_PING);
}

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
    if (ncpus > 1) {
        pinger.step = tsc_hz / AZ_NODE_HEARTBEAT_HZ / (ncpus - 1);
        pinger.next = rdtsc() + pinger.step;
        pinger.core = 1;
    }
    lapic_timer_periodic(VEC_TIMER, (uint32_t)period);
    for (;;) {
        cli();
        scan();
        if (ncpus > 1)
            ping();
        sti_hlt();
    }
}
