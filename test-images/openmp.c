/*
 * openmp -- an OpenMP program built with `musl-gcc -fopenmp -static`
 * against the instance's runtime (native/runtime/omp): parallel
 * regions on every core, worksharing loops with every schedule (signed,
 * negative steps, unsigned long long), reductions, critical (unnamed and
 * named), atomic, single with copyprivate, master, barriers, ordered,
 * sections, tasks, nested regions, locks; then a compute kernel timed on
 * one thread and on all of them.
 *
 *   openmp [STEPS]     STEPS of the pi integration (default 4000000)
 */
#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define N 10000

static atomic_int hits[N];

static void clear_hits(void)
{
    for (int i = 0; i < N; i++)
        atomic_store(&hits[i], 0);
}

static void check_each_once(const char *what)
{
    for (int i = 0; i < N; i++)
        if (atomic_load(&hits[i]) != 1) {
            printf("FAIL %s: iteration %d ran %d times\n", what, i, atomic_load(&hits[i]));
            exit(1);
        }
}

static double pi(long steps)
{
    double step = 1.0 / (double)steps, sum = 0;
#pragma omp parallel for reduction(+ : sum) schedule(static)
    for (long i = 0; i < steps; i++) {
        double x = (i + 0.5) * step;
        sum += 4.0 / (1.0 + x * x);
    }
    return sum * step;
}

