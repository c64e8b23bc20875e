/* monitor.c -- the mailbox watcher on CPU 0. */
#include "node/monitor.h"

#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "lib/console.h"
#include "lib/errno.h"
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

/*
 * AZ_CORE_CMD_RESET (abi.h), one at a time, a step per tick so that the
 * mailboxes are still served meanwhile: NMI, wait, INIT-SIPI, wait.  The
 * INIT-SIPI restarts the core at the AP trampoline (still at
 * TRAMPOLINE_PHYS, in memory no instance is given), which parks it.
 */
static struct {
    uint32_t active; /* a RESET is being served */
    uint32_t seq;    /* its cmd_seq */
    uint32_t target; /* node CPU index */
    uint32_t inited; /* INIT-SIPI sent */
    uint64_t t0;     /* TSC of the last step */
} resetting;

static int target_parked(void)
{
    return __atomic_load_n(&cpus[resetting.target]->mailbox->state, __ATOMIC_ACQUIRE) == AZ_CORE_PARKED;
}

static void reset_done(int32_t result)
{
    struct az_core_mailbox *own = cpus[0]->mailbox;
    kprintf("monitor: reset of cpu %u %s\n", resetting.target,
            result == 0 ? (resetting.inited ? "took INIT-SIPI" : "took an NMI") : "failed: the core does not park");
    own->result = result;
    cpus[0]->acked_seq = resetting.seq;
    __atomic_store_n(&own->ack_seq, resetting.seq, __ATOMIC_RELEASE);
    resetting.active = 0;
}

static void reset_step(void)
{
    struct az_core_mailbox *own = cpus[0]->mailbox;
    if (!resetting.active) {
        uint32_t seq = __atomic_load_n(&own->cmd_seq, __ATOMIC_ACQUIRE);
        if (seq == cpus[0]->acked_seq)
            return;
        uint32_t cmd = __atomic_load_n(&own->cmd, __ATOMIC_RELAXED);
        uint64_t arg = __atomic_load_n(&own->arg, __ATOMIC_RELAXED);
        resetting.seq = seq;
        resetting.inited = 0;
        if (cmd != AZ_CORE_CMD_RESET || arg == 0 || arg >= ncpus) {
            resetting.target = (uint32_t)arg;
            own->result = -EINVAL;
            cpus[0]->acked_seq = seq;
            __atomic_store_n(&own->ack_seq, seq, __ATOMIC_RELEASE);
            return;
        }
        resetting.active = 1;
        resetting.target = (uint32_t)arg;
        resetting.t0 = rdtsc();
        lapic_send_nmi(cpus[resetting.target]->apic_id);
        return;
    }
    if (target_parked()) {
        reset_done(0);
        return;
    }
    uint64_t ms = tsc_to_ns(rdtsc() - resetting.t0) / 1000000;
    if (!resetting.inited && ms >= AZ_NODE_RESET_NMI_MS) {
        resetting.inited = 1;
        resetting.t0 = rdtsc();
        lapic_send_init_sipi(cpus[resetting.target]->apic_id, TRAMPOLINE_PHYS >> 12);
    } else if (resetting.inited && ms >= AZ_NODE_RESET_INIT_MS) {
        reset_done(-ETIMEDOUT);
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
        reset_step();
        if (ncpus > 1)
            ping();
        sti_hlt();
    }
}
