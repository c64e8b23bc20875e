/*
 * offload.c -- offloaded calls that block a thread, not its core.
 *
 * Each core's threads share the core's channel in the client's raw mode:
 * a request's id names the thread (slot) and its call (a sequence
 * number), and whoever reaps on that core hands each completion to its
 * thread.  A thread alone on its core spins for its completion, as fast
 * as a plain call; when another thread is ready it blocks instead, and
 * the core's other threads, its timer interrupt and its idle loop keep
 * reaping.  A thread alone on its core also blocks once it has spun for
 * OFFLOAD_SPIN_NS: a call that takes that long (accept, a read from a
 * socket) is likely to take much longer, and a halted core costs the host
 * nothing while its timer polls the channel (sched.c, backing off).  The
 * spin is long (2 ms) because under TCG on a busy host a plain call's
 * answer is often late by a host scheduling delay (the proxy's thread or
 * this vCPU's descheduled for a few hundred microseconds): with 100 us the
 * core halted on such calls and then saw the answer only at its next timer
 * poll, through one more host wake-up, and a program issuing calls back to
 * back settled at 100-300 us per call (issue 13; measured there).  Only
 * the core itself reaps its channel, with interrupts off, so a completion
 * cannot slip between "not done yet" and blocking.
 *
 * Spin budget: at most in->spin_cores cores of the instance spin that long
 * at once (az_boot.spin_cores: what the host's cpus allow); a core that
 * finds the budget taken spins OFFLOAD_SHORT_SPIN_NS, enough for a quick
 * answer, then halts.  Each spinning core is a busy vCPU thread on the
 * host; with more of them than host cpus they take the cpus the proxy needs
 * to answer them (18 threads of file calls on a 2-cpu host: 2-3x the
 * throughput with the budget, docs/bench.md).
 *
 * Doorbell batching: a thread that submits while other threads of its core
 * are ready publishes quietly, without the doorbell check, and the core owes
 * one.  An awake proxy takes the request at once (it polls the entries, not
 * the doorbell); a sleeping one gets one kick for the burst instead of one
 * per thread (a kick is an I/O port write: a VM exit under QEMU's big lock).
 * The owed doorbell is rung by the next thread that submits with nobody else
 * ready (its check covers every earlier entry), when the core has nothing
 * left to run, when the ring is full, or by the timer DOORBELL_DEFER_NS
 * after the first quiet submission, whichever is first.
 */
#include "arch/x86.h"
#include "inst/inst.h"
#include "node/clock.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "percpu.h"

#define REAP_BATCH            16
#define OFFLOAD_SPIN_NS       2000000ull
#define OFFLOAD_SHORT_SPIN_NS 20000ull
#define DOORBELL_DEFER_NS     200000ull

int offload_open(struct instance *in, struct inst_cpu *ic)
{
    int e = az_chan_open(&in->client, ic->index, &ic->chan);
    ic->chan_open = e == 0;
    return e;
}

void offload_reap(struct inst_cpu *ic)
{
    struct instance *in = this_cpu()->inst;
    struct az_completion done[REAP_BATCH];
    uint32_t n;
    do {
        n = az_reap(&ic->chan, done, REAP_BATCH);
        for (uint32_t i = 0; i < n; i++) {
            uint64_t slot = done[i].id >> 32;
            struct thread *t = slot < MAX_THREADS ? in->threads[slot] : 0;
            if (!t || t->off_id != done[i].id || t->off_done || t->home != ic->index) {
                kprintf("instance %lu: completion %lx names no waiting call (dropped)\n", in->id, done[i].id);
                continue;
            }
            t->off_result = done[i].result;
            __atomic_store_n(&t->off_done, 1, __ATOMIC_RELEASE);
            ic->poll_ns = 0; /* answers are coming: poll fast again */
            if (t->state == T_BLOCKED)
                sched_wake(t);
        }
    } while (n == REAP_BATCH);
}

void offload_ring_owed(struct inst_cpu *ic)
{
    if (ic->doorbell_owed) {
        ic->doorbell_owed = 0;
        az_doorbell(&ic->chan);
    }
}

