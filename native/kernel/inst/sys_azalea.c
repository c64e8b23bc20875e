/*
 * sys_azalea.c -- the Azalea calls beyond Linux's (AZ_SYS_* in abi.h,
 * wrapped for programs by azalea/azalea.h and libazalea.a): ticks, task
 * blocking and waking, rescheduling, semaphores (sem.c), msleep,
 * priorities, and the empty offload round trip.
 */
#include "arch/x86.h"
#include "inst/signal.h"
#include "inst/syscalls.h"
#include "lib/errno.h"
#include "node/clock.h"

#define NS_PER_TICK (1000000000ull / AZ_TICK_HZ)

static int64_t block_current_task(void)
{
    struct thread *t = current_thread();
    t->interruptible = 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    int64_t r = 0;
    for (;;) {
        if (__atomic_exchange_n(&t->permit, 0, __ATOMIC_ACQ_REL))
            break;
        if (signal_deliverable(t)) {
            r = -EINTR;
            break;
        }
        sched_block();
    }
    t->interruptible = 0;
    return r;
}

static int64_t wakeup_task(struct instance *in, uint64_t tid)
{
    struct thread *t = thread_by_tid(in, (uint32_t)tid);
    if (!t || (int64_t)tid <= 0)
        return -ESRCH;
    __atomic_store_n(&t->permit, 1, __ATOMIC_RELEASE);
    sched_wake(t);
    return 0;
}

static struct thread *task(struct instance *in, uint64_t tid)
{
    return tid == 0 ? current_thread() : (int64_t)tid < 0 ? 0 : thread_by_tid(in, (uint32_t)tid);
}

/* ms as a TSC deadline; 0 ms: `none` (0 "no limit", 1 "do not wait"). */
static uint64_t ms_deadline(uint64_t ms, uint64_t none)
{
    if (ms == 0)
        return none;
    uint64_t now = rdtsc(), d = now + ns_to_tsc(ms * 1000000ull);
    return d < now ? ~0ull : d;
}

int64_t sys_azalea(struct instance *in, uint64_t nr, const uint64_t *a)
{
    struct thread *t;
    switch (nr) {
    case AZ_SYS_OFFLOAD_NOP:
        return sys_offload_nop(in, a);
    case AZ_SYS_GET_TICKS:
        return (int64_t)(clock_monotonic_ns() / NS_PER_TICK);
    case AZ_SYS_BLOCK_CURRENT_TASK:
        return block_current_task();
    case AZ_SYS_WAKEUP_TASK:
        return wakeup_task(in, a[0]);
    case AZ_SYS_RESCHEDULE:
        sched_give_way(0);
        return 0;
    case AZ_SYS_YIELD:
        sched_give_way(1);
        return 0;
    case AZ_SYS_SEM_INIT:
        return sem_init(in, a[0], a[1]);
    case AZ_SYS_SEM_DESTROY:
        return sem_destroy(in, a[0]);
    case AZ_SYS_SEM_WAIT:
        return sem_wait(in, a[0], 0, 0);
    case AZ_SYS_SEM_POST:
        return sem_post(in, a[0]);
    case AZ_SYS_SEM_TIMEDWAIT:
        return sem_wait(in, a[0], ms_deadline((uint32_t)a[1], 1), 0);
    case AZ_SYS_SEM_CANCELABLEWAIT:
        return sem_wait(in, a[0], ms_deadline((uint32_t)a[1], 0), 1);
    case AZ_SYS_MSLEEP:
        return sched_sleep_until(ms_deadline((uint32_t)a[0], rdtsc()), 1);
    case AZ_SYS_GETPRIO:
        t = task(in, a[0]);
        return t ? t->prio : -ESRCH;
    case AZ_SYS_SETPRIO:
        t = task(in, a[0]);
        if (!t)
            return -ESRCH;
        if ((int64_t)a[1] < AZ_PRIO_LOW || (int64_t)a[1] > AZ_PRIO_MAX)
            return -EINVAL;
        sched_set_prio(t, (int)a[1]);
        return 0;
    default:
        return -ENOSYS;
    }
}
