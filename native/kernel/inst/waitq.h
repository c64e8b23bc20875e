/*
 * waitq.h -- the wait queues futexes and Azalea semaphores share: FIFO
 * lists of threads in hashed buckets of the instance, keyed by a user
 * address, each bucket under its own lock.  A futex waiter has a nonzero
 * bitset; a semaphore waiter has bitset 0, which no futex wake matches.
 */
#ifndef KERNEL_WAITQ_H
#define KERNEL_WAITQ_H

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

#endif
