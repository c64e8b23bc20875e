/*
 * sys_signal.c -- the signal system calls: dispositions, masks, pending
 * sets, waiting for a signal (pause, rt_sigsuspend, rt_sigtimedwait), the
 * alternate stack, kill/tkill/tgkill, and ITIMER_REAL/alarm.  Delivery and
 * rt_sigreturn are in signal.c.
 */
#include "arch/x86.h"
#include "inst/inst.h"
#include "inst/signal.h"
#include "inst/linux_sizes.h"
#include "inst/syscalls.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "node/clock.h"
#include "percpu.h"

#define SIG_BLOCK      0
#define SIG_UNBLOCK    1
#define SIG_SETMASK    2
#define SS_AUTODISARM  (1u << 31)
#define MINSIGSTKSZ    2048
#define ITIMER_REAL    0
#define EAGAIN_SIGWAIT 11

struct siginfo_k {
    int32_t signo, errnum, code, pad;
    int32_t pid;
    uint32_t uid;
    uint8_t rest[LINUX_SIGINFO_SIZE - 24];
};
_Static_assert(sizeof(struct siginfo_k) == LINUX_SIGINFO_SIZE, "siginfo");

/* ---- the system calls ---- */

int64_t sys_rt_sigaction(struct instance *in, const uint64_t *a)
{
    uint64_t sig = a[0];
    if (sig < 1 || sig > NSIG || a[3] != 8)
        return -EINVAL;
    struct k_sigaction next, old;
    if (a[1]) {
        if (sig == SIGKILL || sig == SIGSTOP)
            return -EINVAL;
        int r = copy_from_user(in, &next, a[1], sizeof next);
        if (r)
            return r;
        next.mask &= ~SIG_UNBLOCKABLE;
    }
    ilock(&in->sig_lock);
    old = in->sigact[sig - 1];
    if (a[1]) {
        in->sigact[sig - 1] = next;
        if (next.handler == SIG_IGN || (next.handler == SIG_DFL && signal_default_ignored((int)sig)))
            in->sigpending &= ~(1ull << (sig - 1)); /* POSIX: a pending ignored signal is dropped */
    }
    iunlock(&in->sig_lock);
    return a[2] ? copy_to_user(in, a[2], &old, sizeof old) : 0;
}

int64_t sys_rt_sigprocmask(struct instance *in, const uint64_t *a)
{
    if (a[3] != 8)
        return -EINVAL;
    struct thread *t = current_thread();
    uint64_t set = 0, old = t->sigmask;
    if (a[1]) {
        int r = copy_from_user(in, &set, a[1], sizeof set);
        if (r)
            return r;
        set &= ~SIG_UNBLOCKABLE;
        switch (a[0]) {
        case SIG_BLOCK:
            t->sigmask |= set;
            break;
        case SIG_UNBLOCK:
            t->sigmask &= ~set;
            break;
        case SIG_SETMASK:
            t->sigmask = set;
            break;
        default:
            return -EINVAL;
        }
    }
    return a[2] ? copy_to_user(in, a[2], &old, sizeof old) : 0;
}

int64_t sys_rt_sigpending(struct instance *in, const uint64_t *a)
{
    if (a[1] != 8)
        return -EINVAL;
    struct thread *t = current_thread();
    uint64_t p = (t->sigpending | in->sigpending) & t->sigmask;
    return copy_to_user(in, a[0], &p, sizeof p);
}

static int64_t wait_for_signal(struct thread *t)
{
    t->interruptible = 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    while (!signal_deliverable(t))
        sched_block();
    t->interruptible = 0;
    return -EINTR;
}

int64_t sys_pause(struct instance *in, const uint64_t *a)
{
    (void)in, (void)a;
    return wait_for_signal(current_thread());
}

int64_t sys_rt_sigsuspend(struct instance *in, const uint64_t *a)
{
    if (a[1] != 8)
        return -EINVAL;
    uint64_t m;
    int r = copy_from_user(in, &m, a[0], sizeof m);
    if (r)
        return r;
    struct thread *t = current_thread();
    t->saved_mask = t->sigmask;
    t->restore_mask = 1;
    t->sigmask = m & ~SIG_UNBLOCKABLE;
    return wait_for_signal(t);
}

