/*
 * waitq.h -- the wait queues futexes and Azalea semaphores share: FIFO
 * lists of threads in hashed buckets of the instance, keyed by a user
 * address, each bucket under its own lock.  A futex waiter has a nonzero
 * bitset; a semaphore waiter has bitset 0, which no futex wake matches.
 */
#ifndef KERNEL_WAITQ_H
#define KERNEL_WAITQ_H

#include "arch/x86.h"
#include "inst/inst.h"

static inline struct futex_bucket *wq_bucket(struct instance *in, uint64_t uaddr)
{
    uint64_t h = (uaddr >> 2) * 0x9E3779B97F4A7C15ull;
    return &in->futex[h >> 56 & (FUTEX_BUCKETS - 1)];
}

/* FIFO: appended at the tail (the list is short; walking it is fine). */
static inline void wq_add(struct futex_bucket *b, struct thread *t)
{
    struct thread **p = &b->head, *prev = 0;
    while (*p) {
        prev = *p;
        p = &(*p)->fnext;
    }
    t->fnext = 0;
    t->fprev = prev;
    *p = t;
    t->fqueued = 1;
}

static inline void wq_del(struct futex_bucket *b, struct thread *t)
{
    if (t->fprev)
        t->fprev->fnext = t->fnext;
    else
        b->head = t->fnext;
    if (t->fnext)
        t->fnext->fprev = t->fprev;
    t->fnext = t->fprev = 0;
    __atomic_store_n(&t->fqueued, 0, __ATOMIC_RELEASE);
}

static inline void wq_lock2(struct futex_bucket *a, struct futex_bucket *b)
{
    if (a == b) {
        ilock(&a->lock);
    } else if (a < b) {
        ilock(&a->lock);
        ilock(&b->lock);
    } else {
        ilock(&b->lock);
        ilock(&a->lock);
    }
}

static inline void wq_unlock2(struct futex_bucket *a, struct futex_bucket *b)
{
    iunlock(&a->lock);
    if (a != b)
        iunlock(&b->lock);
}

/*
 * The current thread t, queued (wq_add) with t->timed_out cleared, sleeps
 * until a waker takes it off the queue, the deadline passes (TSC; 0 for
 * none), or stop(t) (if given) says to give up.  It may still be queued on
 * return: the caller settles under its bucket lock, and there asks
 * wq_timed_out whether the deadline is why.
 */
static inline void wq_wait(struct thread *t, uint64_t deadline, int (*stop)(struct thread *))
{
    if (deadline) {
        t->timer.fire = sched_timer_wake;
        timer_add(&t->timer, deadline);
    }
    while (__atomic_load_n(&t->fqueued, __ATOMIC_ACQUIRE) && !t->timed_out) {
        if (stop && stop(t))
            break;
        if (deadline && rdtsc() >= deadline)
            break;
        sched_block();
    }
    if (deadline)
        timer_cancel(&t->timer);
}

/* Whether a wait that ended with t still queued ended by its deadline
 * (-ETIMEDOUT) rather than by stop (-EINTR). */
static inline int wq_timed_out(struct thread *t, uint64_t deadline)
{
    return t->timed_out || (deadline && rdtsc() >= deadline);
}

#endif
