/*
 * sched.c -- per-core run queues, blocking and waking, time slices and
 * timers (sched.h).  Locking: a core's inst_cpu.lock guards its run queue,
 * its timer list and the state field of the threads homed there.  Only
 * the core itself dequeues; wakers on other cores enqueue and kick it.
 */
#include "inst/sched.h"

#include "arch/fpu.h"
#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "inst/inst.h"
#include "inst/signal.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "node/clock.h"
#include "percpu.h"

#define SPIN_BELOW_NS 50000ull  /* sleeps shorter than this spin */
#define IDLE_POLL_NS  100000ull /* an idle core polls its queue this long before it halts */
#define KICK_SOON_NS  20000ull  /* a switch wanted where it cannot happen: try again this soon */

void switch_stacks(uint64_t *save_ksp, uint64_t next_ksp);

struct thread *current_thread(void)
{
    return this_cpu()->cur;
}

/* Behind every thread of the same or higher priority: round robin within a level. */
static void rq_insert(struct inst_cpu *ic, struct thread *t)
{
    struct thread **p = &ic->rq_head;
    while (*p && (*p)->prio >= t->prio)
        p = &(*p)->rq_next;
    t->rq_next = *p;
    *p = t;
    ic->nready++;
}

static struct thread *rq_pop(struct inst_cpu *ic)
{
    struct thread *t = ic->rq_head;
    if (t) {
        ic->rq_head = t->rq_next;
        t->rq_next = 0;
        ic->nready--;
    }
    return t;
}

/* Arms the local APIC timer for `deadline` (TSC), or stops it (0). */
static void program_timer(struct inst_cpu *ic, uint64_t deadline)
{
    if (deadline == 0) {
        if (ic->armed)
            lapic_timer_stop();
        ic->armed = 0;
        return;
    }
    uint64_t now = rdtsc();
    uint64_t ticks = deadline > now ? ns_to_lapic(tsc_to_ns(deadline - now)) : 1;
    if (ticks == 0)
        ticks = 1;
    lapic_timer_oneshot(VEC_TIMER, ticks > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)ticks);
    ic->armed = deadline;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
    return a == 0 ? b : b == 0 ? a : a < b ? a : b;
}

/* What the timer must wake us for while a thread runs here. */
static void rearm(struct inst_cpu *ic)
{
    uint64_t d = ic->timers ? ic->timers->deadline : 0;
    if (ic->nready)
        d = earliest(d, ic->slice_end);
    if (ic->noffload)
        d = earliest(d, rdtsc() + ns_to_tsc(OFFLOAD_POLL_NS));
    d = earliest(d, offload_ring_if_due(ic));
    program_timer(ic, d);
    ic->resched &= ~2u; /* bit 1: "re-arm before returning to the program" */
}

static void want_rearm(struct inst_cpu *ic)
{
    ic->resched |= 2u;
}

/* Runs the expired timers of this core; their callbacks run unlocked. */
static void timers_run(struct inst_cpu *ic)
{
    if (!ic->timers || ic->timers->deadline > rdtsc())
        return;
    struct ktimer *fired = 0, **tail = &fired;
    uint64_t now = rdtsc();
    ilock(&ic->lock);
    while (ic->timers && ic->timers->deadline <= now) {
        struct ktimer *k = ic->timers;
        ic->timers = k->next;
        k->core = KTIMER_IDLE;
        k->next = 0;
        *tail = k;
        tail = &k->next;
    }
    iunlock(&ic->lock);
    while (fired) {
        struct ktimer *k = fired;
        fired = k->next;
        k->next = 0;
        k->fire(k);
    }
    want_rearm(ic);
}

void timer_add(struct ktimer *k, uint64_t deadline)
{
    struct inst_cpu *ic = this_cpu()->icpu;
    ilock(&ic->lock);
    k->deadline = deadline;
    struct ktimer **p = &ic->timers;
    while (*p && (*p)->deadline <= deadline)
        p = &(*p)->next;
    k->next = *p;
    *p = k;
    k->core = ic->index;
    iunlock(&ic->lock);
    want_rearm(ic);
}