int64_t sys_rt_sigtimedwait(struct instance *in, const uint64_t *a)
{
    if (a[3] != 8)
        return -EINVAL;
    uint64_t set;
    int r = copy_from_user(in, &set, a[0], sizeof set);
    if (r)
        return r;
    set &= ~SIG_UNBLOCKABLE;
    uint64_t deadline = 0;
    int poll = 0;
    if (a[2]) {
        r = timeout_to_tsc(in, a[2], 0, 0, &deadline);
        if (r)
            return r;
        poll = deadline <= rdtsc();
    }
    struct thread *t = current_thread();
    uint64_t mask = t->sigmask;
    t->sigmask &= ~set; /* waited-for signals must reach this thread */
    int64_t res = 0;
    for (;;) {
        ilock(&in->sig_lock);
        uint64_t ready = (t->sigpending | in->sigpending) & set;
        if (ready) {
            int sig = __builtin_ctzll(ready) + 1;
            uint64_t bit = 1ull << (sig - 1);
            if (t->sigpending & bit)
                t->sigpending &= ~bit;
            else
                in->sigpending &= ~bit;
            int code = in->sig_code[sig - 1];
            iunlock(&in->sig_lock);
            res = sig;
            if (a[1]) {
                struct siginfo_k info;
                memset(&info, 0, sizeof info);
                info.signo = sig;
                info.code = code;
                info.pid = 1;
                copy_to_user(in, a[1], &info, sizeof info);
            }
            break;
        }
        iunlock(&in->sig_lock);
        if (poll) {
            res = -EAGAIN_SIGWAIT;
            break;
        }
        if ((t->sigpending | in->sigpending) & ~t->sigmask & ~set) {
            res = -EINTR; /* another signal, one with a handler */
            break;
        }
        if (!deadline)
            wait_for_signal(t);
        else if (sched_sleep_until(deadline, 1) == 0)
            poll = 1; /* the deadline passed: one last look */
    }
    t->sigmask = mask;
    return res;
}

int64_t sys_sigaltstack(struct instance *in, const uint64_t *a)
{
    struct thread *t = current_thread();
    uint64_t sp = current_frame()->rsp;
    if (a[1]) {
        struct sigaltstack_k old = t->altstack;
        old.flags = signal_on_altstack(t, sp) ? SS_ONSTACK : t->altstack.size ? t->altstack.flags : SS_DISABLE;
        int r = copy_to_user(in, a[1], &old, sizeof old);
        if (r)
            return r;
    }
    if (a[0]) {
        struct sigaltstack_k ss;
        int r = copy_from_user(in, &ss, a[0], sizeof ss);
        if (r)
            return r;
        if (signal_on_altstack(t, sp))
            return -EPERM;
        uint32_t mode = ss.flags & ~SS_AUTODISARM;
        if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
            return -EINVAL;
        if (mode == SS_DISABLE) {
            memset(&t->altstack, 0, sizeof t->altstack);
            t->altstack.flags = SS_DISABLE;
        } else {
            if (ss.size < MINSIGSTKSZ)
                return -ENOMEM;
            t->altstack.sp = ss.sp;
            t->altstack.size = ss.size;
            t->altstack.flags = 0;
        }
    }
    return 0;
}

int64_t sys_kill(struct instance *in, const uint64_t *a)
{
    int64_t pid = (int64_t)a[0];
    if (pid != 1 && pid != 0 && pid != -1)
        return -ESRCH;
    return signal_send(in, 0, (int)a[1], SI_USER);
}

int64_t sys_tkill(struct instance *in, const uint64_t *a)
{
    struct thread *t = thread_by_tid(in, (uint32_t)a[0]);
    if (!t || (int64_t)a[0] <= 0)
        return -ESRCH;
    return signal_send(in, t, (int)a[1], SI_TKILL);
}

