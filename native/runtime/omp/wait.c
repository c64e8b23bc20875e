/* wait.c -- spin-then-sleep waiting, barriers and a small futex lock. */
#include <limits.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gomp.h"

#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

void gomp_futex_wait(atomic_int *addr, int val)
{
    syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, 0, 0, 0);
}

void gomp_futex_wake(atomic_int *addr, int n)
{
    syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, n, 0, 0, 0);
}

static inline void cpu_relax(void)
{
    __builtin_ia32_pause();
}

void gomp_wait_change(atomic_int *addr, int old, atomic_int *sleepers)
{
    for (unsigned i = 0; i < gomp_icv.spin; i++) {
        if (atomic_load_explicit(addr, memory_order_acquire) != old)
            return;
        cpu_relax();
    }
    /* Counted first: a waker that changes *addr and then finds no
     * sleeper is one whose change the futex wait below will see. */
    atomic_fetch_add(sleepers, 1);
    while (atomic_load(addr) == old)
        gomp_futex_wait(addr, old);
    atomic_fetch_sub(sleepers, 1);
}

/* Not gen nor sleepers: a thread of the team's last region may still be
 * on its way out of the last barrier, reading gen and counting itself out
 * of sleepers; both stay right across regions (static storage, zeroed). */
void gomp_barrier_init(struct barrier *b, unsigned n)
{
    atomic_store(&b->arrived, 0);
    b->n = n;
}

void gomp_barrier_wait(struct barrier *b)
{
    if (b->n <= 1)
        return;
    int gen = atomic_load_explicit(&b->gen, memory_order_acquire);
    if (atomic_fetch_add(&b->arrived, 1) + 1 == b->n) {
        /* Last in: reset before opening, so early leavers count afresh. */
        atomic_store(&b->arrived, 0);
        atomic_store(&b->gen, gen + 1);
        if (atomic_load(&b->sleepers))
            gomp_futex_wake(&b->gen, INT_MAX);
        return;
    }
    gomp_wait_change(&b->gen, gen, &b->sleepers);
}

/* 0 free, 1 locked, 2 locked with sleepers (Drepper's mutex). */
void gomp_lock(atomic_int *l)
{
    int c = 0;
    if (atomic_compare_exchange_strong(l, &c, 1))
        return;
    for (unsigned i = 0; i < gomp_icv.spin / 8; i++) {
        c = 0;
        if (atomic_load_explicit(l, memory_order_relaxed) == 0 && atomic_compare_exchange_strong(l, &c, 1))
            return;
        cpu_relax();
    }
    if (c != 2)
        c = atomic_exchange(l, 2);
    while (c != 0) {
        gomp_futex_wait(l, 2);
        c = atomic_exchange(l, 2);
    }
}

void gomp_unlock(atomic_int *l)
{
    if (atomic_exchange(l, 0) == 2)
        gomp_futex_wake(l, 1);
}
