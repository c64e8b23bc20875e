/*
 * sem.c -- the Azalea API's counting semaphores (azalea/azalea.h).  The
 * count lives in the program's az_sem_t, the waiters in the wait queues
 * futexes use (waitq.h), with bitset 0 so that no futex operation touches
 * them.  The count changes only here, under the bucket lock; a post with
 * waiters hands its unit straight to the longest waiter.
 */
#include "arch/x86.h"
#include "inst/inst.h"
#include "inst/signal.h"
#include "inst/waitq.h"
#include "lib/errno.h"

#define COUNT_MAX 0x7FFFFFFFu

struct sem_k {
    uint32_t count, magic;
};

/* The semaphore's address checked (8 bytes, aligned, writable) and, if
 * `live`, initialised: 0 or -errno. */
static int check(struct instance *in, uint64_t s, int live)
{
    if (s & 3)
        return -EINVAL;
    int r = user_ok(in, s, sizeof(struct sem_k), PROT_READ | PROT_WRITE);
    if (r || !live)
        return r;
    uint32_t magic;
    if (user_load32((const uint32_t *)(s + 4), &magic))
        return -EFAULT;
    return magic == AZ_SEM_MAGIC ? 0 : -EINVAL;
}

static int has_waiters(struct futex_bucket *b, uint64_t s)
{
    for (struct thread *t = b->head; t; t = t->fnext)
        if (t->fkey == s && !t->fbitset)
            return 1;
    return 0;
}

int64_t sem_init(struct instance *in, uint64_t s, uint64_t count)
{
    int r = check(in, s, 0);
    if (r)
        return r;
    if (count > COUNT_MAX)
        return -EINVAL;
    struct futex_bucket *b = wq_bucket(in, s);
    ilock(&b->lock);
    if (has_waiters(b, s))
        r = -EBUSY;
    else if (user_store32((uint32_t *)s, (uint32_t)count) || user_store32((uint32_t *)(s + 4), AZ_SEM_MAGIC))
        r = -EFAULT;
    iunlock(&b->lock);
    return r;
}

int64_t sem_destroy(struct instance *in, uint64_t s)
{
    int r = check(in, s, 1);
    if (r)
        return r;
    struct futex_bucket *b = wq_bucket(in, s);
    ilock(&b->lock);
    if (has_waiters(b, s))
        r = -EBUSY;
    else if (user_store32((uint32_t *)(s + 4), 0))
        r = -EFAULT;
    iunlock(&b->lock);
    return r;
}

int64_t sem_post(struct instance *in, uint64_t s)
{
    int r = check(in, s, 1);
    if (r)
        return r;
    struct futex_bucket *b = wq_bucket(in, s);
    ilock(&b->lock);
    for (struct thread *t = b->head; t; t = t->fnext)
        if (t->fkey == s && !t->fbitset) {
            wq_del(b, t); /* the unit goes to t: not queued any more means "got it" */
            sched_wake(t);
            iunlock(&b->lock);
            return 0;
        }
    uint32_t count;
    if (user_load32((const uint32_t *)s, &count))
        r = -EFAULT;
    else if (count >= COUNT_MAX)
        r = -EOVERFLOW;
    else if (user_store32((uint32_t *)s, count + 1))
        r = -EFAULT;
    iunlock(&b->lock);
    return r;
}

/* A cancelable wait ends on a signal or a wakeup_task. */
static int cancelled(struct thread *t)
{
    return signal_deliverable(t) || __atomic_load_n(&t->permit, __ATOMIC_ACQUIRE);
}

/* deadline: TSC, 0 none, 1 "do not wait".  cancelable: a signal or a
 * wakeup_task ends the wait with -EINTR. */
int64_t sem_wait(struct instance *in, uint64_t s, uint64_t deadline, int cancelable)
{
    int r = check(in, s, 1);
    if (r)
        return r;
    struct thread *t = current_thread();
    t->timed_out = 0;
    t->interruptible = cancelable;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    struct futex_bucket *b = wq_bucket(in, s);
    ilock(&b->lock);
    uint32_t count;
    if (user_load32((const uint32_t *)s, &count)) {
        r = -EFAULT;
    } else if (count > 0) {
        r = user_store32((uint32_t *)s, count - 1) ? -EFAULT : 0;
    } else if (deadline == 1) {
        r = -ETIMEDOUT;
    } else {
        t->fkey = s;
        t->fbitset = 0;
        wq_add(b, t);
        r = 1; /* wait */
    }
    iunlock(&b->lock);
    if (r <= 0) {
        t->interruptible = 0;
        return r;
    }
    wq_wait(t, deadline, cancelable ? cancelled : 0);
    t->interruptible = 0;
    ilock(&b->lock);
    r = 0;
    if (t->fqueued) {
        wq_del(b, t);
        if (wq_timed_out(t, deadline)) {
            r = -ETIMEDOUT;
        } else {
            r = -EINTR;
            __atomic_store_n(&t->permit, 0, __ATOMIC_RELEASE); /* the wake-up that cancelled us is used */
        }
    }
    iunlock(&b->lock);
    return r;
}