int main(int argc, char **argv)
{
    long steps = argc > 1 ? atol(argv[1]) : 4000000;
    int procs = omp_get_num_procs(), max = omp_get_max_threads();
    printf("openmp: %d procs, %d threads by default\n", procs, max);
    CHECK(max == procs);

    /* Parallel: every thread once, ids 0..n-1. */
    atomic_int seen_mask = 0, count = 0;
    int team = 0;
#pragma omp parallel
    {
        atomic_fetch_or(&seen_mask, 1 << omp_get_thread_num());
        atomic_fetch_add(&count, 1);
#pragma omp master
        team = omp_get_num_threads();
        CHECK(omp_in_parallel() == (omp_get_num_threads() > 1));
    }
    CHECK(team == max && count == max && seen_mask == (int)((1u << max) - 1));

    /* Loops: each iteration exactly once under every schedule. */
    clear_hits();
#pragma omp parallel for schedule(static)
    for (int i = 0; i < N; i++)
        atomic_fetch_add(&hits[i], 1);
    check_each_once("static");
    clear_hits();
#pragma omp parallel for schedule(static, 7)
    for (int i = N - 1; i >= 0; i--)
        atomic_fetch_add(&hits[i], 1);
    check_each_once("static,7 downwards");
    clear_hits();
#pragma omp parallel for schedule(dynamic, 13)
    for (int i = 0; i < N; i++)
        atomic_fetch_add(&hits[i], 1);
    check_each_once("dynamic,13");
    clear_hits();
#pragma omp parallel for schedule(guided)
    for (int i = 0; i < N; i += 1)
        atomic_fetch_add(&hits[i], 1);
    check_each_once("guided");
    clear_hits();
    omp_set_schedule(omp_sched_dynamic, 5);
#pragma omp parallel for schedule(runtime)
    for (int i = 0; i < N; i++)
        atomic_fetch_add(&hits[i], 1);
    check_each_once("runtime dynamic,5");
    clear_hits();
#pragma omp parallel
    {
#pragma omp for schedule(dynamic) nowait
        for (unsigned long long i = 0; i < N / 2; i++)
            atomic_fetch_add(&hits[i], 1);
#pragma omp for schedule(guided, 3)
        for (long i = N - 1; i >= N / 2; i -= 1)
            atomic_fetch_add(&hits[i], 1);
    }
    check_each_once("ull dynamic + long guided downwards in one region");
    clear_hits();
#pragma omp parallel for schedule(dynamic) collapse(2)
    for (int i = 0; i < 100; i++)
        for (int j = 0; j < 100; j++)
            atomic_fetch_add(&hits[i * 100 + j], 1);
    check_each_once("collapse(2)");
    printf("openmp: loops ok\n");

    /* Reductions. */
    long sum = 0;
    double mx = -1, prod = 1;
#pragma omp parallel for reduction(+ : sum) reduction(max : mx) reduction(* : prod) schedule(dynamic, 64)
    for (int i = 1; i <= N; i++) {
        sum += i;
        if (i * 0.5 > mx)
            mx = i * 0.5;
        if (i % 1000 == 0)
            prod *= 2.0;
    }
    CHECK(sum == (long)N * (N + 1) / 2 && mx == N * 0.5 && prod == 1024.0);

    /* critical, named critical, atomic, single + copyprivate, barrier, ordered. */
    long crit = 0, named = 0, atom = 0;
    int singles = 0, order_ok = 1, last = -1, phase_err = 0;
    atomic_int phase = 0;
#pragma omp parallel
    {
        for (int k = 0; k < 100; k++) {
#pragma omp critical
            crit++;
#pragma omp critical(other)
            named += 2;
#pragma omp atomic
            atom += 3;
        }
#pragma omp single
        singles++;
        int v = -1;
#pragma omp single copyprivate(v)
        v = 4242;
        CHECK(v == 4242);
        atomic_fetch_add(&phase, 1);
#pragma omp barrier
        if (atomic_load(&phase) != omp_get_num_threads())
            phase_err = 1;
#pragma omp for ordered schedule(dynamic)
        for (int i = 0; i < 200; i++) {
#pragma omp ordered
            {
                if (i != last + 1)
                    order_ok = 0;
                last = i;
            }
        }
    }
    CHECK(crit == 100L * max && named == 200L * max && atom == 300L * max);
    CHECK(singles == 1 && !phase_err && order_ok && last == 199);

    /* sections, tasks, nested regions, locks. */
    atomic_int sec[3] = {0, 0, 0};
#pragma omp parallel sections
    {
#pragma omp section
        atomic_fetch_add(&sec[0], 1);
#pragma omp section
        atomic_fetch_add(&sec[1], 1);
#pragma omp section
        atomic_fetch_add(&sec[2], 1);
    }
    CHECK(sec[0] == 1 && sec[1] == 1 && sec[2] == 1);
    atomic_long tsum = 0;
#pragma omp parallel
#pragma omp single
    {
        for (int i = 1; i <= 100; i++) {
#pragma omp task firstprivate(i)
            atomic_fetch_add(&tsum, i);
        }
#pragma omp taskwait
    }
    CHECK(tsum == 5050);
    int inner = 0;
#pragma omp parallel num_threads(2)
    {
#pragma omp parallel
        {
#pragma omp atomic
            inner += omp_get_num_threads();
        }
    }
    CHECK(inner == 2); /* two outer threads, each an inner team of one */
    omp_lock_t lock;
    omp_nest_lock_t nest;
    omp_init_lock(&lock);
    omp_init_nest_lock(&nest);
    long locked = 0, nested = 0; /* one counter per lock: two locks do not exclude each other */
#pragma omp parallel
    for (int k = 0; k < 50; k++) {
        omp_set_lock(&lock);
        locked++;
        omp_unset_lock(&lock);
        omp_set_nest_lock(&nest);
        omp_set_nest_lock(&nest);
        nested++;
        omp_unset_nest_lock(&nest);
        omp_unset_nest_lock(&nest);
    }
    CHECK(locked == 50L * max && nested == 50L * max);
    CHECK(omp_test_lock(&lock) && !omp_test_lock(&lock));
    omp_unset_lock(&lock);
    printf("openmp: synchronisation ok\n");

    /* The compute kernel: one thread, then all. */
    omp_set_num_threads(1);
    double t0 = omp_get_wtime();
    double p1 = pi(steps);
    double t1 = omp_get_wtime();
    omp_set_num_threads(max);
    double pn = pi(steps);
    double t2 = omp_get_wtime();
    CHECK(p1 > 3.14159 && p1 < 3.1416 && pn > 3.14159 && pn < 3.1416);
    printf("openmp: pi %.8f; 1 thread %.1f ms, %d threads %.1f ms, speedup %.2f\n", pn, (t1 - t0) * 1e3, max,
           (t2 - t1) * 1e3, (t1 - t0) / (t2 - t1));
    pass("openmp");
    return 0;
}
