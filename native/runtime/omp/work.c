/*
 * work.c -- worksharing: loops (static, dynamic, guided, runtime, ordered;
 * long and unsigned long long), sections, single and copyprivate.
 *
 * A loop is kept as iteration numbers 0..n-1; the chunk a thread gets is
 * turned back into the compiler's bounds as start + i * incr, which is
 * right for either direction in two's complement.  Ordered loops hand out
 * one iteration at a time; an iteration's ordered region waits for its
 * turn, and an iteration that skipped its ordered region passes the turn
 * on when its thread asks for more.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "gomp.h"

static __thread struct team solo; /* the team of a thread outside any parallel region */

static struct team *my_team(void)
{
    if (gomp_self.team)
        return gomp_self.team;
    if (solo.n == 0) {
        solo.n = 1;
        gomp_barrier_init(&solo.bar, 1);
        for (int i = 0; i < WS_RING; i++)
            atomic_store(&solo.ws[i].gen, ~(uint64_t)0);
    }
    return &solo;
}

/* The next construct of the team; the first thread to arrive sets it up
 * with init(w, arg). */
static struct ws *enter(void (*init)(struct ws *, void *), void *arg)
{
    struct team *t = my_team();
    uint64_t idx = gomp_self.ws_index++;
    struct ws *w = &t->ws[idx % WS_RING];
    if (atomic_load_explicit(&w->gen, memory_order_acquire) == idx)
        return w;
    gomp_lock(&w->lock);
    if (atomic_load_explicit(&w->gen, memory_order_acquire) != idx) {
        /* The slot's last construct must be over for every thread. */
        while (atomic_load_explicit(&w->left, memory_order_acquire) != 0)
            __builtin_ia32_pause();
        init(w, arg);
        atomic_store(&w->left, t->n);
        atomic_store_explicit(&w->gen, idx, memory_order_release);
    }
    gomp_unlock(&w->lock);
    return w;
}

void gomp_ws_leave(struct ws *w)
{
    atomic_fetch_sub_explicit(&w->left, 1, memory_order_release);
}

static unsigned nthreads(void)
{
    return gomp_self.team ? gomp_self.team->n : 1;
}

/* ---- loops ---- */

struct loop_spec {
    uint64_t start, incr, n, chunk;
    int sched, ordered;
};

static void init_loop(struct ws *w, void *arg)
{
    struct loop_spec *s = arg;
    w->kind = WS_LOOP;
    w->start = s->start;
    w->incr = s->incr;
    w->n = s->n;
    w->sched = s->sched;
    w->chunk = s->chunk;
    w->ordered = s->ordered;
    atomic_store(&w->next, 0);
    atomic_store(&w->ordered_next, 0);
    if (w->sched == SCHED_RUNTIME) {
        w->sched = gomp_icv.run_sched;
        w->chunk = gomp_icv.run_chunk;
    }
    if (w->sched == SCHED_AUTO || w->sched == SCHED_RUNTIME)
        w->sched = SCHED_STATIC;
    if (w->ordered) {
        w->sched = SCHED_DYNAMIC;
        w->chunk = 1;
    }
    if (w->sched != SCHED_STATIC && w->chunk == 0)
        w->chunk = 1;
}

/* Iterations of a loop the caller found non-empty, or made empty with
 * end = start (the comparison depends on signedness, the count does not). */
static uint64_t iterations(uint64_t start, uint64_t end, uint64_t incr, bool up)
{
    if (start == end)
        return 0;
    return up ? (end - start - 1) / incr + 1 : (start - end - 1) / -incr + 1;
}

void gomp_loop_init(struct ws *w, uint64_t start, uint64_t end, uint64_t incr, bool up, int sched, uint64_t chunk,
                    int ordered)
{
    struct loop_spec s = {start, incr, iterations(start, end, incr, up), chunk, sched, ordered};
    init_loop(w, &s);
}

void gomp_sections_init(struct ws *w, unsigned count)
{
    w->kind = WS_SECTIONS;
    w->n = count;
    atomic_store(&w->next, 0);
}

