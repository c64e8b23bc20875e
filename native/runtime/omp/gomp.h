/*
 * gomp.h -- a small OpenMP runtime for musl programs (libgomp.a here):
 * the GOMP_* entry points GCC emits and the common omp_* functions, on
 * pthreads and futexes.  Internal header.
 *
 * A team is the master and a pool of worker threads (created once, kept
 * for later regions).  Worksharing constructs (loops, sections, single)
 * are met by every thread of a team in the same order; the n-th one a
 * thread meets lives in slot n % WS_RING of the team, set up by the first
 * thread to arrive and recycled once every thread has left it, so
 * "nowait" constructs may overlap by up to WS_RING.
 *
 * Waiting (barriers, the pool, ordered, copyprivate) spins for a while,
 * then sleeps on a futex: with one thread per core a wait is short and
 * spinning avoids a system call; oversubscribed, sleeping frees the core.
 */
#ifndef AZ_GOMP_H
#define AZ_GOMP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define WS_RING  16
#define MAX_TEAM 256

enum ws_kind { WS_LOOP = 1, WS_SECTIONS, WS_SINGLE };
enum sched { SCHED_STATIC = 1, SCHED_DYNAMIC, SCHED_GUIDED, SCHED_AUTO, SCHED_RUNTIME = 0 };

/* One worksharing construct of a team. */
struct ws {
    atomic_int lock;          /* held by whoever sets the slot up */
    atomic_uint_fast64_t gen; /* the construct's number in the region; ~0 when never used */
    atomic_uint left;         /* threads that have not yet left it */
    int kind, sched, ordered;
    uint64_t start, incr;      /* the loop, as the compiler gave it (two's complement) */
    uint64_t n, chunk;         /* iterations, and the chunk in iterations */
    atomic_uint_fast64_t next; /* dynamic, guided, sections: the next free iteration */
    atomic_int ordered_next;   /* the iteration (mod 2^32) whose ordered region may run; a futex word */
    atomic_int sleepers;       /* threads asleep on ordered_next or copy_ready */
    atomic_int single_taken;
    atomic_int copy_ready; /* copyprivate: the data pointer is published */
    void *copy;
    char pad[64];
};

struct barrier {
    atomic_uint arrived;
    atomic_int gen; /* a futex word */
    atomic_int sleepers;
    unsigned n;
};

struct team {
    void (*fn)(void *);
    void *data;
    unsigned n;
    unsigned level; /* nesting level of the region (1: outermost) */
    int combined;   /* ws[0] is a loop or sections every thread starts in */
    struct barrier bar;
    struct ws ws[WS_RING];
};

/* What each thread knows about where it is. */
struct gomp_thread {
    struct team *team; /* NULL outside any parallel region */
    unsigned id;
    unsigned level;
    uint64_t ws_index; /* constructs met so far in this region */
    struct ws *cur;    /* the loop or sections being worked on */
    uint64_t trip;     /* static schedule: chunks taken */
    uint64_t iter;     /* ordered: the iteration being run */
    int ordered_done;  /* ordered: its ordered region has run */
};

extern __thread struct gomp_thread gomp_self;

/* The internal control variables (env.c). */
struct icv {
    unsigned nthreads; /* OMP_NUM_THREADS, omp_set_num_threads */
    int run_sched;     /* OMP_SCHEDULE, omp_set_schedule */
    uint64_t run_chunk;
    unsigned max_levels; /* active levels allowed (1: nested regions run serially) */
    int dynamic;
    unsigned long stacksize; /* OMP_STACKSIZE */
    unsigned spin;           /* OMP_WAIT_POLICY: spins before sleeping */
    unsigned nprocs;
};
extern struct icv gomp_icv;
void gomp_init(void);

/* wait.c */
void gomp_futex_wait(atomic_int *addr, int val);
void gomp_futex_wake(atomic_int *addr, int n);
/* Waits until *addr != old: spins, then sleeps counting itself in *sleepers. */
void gomp_wait_change(atomic_int *addr, int old, atomic_int *sleepers);
void gomp_barrier_init(struct barrier *b, unsigned n);
void gomp_barrier_wait(struct barrier *b);
void gomp_lock(atomic_int *l);
void gomp_unlock(atomic_int *l);

/* team.c */
void gomp_team_start(struct team *t, void (*fn)(void *), void *data, unsigned n);
void gomp_team_end(void);

/* work.c */
struct ws *gomp_ws_enter(int kind, bool *first);
void gomp_ws_leave(struct ws *w);
void gomp_loop_init(struct ws *w, uint64_t start, uint64_t end, uint64_t incr, bool up, int sched, uint64_t chunk,
                    int ordered);
void gomp_sections_init(struct ws *w, unsigned count);

#endif
