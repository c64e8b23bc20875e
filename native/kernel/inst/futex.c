/*
 * futex.c -- FUTEX_WAIT/WAKE, REQUEUE/CMP_REQUEUE, WAKE_OP and the BITSET
 * variants, private or shared (one process: the same key), with relative
 * or absolute timeouts on CLOCK_MONOTONIC or CLOCK_REALTIME.
 *
 * Waiters hang in FIFO lists in FUTEX_BUCKETS hashed buckets (waitq.h),
 * keyed by the user address.  The value check and the enqueue happen under the
 * bucket lock, which every waker takes: a wake-up cannot slip between a
 * waiter's check and its sleep.  A waiter that returns re-takes the lock
 * of the bucket it is now in (REQUEUE may have moved it) and learns from
 * whether it is still queued if it was woken (0) or gave up (-ETIMEDOUT,
 * -EINTR).
 */
#include "arch/x86.h"
#include "inst/inst.h"
#include "inst/waitq.h"
#include "inst/signal.h"
#include "inst/syscalls.h"
#include "lib/errno.h"

#define FUTEX_WAIT           0
#define FUTEX_WAKE           1
#define FUTEX_REQUEUE        3
#define FUTEX_CMP_REQUEUE    4
#define FUTEX_WAKE_OP        5
#define FUTEX_WAIT_BITSET    9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK       (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define BITSET_ANY           0xFFFFFFFFu

static int check_addr(struct instance *in, uint64_t uaddr, uint32_t prot)
{
    if (uaddr & 3)
        return -EINVAL;
    return user_ok(in, uaddr, 4, prot);
}

/* Wakes up to n waiters on uaddr in b (locked) whose bitset meets `bitset`. */
static int wake_locked(struct futex_bucket *b, uint64_t uaddr, int n, uint32_t bitset)
{
    int woken = 0;
    for (struct thread *t = b->head, *next; t && woken < n; t = next) {
        next = t->fnext;
        if (t->fkey != uaddr || !(t->fbitset & bitset))
            continue;
        wq_del(b, t);
        sched_wake(t);
        woken++;
    }
    return woken;
}

/* deadline: TSC, 0 for none. */
static int64_t futex_wait(struct instance *in, uint64_t uaddr, uint32_t val, uint64_t deadline, uint32_t bitset)
{
    if (!bitset)
        return -EINVAL;
    int r = check_addr(in, uaddr, PROT_READ);
    if (r)
        return r;
    struct thread *t = current_thread();
    t->timed_out = 0;
    t->interruptible = 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* against signal senders: see signal.c */
    struct futex_bucket *b = wq_bucket(in, uaddr);
    ilock(&b->lock);
    uint32_t now;
    if (user_load32((const uint32_t *)uaddr, &now)) {
        iunlock(&b->lock);
        t->interruptible = 0;
        return -EFAULT;
    }
    if (now != val) {
        iunlock(&b->lock);
        t->interruptible = 0;
        return -EAGAIN;
    }
    t->fkey = uaddr;
    t->fbitset = bitset;
    wq_add(b, t);
    iunlock(&b->lock);

    wq_wait(t, deadline, signal_deliverable);
    t->interruptible = 0;

    /* Settle under the lock of the bucket we are in now. */
    for (;;) {
        b = wq_bucket(in, __atomic_load_n(&t->fkey, __ATOMIC_ACQUIRE));
        ilock(&b->lock);
        if (b == wq_bucket(in, t->fkey))
            break;
        iunlock(&b->lock);
    }
    int64_t res = 0;
    if (t->fqueued) {
        wq_del(b, t);
        res = wq_timed_out(t, deadline) ? -ETIMEDOUT : -EINTR;
    }
    iunlock(&b->lock);
    return res;
}

int64_t futex_wake(struct instance *in, uint64_t uaddr, uint32_t n, uint32_t bitset)
{
    if (!bitset)
        return -EINVAL;
    if (uaddr & 3)
        return -EINVAL;
    (void)in;
    int max = (int)n <= 0 ? 1 : (int)n; /* Linux wakes one even when asked for 0 */
    struct futex_bucket *b = wq_bucket(in, uaddr);
    ilock(&b->lock);
    int woken = wake_locked(b, uaddr, max, bitset);
    iunlock(&b->lock);
    return woken;
}

