/*
 * sync.c -- critical, atomic, the omp_*_lock functions, and tasks.
 *
 * Locks are futex words in the program's own memory: omp_lock_t (4 bytes
 * in GCC's omp.h), omp_nest_lock_t (16: the word, a count, the owner) and
 * the pointer-sized variable GCC gives each named critical section.
 *
 * Tasks run at once, on the thread that creates them (an undeferred task
 * is a valid execution of any task); taskwait and taskgroup have nothing
 * left to wait for.
 */
#include <stdlib.h>
#include <string.h>

#include "gomp.h"

static atomic_int critical_lock, atomic_lock;

void GOMP_critical_start(void)
{
    gomp_lock(&critical_lock);
}

void GOMP_critical_end(void)
{
    gomp_unlock(&critical_lock);
}

void GOMP_critical_name_start(void **pptr)
{
    gomp_lock((atomic_int *)pptr);
}

void GOMP_critical_name_end(void **pptr)
{
    gomp_unlock((atomic_int *)pptr);
}

void GOMP_atomic_start(void)
{
    gomp_lock(&atomic_lock);
}

void GOMP_atomic_end(void)
{
    gomp_unlock(&atomic_lock);
}

/* ---- omp_lock_t and omp_nest_lock_t ---- */

typedef struct {
    atomic_int word;
} lock_t;

typedef struct {
    atomic_int word;
    int count;
    void *owner;
} nest_lock_t;

_Static_assert(sizeof(lock_t) == 4, "GCC's omp_lock_t");
_Static_assert(sizeof(nest_lock_t) == 16, "GCC's omp_nest_lock_t");

void omp_init_lock(lock_t *l)
{
    atomic_store(&l->word, 0);
}

void omp_destroy_lock(lock_t *l)
{
    (void)l;
}

void omp_set_lock(lock_t *l)
{
    gomp_lock(&l->word);
}

void omp_unset_lock(lock_t *l)
{
    gomp_unlock(&l->word);
}

int omp_test_lock(lock_t *l)
{
    int free = 0;
    return atomic_compare_exchange_strong(&l->word, &free, 1);
}

void omp_init_lock_with_hint(lock_t *l, int hint)
{
    (void)hint;
    omp_init_lock(l);
}

static void *me(void)
{
    return &gomp_self; /* a thread's TLS block names it */
}

void omp_init_nest_lock(nest_lock_t *l)
{
    atomic_store(&l->word, 0);
    l->count = 0;
    l->owner = 0;
}

void omp_destroy_nest_lock(nest_lock_t *l)
{
    (void)l;
}

void omp_set_nest_lock(nest_lock_t *l)
{
    if (l->owner != me()) {
        gomp_lock(&l->word);
        l->owner = me();
    }
    l->count++;
}

void omp_unset_nest_lock(nest_lock_t *l)
{
    if (--l->count == 0) {
        l->owner = 0;
        gomp_unlock(&l->word);
    }
}

int omp_test_nest_lock(nest_lock_t *l)
{
    if (l->owner != me()) {
        int free = 0;
        if (!atomic_compare_exchange_strong(&l->word, &free, 1))
            return 0;
        l->owner = me();
    }
    return ++l->count;
}

void omp_init_nest_lock_with_hint(nest_lock_t *l, int hint)
{
    (void)hint;
    omp_init_nest_lock(l);
}

/* ---- tasks, run where they are created ---- */

static void run_copy(void (*fn)(void *), void *data, void (*cpyfn)(void *, void *), long arg_size, long arg_align,
                     long *bounds)
{
    if (!cpyfn && !bounds) {
        fn(data);
        return;
    }
    long align = arg_align > 0 ? arg_align : 1;
    char *raw = malloc((size_t)(arg_size + align));
    if (!raw)
        abort();
    char *buf = (char *)(((uintptr_t)raw + (uintptr_t)align - 1) & ~(uintptr_t)(align - 1));
    if (cpyfn)
        cpyfn(buf, data);
    else
        memcpy(buf, data, (size_t)arg_size);
    if (bounds) {
        ((long *)buf)[0] = bounds[0];
        ((long *)buf)[1] = bounds[1];
    }
    fn(buf);
    free(raw);
}

void GOMP_task(void (*fn)(void *), void *data, void (*cpyfn)(void *, void *), long arg_size, long arg_align,
               bool if_clause, unsigned flags, void **depend, int priority, void *detach)
{
    (void)if_clause, (void)flags, (void)depend, (void)priority, (void)detach;
    run_copy(fn, data, cpyfn, arg_size, arg_align, 0);
}

/* taskloop: one task for the whole range; its bounds go in the first two longs. */
void GOMP_taskloop(void (*fn)(void *), void *data, void (*cpyfn)(void *, void *), long arg_size, long arg_align,
                   unsigned flags, unsigned long num_tasks, int priority, long start, long end, long step)
{
    (void)flags, (void)num_tasks, (void)priority, (void)step;
    long bounds[2] = {start, end};
    run_copy(fn, data, cpyfn, arg_size, arg_align, bounds);
}

void GOMP_taskwait(void)
{
}

void GOMP_taskyield(void)
{
}

void GOMP_taskgroup_start(void)
{
}

void GOMP_taskgroup_end(void)
{
}

bool GOMP_cancel(int which, bool do_cancel)
{
    (void)which, (void)do_cancel;
    return false;
}

bool GOMP_cancellation_point(int which)
{
    (void)which;
    return false;
}