uint64_t offload_ring_if_due(struct inst_cpu *ic)
{
    if (!ic->doorbell_owed)
        return 0; /* the common case: no clock read */
    uint64_t due = ic->owed_since + ns_to_tsc(DOORBELL_DEFER_NS);
    if (rdtsc() < due)
        return due;
    offload_ring_owed(ic);
    return 0;
}

/*
 * The uncommon submissions, out of the common path, so that a thread alone
 * on its core runs the path it ran before batching plus one load and one
 * store.  (Measured: the guest's round trip under TCG moves more with where
 * this code lies than with its length; docs/bench.md.)
 */

/* The ring is full: it drains only if the proxy is awake and we reap. */
static __attribute__((noinline)) void submit_when_full(struct inst_cpu *ic, const struct az_request *req, int quiet)
{
    for (uint32_t spins = 0; (quiet ? az_submit_quiet(&ic->chan, req) : az_submit(&ic->chan, req)) != 0; spins++) {
        offload_ring_owed(ic);
        offload_reap(ic);
        inst_relax(spins);
    }
}

/* Another thread will run next: publish without the doorbell check; the core owes one. */
static __attribute__((noinline)) void submit_quietly(struct inst_cpu *ic, const struct az_request *req)
{
    if (az_submit_quiet(&ic->chan, req) != 0)
        submit_when_full(ic, req, 1);
    if (!ic->doorbell_owed) {
        ic->doorbell_owed = 1;
        ic->owed_since = rdtsc();
    } else {
        offload_ring_if_due(ic);
    }
}

static inline void submit(struct inst_cpu *ic, const struct az_request *req)
{
    /* sched_others_ready(), read here directly. */
    if (__atomic_load_n(&ic->nready, __ATOMIC_RELAXED) != 0) {
        submit_quietly(ic, req);
        return;
    }
    if (az_submit(&ic->chan, req) != 0)
        submit_when_full(ic, req, 0);
    ic->doorbell_owed = 0; /* this submission's check covered the earlier ones */
}

#define SLOT_NONE    0
#define SLOT_COUNTED 1
#define SLOT_FREE    2 /* every core may spin: nothing to count */

/* Takes one of the instance's spin slots, if one is free (only when the budget is below its cores). */
static __attribute__((noinline)) int spin_slot_take(struct instance *in)
{
    uint32_t n = __atomic_load_n(&in->offload_spinners, __ATOMIC_RELAXED);
    while (n < in->spin_cores)
        if (__atomic_compare_exchange_n(&in->offload_spinners, &n, n + 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return SLOT_COUNTED;
    __atomic_fetch_add(&in->boot->short_spins, 1, __ATOMIC_RELAXED); /* the host shows it */
    return SLOT_NONE;
}

static inline void spin_slot_give(struct instance *in, int *slot)
{
    if (*slot == SLOT_COUNTED)
        __atomic_fetch_sub(&in->offload_spinners, 1, __ATOMIC_RELEASE);
    *slot = SLOT_NONE;
}

int64_t offload_call(struct instance *in, uint16_t op, const uint64_t *args)
{
    struct cpu *c = this_cpu();
    struct inst_cpu *ic = c->icpu;
    struct thread *t = c->cur;
    if (!ic->chan_open)
        return -ENOSYS;
    struct az_request req;
    req.id = ((uint64_t)t->slot << 32) | ++t->off_seq;
    req.opcode = op;
    memcpy(req.args, args, sizeof req.args);
    t->off_id = req.id;
    t->off_done = 0;
    submit(ic, &req);
    int slot = in->spin_cores >= in->ncpus ? SLOT_FREE : spin_slot_take(in);
    uint64_t spin_until = rdtsc() + ns_to_tsc(slot != SLOT_NONE ? OFFLOAD_SPIN_NS : OFFLOAD_SHORT_SPIN_NS);
    for (uint32_t spins = 0; !__atomic_load_n(&t->off_done, __ATOMIC_ACQUIRE); spins++) {
        offload_reap(ic);
        if (t->off_done)
            break;
        if (sched_others_ready() || ((spins & 63) == 63 && rdtsc() > spin_until)) {
            spin_slot_give(in, &slot);
            ic->noffload++;
            while (!__atomic_load_n(&t->off_done, __ATOMIC_ACQUIRE))
                sched_block();
            ic->noffload--;
            break;
        }
        inst_relax(spins);
    }
    spin_slot_give(in, &slot);
    return t->off_result;
}