static int64_t futex_requeue(struct instance *in, uint64_t uaddr, int nr_wake, int nr_requeue, uint64_t uaddr2, int cmp,
                             uint32_t val3)
{
    if (nr_wake < 0 || nr_requeue < 0)
        return -EINVAL;
    int r = check_addr(in, uaddr, PROT_READ);
    if (r == 0)
        r = check_addr(in, uaddr2, PROT_READ);
    if (r)
        return r;
    struct futex_bucket *b1 = wq_bucket(in, uaddr), *b2 = wq_bucket(in, uaddr2);
    wq_lock2(b1, b2);
    if (cmp) {
        uint32_t now;
        if (user_load32((const uint32_t *)uaddr, &now)) {
            wq_unlock2(b1, b2);
            return -EFAULT;
        }
        if (now != val3) {
            wq_unlock2(b1, b2);
            return -EAGAIN;
        }
    }
    int woken = 0, moved = 0;
    for (struct thread *t = b1->head, *next; t; t = next) {
        next = t->fnext;
        if (t->fkey != uaddr || !t->fbitset)
            continue; /* not a futex waiter: a semaphore's (waitq.h) */
        if (woken < nr_wake) {
            wq_del(b1, t);
            sched_wake(t);
            woken++;
        } else if (moved < nr_requeue) {
            wq_del(b1, t);
            __atomic_store_n(&t->fkey, uaddr2, __ATOMIC_RELEASE);
            wq_add(b2, t);
            moved++;
        } else {
            break;
        }
    }
    wq_unlock2(b1, b2);
    return woken + moved;
}

static int sign12(uint32_t v)
{
    return (int)(v << 20) >> 20;
}

static int64_t futex_wake_op(struct instance *in, uint64_t uaddr, int nr_wake, int nr_wake2, uint64_t uaddr2,
                             uint32_t encoded)
{
    uint32_t op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
    int oparg = sign12((encoded >> 12) & 0xFFF), cmparg = sign12(encoded & 0xFFF);
    if (encoded & (8u << 28))
        oparg = 1 << (oparg & 31);
    if (op > 4 || cmp > 5)
        return -ENOSYS;
    if (uaddr & 3)
        return -EINVAL;
    int r = check_addr(in, uaddr2, PROT_READ | PROT_WRITE);
    if (r)
        return r;
    struct futex_bucket *b1 = wq_bucket(in, uaddr), *b2 = wq_bucket(in, uaddr2);
    wq_lock2(b1, b2);
    uint32_t old, seen;
    if (user_load32((const uint32_t *)uaddr2, &old)) {
        wq_unlock2(b1, b2);
        return -EFAULT;
    }
    for (;;) {
        uint32_t next = op == 0   ? (uint32_t)oparg
                        : op == 1 ? old + (uint32_t)oparg
                        : op == 2 ? old | (uint32_t)oparg
                        : op == 3 ? old & ~(uint32_t)oparg
                                  : old ^ (uint32_t)oparg;
        if (user_cmpxchg32((uint32_t *)uaddr2, old, next, &seen)) {
            wq_unlock2(b1, b2);
            return -EFAULT;
        }
        if (seen == old)
            break;
        old = seen;
    }
    int o = (int)old;
    int hit = cmp == 0   ? o == cmparg
              : cmp == 1 ? o != cmparg
              : cmp == 2 ? o < cmparg
              : cmp == 3 ? o <= cmparg
              : cmp == 4 ? o > cmparg
                         : o >= cmparg;
    int woken = wake_locked(b1, uaddr, nr_wake <= 0 ? 1 : nr_wake, BITSET_ANY);
    if (hit)
        woken += wake_locked(b2, uaddr2, nr_wake2 <= 0 ? 1 : nr_wake2, BITSET_ANY);
    wq_unlock2(b1, b2);
    return woken;
}

int64_t sys_futex(struct instance *in, const uint64_t *a)
{
    uint64_t uaddr = a[0];
    uint32_t op = (uint32_t)a[1], cmd = op & FUTEX_CMD_MASK;
    uint32_t val = (uint32_t)a[2];
    int realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
    uint64_t deadline = 0;
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
        if (a[3]) {
            /* WAIT: relative; WAIT_BITSET: absolute on the chosen clock. */
            int r = timeout_to_tsc(in, a[3], cmd == FUTEX_WAIT_BITSET, realtime, &deadline);
            if (r)
                return r;
        }
        return futex_wait(in, uaddr, val, deadline, cmd == FUTEX_WAIT ? BITSET_ANY : (uint32_t)a[5]);
    case FUTEX_WAKE:
        return futex_wake(in, uaddr, val, BITSET_ANY);
    case FUTEX_WAKE_BITSET:
        return futex_wake(in, uaddr, val, (uint32_t)a[5]);
    case FUTEX_REQUEUE:
        return futex_requeue(in, uaddr, (int)val, (int)a[3], a[4], 0, 0);
    case FUTEX_CMP_REQUEUE:
        return futex_requeue(in, uaddr, (int)val, (int)a[3], a[4], 1, (uint32_t)a[5]);
    case FUTEX_WAKE_OP:
        return futex_wake_op(in, uaddr, (int)val, (int)a[3], a[4], (uint32_t)a[5]);
    default:
        return -ENOSYS; /* the PI operations */
    }
}