/* Ordered: waits for iteration `iter`'s turn. */
static void wait_turn(struct ws *w, uint64_t iter)
{
    for (;;) {
        int seen = atomic_load_explicit(&w->ordered_next, memory_order_acquire);
        if ((uint32_t)seen == (uint32_t)iter)
            return;
        gomp_wait_change(&w->ordered_next, seen, &w->sleepers);
    }
}

static void pass_turn(struct ws *w, uint64_t iter)
{
    /* seq_cst: the store must be visible before we look for sleepers
     * (they count themselves in before they look at the word). */
    atomic_store(&w->ordered_next, (int)(uint32_t)(iter + 1));
    if (atomic_load(&w->sleepers))
        gomp_futex_wake(&w->ordered_next, INT_MAX);
}

/* An iteration whose ordered region did not run still takes its turn. */
static void finish_ordered(struct ws *w)
{
    if (w->ordered && !gomp_self.ordered_done) {
        wait_turn(w, gomp_self.iter);
        pass_turn(w, gomp_self.iter);
        gomp_self.ordered_done = 1;
    }
}

/* The next chunk for this thread, as iteration numbers [*s, *e). */
static bool next_range(struct ws *w, uint64_t *s, uint64_t *e)
{
    unsigned nth = nthreads(), id = gomp_self.id;
    uint64_t n = w->n, i, q;
    if (w->ordered)
        finish_ordered(w);
    switch (w->sched) {
    case SCHED_STATIC:
        if (w->chunk == 0) {
            if (gomp_self.trip++)
                return false;
            q = n / nth;
            uint64_t r = n % nth;
            *s = id * q + (id < r ? id : r);
            *e = *s + q + (id < r);
            return *s < *e;
        }
        i = (gomp_self.trip++ * nth + id) * w->chunk;
        if (i >= n)
            return false;
        *s = i;
        *e = n - i < w->chunk ? n : i + w->chunk;
        return true;
    case SCHED_GUIDED:
        i = atomic_load(&w->next);
        do {
            if (i >= n)
                return false;
            q = (n - i + nth - 1) / nth;
            if (q < w->chunk)
                q = w->chunk;
            if (q > n - i)
                q = n - i;
        } while (!atomic_compare_exchange_weak(&w->next, &i, i + q));
        *s = i;
        *e = i + q;
        return true;
    default: /* dynamic */
        i = atomic_fetch_add(&w->next, w->chunk);
        if (i >= n)
            return false;
        *s = i;
        *e = n - i < w->chunk ? n : i + w->chunk;
        if (w->ordered) {
            gomp_self.iter = i;
            gomp_self.ordered_done = 0;
        }
        return true;
    }
}

static bool loop_next(long *istart, long *iend)
{
    struct ws *w = gomp_self.cur;
    uint64_t s, e;
    if (!w || !next_range(w, &s, &e))
        return false;
    *istart = (long)(w->start + s * w->incr);
    *iend = (long)(w->start + e * w->incr);
    return true;
}

static bool loop_start(uint64_t start, uint64_t end, uint64_t incr, bool up, int sched, uint64_t chunk, int ordered,
                       long *istart, long *iend)
{
    struct loop_spec spec = {start, incr, iterations(start, end, incr, up), chunk, sched, ordered};
    gomp_self.cur = enter(init_loop, &spec);
    gomp_self.trip = 0;
    gomp_self.ordered_done = 1;
    return loop_next(istart, iend);
}

/* Signed loops: direction and emptiness decided as signed numbers. */
static bool loop_start_l(long start, long end, long incr, int sched, long chunk, int ordered, long *is, long *ie)
{
    bool up = incr > 0;
    if (up ? start >= end : start <= end)
        end = start; /* empty */
    return loop_start((uint64_t)start, (uint64_t)end, (uint64_t)incr, up, sched, (uint64_t)chunk, ordered, is, ie);
}