int timer_cancel(struct ktimer *k)
{
    uint32_t core = __atomic_load_n(&k->core, __ATOMIC_ACQUIRE);
    if (core == KTIMER_IDLE)
        return 0;
    struct instance *in = this_cpu()->inst;
    struct inst_cpu *ic = &in->icpu[core];
    int found = 0;
    ilock(&ic->lock);
    if (k->core == core) {
        for (struct ktimer **p = &ic->timers; *p; p = &(*p)->next)
            if (*p == k) {
                *p = k->next;
                found = 1;
                break;
            }
        k->core = KTIMER_IDLE;
        k->next = 0;
    }
    iunlock(&ic->lock);
    return found;
}

/* FPU registers follow the running thread lazily: saved only when another
 * thread needs them (the idle loop never does). */
static void fpu_switch(struct inst_cpu *ic, struct thread *next)
{
    if (ic->fpu_owner == next)
        return;
    if (ic->fpu_owner)
        fpu_save(ic->fpu_owner->fpu);
    fpu_restore(next->fpu);
    ic->fpu_owner = next;
}

/* Everything but the stacks, for `next` about to run here. */
static void switch_in(struct cpu *c, struct inst_cpu *ic, struct thread *next)
{
    c->kstack_top = next->kstack_top;
    wrmsr(MSR_FS_BASE, next->fs_base);
    fpu_switch(ic, next);
    tlb_poll(ic);
    next->run_start = rdtsc();
    ic->slice_end = next->run_start + ns_to_tsc(SLICE_NS);
    want_rearm(ic);
}

/* With ic->lock held and prev's state set: runs the next ready thread or
 * the idle loop; returns when prev runs again (never if it is dead). */
static void switch_away(struct cpu *c, struct inst_cpu *ic, struct thread *prev)
{
    struct thread *next = rq_pop(ic);
    if (next)
        next->state = T_RUNNING;
    ic->cur = next;
    c->cur = next;
    iunlock(&ic->lock);
    prev->run_tsc += rdtsc() - prev->run_start;
    if (next) {
        switch_in(c, ic, next);
        switch_stacks(&prev->ksp, next->ksp);
    } else {
        c->kstack_top = c->park_stack_top;
        switch_stacks(&prev->ksp, ic->idle_ksp);
    }
    sched_tail();
}

void sched_tail(void)
{
    struct inst_cpu *ic = this_cpu()->icpu;
    struct thread *dead = ic->dead;
    if (dead && dead != ic->cur) {
        ic->dead = 0;
        thread_free(dead);
    }
}

void sched_block(void)
{
    struct cpu *c = this_cpu();
    struct inst_cpu *ic = c->icpu;
    struct thread *t = c->cur;
    ilock(&ic->lock);
    if (t->woken) {
        t->woken = 0;
        iunlock(&ic->lock);
        return;
    }
    t->state = T_BLOCKED;
    switch_away(c, ic, t);
}

