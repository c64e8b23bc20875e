/*
 * team.c -- parallel regions: the worker pool, starting and ending a team,
 * GOMP_parallel and its combined loop and sections forms, GOMP_barrier.
 *
 * The outermost team is static storage, never freed: a worker leaving the
 * region's last barrier may still read its words after the master has
 * moved on (the barrier's generation only grows, so a stale reader sees
 * "open").  A nested region, when more active levels are not allowed (the
 * default), runs on a team of one thread on the encountering thread's stack.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gomp.h"

__thread struct gomp_thread gomp_self;

struct worker {
    pthread_t th;
    atomic_int go; /* bumped by the master for each region it gives this worker */
    atomic_int sleepers;
    struct team *team;
    unsigned id;
    char pad[64];
};

static struct worker pool[MAX_TEAM];
static unsigned pool_size; /* workers pool[1..pool_size] exist */
static struct team outer;

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    int seen = 0;
    for (;;) {
        gomp_wait_change(&w->go, seen, &w->sleepers);
        seen = atomic_load(&w->go);
        struct team *t = w->team;
        gomp_self = (struct gomp_thread){.team = t, .id = w->id, .level = t->level};
        if (t->combined) {
            /* a combined construct: the region starts inside its loop or sections */
            gomp_self.ws_index = 1;
            gomp_self.cur = &t->ws[0];
        }
        t->fn(t->data);
        gomp_barrier_wait(&t->bar);
        gomp_self.team = 0;
    }
    return 0;
}

/* Makes sure pool[1..n-1] exist; returns how many threads a team can have. */
static unsigned grow_pool(unsigned n)
{
    static atomic_int lock;
    gomp_lock(&lock);
    while (pool_size + 1 < n) {
        struct worker *w = &pool[pool_size + 1];
        w->id = pool_size + 1;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, gomp_icv.stacksize);
        int r = pthread_create(&w->th, &attr, worker_main, w);
        pthread_attr_destroy(&attr);
        if (r) {
            fprintf(stderr, "libgomp: could not start thread %u (error %d); using %u threads\n", w->id, r,
                    pool_size + 1);
            break;
        }
        pool_size++;
    }
    gomp_unlock(&lock);
    return n < pool_size + 1 ? n : pool_size + 1;
}

static void team_init(struct team *t, void (*fn)(void *), void *data, unsigned n)
{
    t->fn = fn;
    t->data = data;
    t->n = n;
    t->level = gomp_self.level + 1;
    t->combined = 0;
    gomp_barrier_init(&t->bar, n);
    for (int i = 0; i < WS_RING; i++) {
        atomic_store(&t->ws[i].gen, ~(uint64_t)0);
        atomic_store(&t->ws[i].left, 0);
        atomic_store(&t->ws[i].lock, 0);
    }
}

/* A team on the stack or the heap (one thread: no one ever sleeps on it). */
static void team_zero(struct team *t)
{
    atomic_store(&t->bar.gen, 0);
    atomic_store(&t->bar.sleepers, 0);
    for (int i = 0; i < WS_RING; i++)
        atomic_store(&t->ws[i].sleepers, 0);
}

static unsigned team_size(unsigned num_threads)
{
    gomp_init();
    if (gomp_self.team && gomp_self.team->n > 1 && gomp_self.level >= gomp_icv.max_levels)
        return 1; /* nested, and only one active level allowed */
    unsigned n = num_threads ? num_threads : gomp_icv.nthreads;
    if (n > MAX_TEAM)
        n = MAX_TEAM;
    return n ? n : 1;
}

/* Hands the team to its workers; the caller becomes thread 0. */
static void launch(struct team *t, struct gomp_thread *saved)
{
    *saved = gomp_self;
    for (unsigned i = 1; i < t->n; i++) {
        struct worker *w = &pool[i];
        w->team = t;
        atomic_fetch_add(&w->go, 1);
        if (atomic_load(&w->sleepers))
            gomp_futex_wake(&w->go, 1);
    }
    gomp_self = (struct gomp_thread){.team = t, .id = 0, .level = t->level};
    if (t->combined) {
        gomp_self.ws_index = 1;
        gomp_self.cur = &t->ws[0];
    }
}