void GOMP_loop_end_nowait(void)
{
    struct ws *w = gomp_self.cur;
    if (!w)
        return;
    finish_ordered(w);
    gomp_self.cur = 0;
    gomp_ws_leave(w);
}

void GOMP_loop_end(void)
{
    GOMP_loop_end_nowait();
    if (gomp_self.team)
        gomp_barrier_wait(&gomp_self.team->bar);
}

bool GOMP_loop_end_cancel(void)
{
    GOMP_loop_end();
    return false;
}

#define LOOP(name, sched, ordered)                                                                                     \
    bool GOMP_loop_##name##_start(long start, long end, long incr, long chunk, long *istart, long *iend)               \
    {                                                                                                                  \
        return loop_start_l(start, end, incr, sched, chunk, ordered, istart, iend);                                    \
    }                                                                                                                  \
    bool GOMP_loop_##name##_next(long *istart, long *iend)                                                             \
    {                                                                                                                  \
        return loop_next(istart, iend);                                                                                \
    }                                                                                                                  \
    bool GOMP_loop_ull_##name##_start(bool up, unsigned long long start, unsigned long long end,                       \
                                      unsigned long long incr, unsigned long long chunk, unsigned long long *istart,   \
                                      unsigned long long *iend)                                                        \
    {                                                                                                                  \
        if (up ? start >= end : start <= end)                                                                          \
            end = start;                                                                                               \
        return loop_start(start, end, incr, up, sched, chunk, ordered, (long *)istart, (long *)iend);                  \
    }                                                                                                                  \
    bool GOMP_loop_ull_##name##_next(unsigned long long *istart, unsigned long long *iend)                             \
    {                                                                                                                  \
        return loop_next((long *)istart, (long *)iend);                                                                \
    }

#define RUNTIME_LOOP(name, ordered)                                                                                    \
    bool GOMP_loop_##name##_start(long start, long end, long incr, long *istart, long *iend)                           \
    {                                                                                                                  \
        return loop_start_l(start, end, incr, SCHED_RUNTIME, 0, ordered, istart, iend);                                \
    }                                                                                                                  \
    bool GOMP_loop_##name##_next(long *istart, long *iend)                                                             \
    {                                                                                                                  \
        return loop_next(istart, iend);                                                                                \
    }                                                                                                                  \
    bool GOMP_loop_ull_##name##_start(bool up, unsigned long long start, unsigned long long end,                       \
                                      unsigned long long incr, unsigned long long *istart, unsigned long long *iend)   \
    {                                                                                                                  \
        if (up ? start >= end : start <= end)                                                                          \
            end = start;                                                                                               \
        return loop_start(start, end, incr, up, SCHED_RUNTIME, 0, ordered, (long *)istart, (long *)iend);              \
    }                                                                                                                  \
    bool GOMP_loop_ull_##name##_next(unsigned long long *istart, unsigned long long *iend)                             \
    {                                                                                                                  \
        return loop_next((long *)istart, (long *)iend);                                                                \
    }

LOOP(static, SCHED_STATIC, 0)
LOOP(dynamic, SCHED_DYNAMIC, 0)
LOOP(guided, SCHED_GUIDED, 0)
LOOP(nonmonotonic_dynamic, SCHED_DYNAMIC, 0)
LOOP(nonmonotonic_guided, SCHED_GUIDED, 0)
LOOP(ordered_static, SCHED_STATIC, 1)
LOOP(ordered_dynamic, SCHED_DYNAMIC, 1)
LOOP(ordered_guided, SCHED_GUIDED, 1)
RUNTIME_LOOP(runtime, 0)
RUNTIME_LOOP(nonmonotonic_runtime, 0)
RUNTIME_LOOP(maybe_nonmonotonic_runtime, 0)
RUNTIME_LOOP(ordered_runtime, 1)

/* The OpenMP 5 entry points, without task reductions (GCC passes those
 * only for reduction(task, ...) and inscan, which this runtime lacks). */
static void no_task_reductions(uintptr_t *reductions, void **mem)
{
    if (reductions || mem) {
        fprintf(stderr, "libgomp (azalea): task reductions and scan loops are not supported\n");
        abort();
    }
}