static void kick(struct inst_cpu *ic, int was_empty)
{
    struct cpu *c = this_cpu();
    if (ic == c->icpu) {
        want_rearm(ic);
        return;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    /* An idle core halts until told; a busy one must arm its slice timer. */
    if (__atomic_load_n(&ic->idle, __ATOMIC_RELAXED) || was_empty)
        lapic_send_ipi(cpus[ic->cpu]->apic_id, VEC_RESCHED);
}

void sched_wake(struct thread *t)
{
    struct inst_cpu *ic = &t->in->icpu[t->home];
    int queued = 0, was_empty = 0;
    ilock(&ic->lock);
    if (t->state == T_BLOCKED) {
        was_empty = ic->nready == 0;
        t->state = T_READY;
        rq_insert(ic, t);
        queued = 1;
    } else if (t->state != T_DEAD) {
        t->woken = 1;
    }
    iunlock(&ic->lock);
    if (queued)
        kick(ic, was_empty);
}

void sched_start_thread(struct thread *t)
{
    struct inst_cpu *ic = &t->in->icpu[t->home];
    ilock(&ic->lock);
    int was_empty = ic->nready == 0;
    ic->nhomed++;
    t->state = T_READY;
    rq_insert(ic, t);
    iunlock(&ic->lock);
    kick(ic, was_empty);
}

void sched_yield(void)
{
    sched_give_way(1);
}

void sched_give_way(int to_equal)
{
    struct cpu *c = this_cpu();
    struct inst_cpu *ic = c->icpu;
    struct thread *t = c->cur;
    ilock(&ic->lock);
    ic->resched &= ~1u;
    if (!ic->rq_head || ic->rq_head->prio < t->prio + !to_equal) {
        iunlock(&ic->lock);
        return;
    }
    t->state = T_READY;
    rq_insert(ic, t);
    switch_away(c, ic, t);
}

void sched_exit(void)
{
    struct cpu *c = this_cpu();
    struct inst_cpu *ic = c->icpu;
    struct thread *t = c->cur;
    ilock(&ic->lock);
    t->state = T_DEAD;
    ic->nhomed--;
    ic->dead = t;
    if (ic->fpu_owner == t)
        ic->fpu_owner = 0;
    switch_away(c, ic, t);
    __builtin_unreachable();
}

static void rq_remove(struct inst_cpu *ic, struct thread *t)
{
    for (struct thread **p = &ic->rq_head; *p; p = &(*p)->rq_next)
        if (*p == t) {
            *p = t->rq_next;
            t->rq_next = 0;
            ic->nready--;
            return;
        }
}

void sched_set_prio(struct thread *t, int prio)
{
    struct inst_cpu *ic = &t->in->icpu[t->home];
    ilock(&ic->lock);
    if (t->state == T_READY) {
        rq_remove(ic, t);
        t->prio = prio;
        rq_insert(ic, t);
    } else {
        t->prio = prio;
    }
    struct thread *run = ic->cur;
    int preempt = run && ic->rq_head && ic->rq_head->prio > run->prio;
    iunlock(&ic->lock);
    if (!preempt)
        return;
    if (ic == this_cpu()->icpu)
        ic->resched |= 1u; /* at the way back to the program */
    else
        lapic_send_ipi(cpus[ic->cpu]->apic_id, VEC_RESCHED);
}

int sched_others_ready(void)
{
    struct inst_cpu *ic = this_cpu()->icpu;
    return __atomic_load_n(&ic->nready, __ATOMIC_RELAXED) != 0;
}

uint32_t sched_place(struct instance *in)
{
    /* Ties go round robin from the core after the last one chosen. */
    uint32_t n = in->ncpus, best = 0, best_load = ~0u;
    uint32_t start = __atomic_load_n(&in->next_core, __ATOMIC_RELAXED) % n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = (start + i) % n;
        struct inst_cpu *ic = &in->icpu[k];
        if (__atomic_load_n(&ic->join_state, __ATOMIC_ACQUIRE) != JOIN_JOINED)
            continue;
        uint32_t load = __atomic_load_n(&ic->nhomed, __ATOMIC_RELAXED);
        if (load < best_load) {
            best = k;
            best_load = load;
        }
    }
    __atomic_store_n(&in->next_core, best + 1, __ATOMIC_RELAXED);
    return best;
}

void sched_timer_wake(struct ktimer *k)
{
    struct thread *t = (struct thread *)((char *)k - __builtin_offsetof(struct thread, timer));
    __atomic_store_n(&t->timed_out, 1, __ATOMIC_RELEASE);
    sched_wake(t);
}

int sched_sleep_until(uint64_t deadline, int interruptible)
{
    struct thread *t = current_thread();
    t->timer.fire = sched_timer_wake;
    int r = 0;
    for (uint32_t spins = 0;; spins++) {
        uint64_t now = rdtsc();
        if (now >= deadline)
            break;
        if (interruptible && signal_deliverable(t)) {
            r = -EINTR;
            break;
        }
        if (tsc_to_ns(deadline - now) < SPIN_BELOW_NS && !sched_others_ready()) {
            inst_relax(spins);
            continue;
        }
        t->interruptible = interruptible;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (interruptible && signal_deliverable(t)) {
            t->interruptible = 0;
            r = -EINTR;
            break;
        }
        t->timed_out = 0;
        timer_add(&t->timer, deadline);
        sched_block();
        timer_cancel(&t->timer);
        t->interruptible = 0;
    }
    return r;
}