int64_t sys_tgkill(struct instance *in, const uint64_t *a)
{
    if (a[0] != 1)
        return -ESRCH;
    const uint64_t args[2] = {a[1], a[2]};
    return sys_tkill(in, args);
}

/* ---- ITIMER_REAL and alarm ---- */

struct itimerval_k {
    int64_t interval_sec, interval_usec, value_sec, value_usec;
};
_Static_assert(sizeof(struct itimerval_k) == LINUX_ITIMERVAL_SIZE, "itimerval");

static void itimer_fire(struct ktimer *k)
{
    struct instance *in = (struct instance *)((char *)k - __builtin_offsetof(struct instance, itimer));
    ilock(&in->sig_lock);
    if (in->itimer_interval && k->core == KTIMER_IDLE)
        timer_add(k, k->deadline + in->itimer_interval);
    iunlock(&in->sig_lock);
    signal_send_process(in, SIGALRM, SI_KERNEL);
}

static uint64_t usec_of(int64_t sec, int64_t usec)
{
    return (uint64_t)sec * 1000000ull + (uint64_t)usec;
}

/* Swaps the timer: new value and interval in microseconds (value 0: off); the old ones out. */
static void itimer_swap(struct instance *in, uint64_t value_us, uint64_t interval_us, uint64_t *old_value_us,
                        uint64_t *old_interval_us)
{
    uint64_t now = rdtsc();
    ilock(&in->sig_lock);
    int armed = timer_cancel(&in->itimer);
    *old_value_us = armed && in->itimer.deadline > now ? tsc_to_ns(in->itimer.deadline - now) / 1000 + 1 : 0;
    *old_interval_us = tsc_to_ns(in->itimer_interval) / 1000;
    in->itimer_interval = ns_to_tsc(interval_us * 1000);
    if (value_us) {
        in->itimer.fire = itimer_fire;
        timer_add(&in->itimer, now + ns_to_tsc(value_us * 1000));
    }
    iunlock(&in->sig_lock);
}

int64_t sys_setitimer(struct instance *in, const uint64_t *a)
{
    if (a[0] != ITIMER_REAL)
        return -EINVAL;
    struct itimerval_k nv = {0, 0, 0, 0};
    if (a[1]) {
        int r = copy_from_user(in, &nv, a[1], sizeof nv);
        if (r)
            return r;
        if (nv.interval_sec < 0 || nv.value_sec < 0 || nv.interval_usec < 0 || nv.value_usec < 0 ||
            nv.interval_usec >= 1000000 || nv.value_usec >= 1000000)
            return -EINVAL;
    }
    uint64_t ov, oi;
    itimer_swap(in, usec_of(nv.value_sec, nv.value_usec), usec_of(nv.interval_sec, nv.interval_usec), &ov, &oi);
    if (a[2]) {
        struct itimerval_k o = {(int64_t)(oi / 1000000), (int64_t)(oi % 1000000), (int64_t)(ov / 1000000),
                                (int64_t)(ov % 1000000)};
        return copy_to_user(in, a[2], &o, sizeof o);
    }
    return 0;
}

int64_t sys_getitimer(struct instance *in, const uint64_t *a)
{
    if (a[0] != ITIMER_REAL)
        return -EINVAL;
    uint64_t now = rdtsc(), left = 0;
    ilock(&in->sig_lock);
    if (in->itimer.core != KTIMER_IDLE && in->itimer.deadline > now)
        left = tsc_to_ns(in->itimer.deadline - now) / 1000 + 1;
    uint64_t iv = tsc_to_ns(in->itimer_interval) / 1000;
    iunlock(&in->sig_lock);
    struct itimerval_k o = {(int64_t)(iv / 1000000), (int64_t)(iv % 1000000), (int64_t)(left / 1000000),
                            (int64_t)(left % 1000000)};
    return copy_to_user(in, a[1], &o, sizeof o);
}

int64_t sys_alarm(struct instance *in, const uint64_t *a)
{
    uint64_t ov, oi;
    itimer_swap(in, (uint64_t)(uint32_t)a[0] * 1000000ull, 0, &ov, &oi);
    return (int64_t)((ov + 999999) / 1000000);
}