bool GOMP_loop_start(long start, long end, long incr, long sched, long chunk, long *istart, long *iend,
                     uintptr_t *reductions, void **mem)
{
    no_task_reductions(reductions, mem);
    return loop_start_l(start, end, incr, (int)(sched & 0xFF), chunk, 0, istart, iend);
}

bool GOMP_loop_ordered_start(long start, long end, long incr, long sched, long chunk, long *istart, long *iend,
                             uintptr_t *reductions, void **mem)
{
    no_task_reductions(reductions, mem);
    return loop_start_l(start, end, incr, (int)(sched & 0xFF), chunk, 1, istart, iend);
}

bool GOMP_loop_ull_start(bool up, unsigned long long start, unsigned long long end, unsigned long long incr, long sched,
                         unsigned long long chunk, unsigned long long *istart, unsigned long long *iend,
                         uintptr_t *reductions, void **mem)
{
    no_task_reductions(reductions, mem);
    if (up ? start >= end : start <= end)
        end = start;
    return loop_start(start, end, incr, up, (int)(sched & 0xFF), chunk, 0, (long *)istart, (long *)iend);
}

void GOMP_ordered_start(void)
{
    struct ws *w = gomp_self.cur;
    if (w && w->ordered)
        wait_turn(w, gomp_self.iter);
}

void GOMP_ordered_end(void)
{
    struct ws *w = gomp_self.cur;
    if (w && w->ordered && !gomp_self.ordered_done) {
        gomp_self.ordered_done = 1;
        pass_turn(w, gomp_self.iter);
    }
}

/* ---- sections ---- */

static void init_sections(struct ws *w, void *arg)
{
    gomp_sections_init(w, *(unsigned *)arg);
}

unsigned GOMP_sections_next(void)
{
    struct ws *w = gomp_self.cur;
    if (!w)
        return 0;
    uint64_t i = atomic_fetch_add(&w->next, 1);
    return i < w->n ? (unsigned)i + 1 : 0;
}

unsigned GOMP_sections_start(unsigned count)
{
    gomp_self.cur = enter(init_sections, &count);
    return GOMP_sections_next();
}

void GOMP_sections_end_nowait(void)
{
    struct ws *w = gomp_self.cur;
    gomp_self.cur = 0;
    if (w)
        gomp_ws_leave(w);
}

void GOMP_sections_end(void)
{
    GOMP_sections_end_nowait();
    if (gomp_self.team)
        gomp_barrier_wait(&gomp_self.team->bar);
}

bool GOMP_sections_end_cancel(void)
{
    GOMP_sections_end();
    return false;
}

/* ---- single ---- */

static void init_single(struct ws *w, void *arg)
{
    (void)arg;
    w->kind = WS_SINGLE;
    atomic_store(&w->single_taken, 0);
    atomic_store(&w->copy_ready, 0);
    w->copy = 0;
}

bool GOMP_single_start(void)
{
    struct ws *w = enter(init_single, 0);
    int free = 0;
    bool won = atomic_compare_exchange_strong(&w->single_taken, &free, 1);
    gomp_ws_leave(w);
    return won;
}

void *GOMP_single_copy_start(void)
{
    struct ws *w = enter(init_single, 0);
    int free = 0;
    if (atomic_compare_exchange_strong(&w->single_taken, &free, 1)) {
        gomp_self.cur = w; /* GOMP_single_copy_end publishes the data */
        return 0;
    }
    gomp_wait_change(&w->copy_ready, 0, &w->sleepers);
    void *data = w->copy;
    gomp_ws_leave(w);
    return data;
}

void GOMP_single_copy_end(void *data)
{
    struct ws *w = gomp_self.cur;
    gomp_self.cur = 0;
    w->copy = data;
    atomic_store(&w->copy_ready, 1); /* seq_cst, as in pass_turn */
    if (atomic_load(&w->sleepers))
        gomp_futex_wake(&w->copy_ready, INT_MAX);
    gomp_ws_leave(w);
}