void sched_return_to_user(void)
{
    struct inst_cpu *ic = this_cpu()->icpu;
    if (ic->resched & 1u)
        sched_yield();
    if (ic->resched & 2u)
        rearm(ic);
}

int sched_interrupt(int in_program)
{
    struct cpu *c = this_cpu();
    struct inst_cpu *ic = c->icpu;
    ic->armed = 0; /* a one-shot that fired, or an IPI: recompute either way */
    offload_ring_if_due(ic);
    if (ic->noffload)
        offload_reap(ic);
    timers_run(ic);
    struct thread *t = c->cur;
    if (!t)
        return 0; /* the idle loop looks at its queue when hlt returns */
    if (ic->rq_head && (rdtsc() >= ic->slice_end || ic->rq_head->prio > t->prio))
        ic->resched |= 1u;
    if ((ic->resched & 1u) && !in_program) {
        /* Between popf and the jump back to the program: come back soon. */
        program_timer(ic, rdtsc() + ns_to_tsc(KICK_SOON_NS));
        return 0;
    }
    if (!(ic->resched & 1u))
        rearm(ic);
    return (ic->resched & 1u) != 0;
}

/*
 * The idle loop.  A core that just ran out of work polls its run queue (and
 * its channel, for threads waiting on the host) for IDLE_POLL_NS before it
 * halts, like KVM's haltpoll: a thread woken soon after, the common case
 * in a ping-pong or a barrier, then starts without an IPI, and waking a
 * halted vCPU costs tens of microseconds under TCG.  Halted, it waits for
 * an IPI (wakers see `idle`) or its timer (deadlines, channel polling).
 */
__attribute__((noreturn)) void sched_idle_loop(void)
{
    struct cpu *c = this_cpu();
    struct inst_cpu *ic = c->icpu;
    c->cur = 0;
    c->kstack_top = c->park_stack_top;
    uint64_t idle_since = rdtsc(), poll = ns_to_tsc(IDLE_POLL_NS);
    for (;;) {
        inst_relax_idle();
        if (!__atomic_load_n(&ic->rq_head, __ATOMIC_RELAXED))
            offload_ring_owed(ic); /* no thread left to run here that could ring it */
        if (ic->noffload)
            offload_reap(ic);
        timers_run(ic);
        uint64_t now = rdtsc();
        int polling = now - idle_since < poll;
        if (polling && !__atomic_load_n(&ic->rq_head, __ATOMIC_RELAXED)) {
            pause();
            continue;
        }
        ilock(&ic->lock);
        struct thread *next = rq_pop(ic);
        if (next) {
            next->state = T_RUNNING;
            ic->cur = next;
            c->cur = next;
            iunlock(&ic->lock);
            switch_in(c, ic, next);
            switch_stacks(&ic->idle_ksp, next->ksp);
            c->cur = 0;
            c->kstack_top = c->park_stack_top;
            sched_tail();
            idle_since = rdtsc();
            continue;
        }
        ic->idle = 1;
        iunlock(&ic->lock);
        uint64_t d = ic->timers ? ic->timers->deadline : 0;
        if (ic->noffload) {
            /* Polls the channel ever more slowly while the host is silent
             * (a blocking accept may wait for hours); offload_reap resets it. */
            ic->poll_ns = ic->poll_ns ? ic->poll_ns * 2 : OFFLOAD_IDLE_POLL_MIN_NS;
            if (ic->poll_ns > OFFLOAD_IDLE_POLL_MAX_NS)
                ic->poll_ns = OFFLOAD_IDLE_POLL_MAX_NS;
            d = earliest(d, rdtsc() + ns_to_tsc(ic->poll_ns));
        }
        program_timer(ic, d);
        sti_hlt();
        cli();
        ic->idle = 0;
        idle_since = rdtsc(); /* woken: poll again for a while */
    }
}