/* Runs fn on a team of n; `setup` (optional) prepares the combined construct in ws[0]. */
static void run_region(void (*fn)(void *), void *data, unsigned n, void (*setup)(struct ws *, void *), void *arg)
{
    struct gomp_thread saved;
    struct team local, *t = &local;
    int outermost = !gomp_self.team;
    if (n > 1 && outermost) {
        n = grow_pool(n);
        t = &outer;
    } else {
        n = 1;
        team_zero(t);
    }
    team_init(t, fn, data, n);
    if (setup) {
        struct ws *w = &t->ws[0];
        setup(w, arg);
        atomic_store(&w->left, n);
        atomic_store_explicit(&w->gen, 0, memory_order_release);
        t->combined = 1;
    }
    launch(t, &saved);
    fn(data);
    gomp_barrier_wait(&t->bar);
    gomp_self = saved;
}

void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags)
{
    (void)flags; /* proc_bind: threads stay where the kernel placed them */
    run_region(fn, data, team_size(num_threads), 0, 0);
}

/* The pre-4.9 interface: the caller runs fn itself between the two. */
static __thread struct gomp_thread legacy_saved;
static __thread struct team *legacy_team;

void GOMP_parallel_start(void (*fn)(void *), void *data, unsigned num_threads)
{
    unsigned n = team_size(num_threads);
    struct team *t;
    if (n > 1 && !gomp_self.team) {
        n = grow_pool(n);
        t = &outer;
    } else {
        n = 1;
        t = malloc(sizeof *t);
        if (!t)
            abort();
        team_zero(t);
    }
    team_init(t, fn, data, n);
    legacy_team = t;
    launch(t, &legacy_saved);
}

void GOMP_parallel_end(void)
{
    struct team *t = gomp_self.team;
    gomp_barrier_wait(&t->bar);
    gomp_self = legacy_saved;
    if (t != &outer)
        free(t);
    legacy_team = 0;
}

void GOMP_barrier(void)
{
    if (gomp_self.team)
        gomp_barrier_wait(&gomp_self.team->bar);
}

bool GOMP_barrier_cancel(void)
{
    GOMP_barrier();
    return false; /* no cancellation here */
}

/* Combined parallel loops: every thread enters the region inside the loop. */
struct loop_args {
    long start, end, incr, chunk;
    int sched;
};

static void setup_loop(struct ws *w, void *arg)
{
    struct loop_args *a = arg;
    bool up = a->incr > 0;
    long end = (up ? a->start >= a->end : a->start <= a->end) ? a->start : a->end; /* signed emptiness */
    gomp_loop_init(w, (uint64_t)a->start, (uint64_t)end, (uint64_t)a->incr, up, a->sched, (uint64_t)a->chunk, 0);
}

static void parallel_loop(void (*fn)(void *), void *data, unsigned num_threads, long start, long end, long incr,
                          long chunk, int sched)
{
    struct loop_args a = {start, end, incr, chunk, sched};
    run_region(fn, data, team_size(num_threads), setup_loop, &a);
}

#define PARALLEL_LOOP(name, sched)                                                                                     \
    void GOMP_parallel_loop_##name(void (*fn)(void *), void *data, unsigned num_threads, long start, long end,         \
                                   long incr, long chunk, unsigned flags)                                              \
    {                                                                                                                  \
        (void)flags;                                                                                                   \
        parallel_loop(fn, data, num_threads, start, end, incr, chunk, sched);                                          \
    }

PARALLEL_LOOP(static, SCHED_STATIC)
PARALLEL_LOOP(dynamic, SCHED_DYNAMIC)
PARALLEL_LOOP(guided, SCHED_GUIDED)
PARALLEL_LOOP(nonmonotonic_dynamic, SCHED_DYNAMIC)
PARALLEL_LOOP(nonmonotonic_guided, SCHED_GUIDED)

void GOMP_parallel_loop_runtime(void (*fn)(void *), void *data, unsigned num_threads, long start, long end, long incr,
                                unsigned flags)
{
    (void)flags;
    gomp_init();
    parallel_loop(fn, data, num_threads, start, end, incr, (long)gomp_icv.run_chunk, gomp_icv.run_sched);
}

void GOMP_parallel_loop_nonmonotonic_runtime(void (*fn)(void *), void *data, unsigned num_threads, long start, long end,
                                             long incr, unsigned flags)
{
    GOMP_parallel_loop_runtime(fn, data, num_threads, start, end, incr, flags);
}

void GOMP_parallel_loop_maybe_nonmonotonic_runtime(void (*fn)(void *), void *data, unsigned num_threads, long start,
                                                   long end, long incr, unsigned flags)
{
    GOMP_parallel_loop_runtime(fn, data, num_threads, start, end, incr, flags);
}

static void setup_sections(struct ws *w, void *arg)
{
    gomp_sections_init(w, *(unsigned *)arg);
}

void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned num_threads, unsigned count, unsigned flags)
{
    (void)flags;
    run_region(fn, data, team_size(num_threads), setup_sections, &count);
}
