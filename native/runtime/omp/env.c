/*
 * env.c -- the internal control variables, from the environment
 * (OMP_NUM_THREADS, OMP_SCHEDULE, OMP_STACKSIZE, OMP_WAIT_POLICY,
 * OMP_MAX_ACTIVE_LEVELS, OMP_DYNAMIC) and the omp_* functions that read
 * and set them, and the wall clock.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gomp.h"

#define DEFAULT_STACK (1ul << 20) /* thread stacks are real memory here: no overcommit */
#define SPIN_ACTIVE   100000u
#define SPIN_DEFAULT  20000u

struct icv gomp_icv;
static atomic_int initialised; /* 0 no, 1 in progress, 2 done */

static unsigned long parse_size(const char *s)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    switch (*end) {
    case 'B':
    case 'b':
        return v;
    case 'M':
    case 'm':
        return v << 20;
    case 'G':
    case 'g':
        return v << 30;
    default:
        return v << 10; /* K, or no unit: kilobytes */
    }
}

static void parse_schedule(const char *s)
{
    static const struct {
        const char *name;
        int sched;
    } kinds[] = {
        {"static", SCHED_STATIC},
        {"dynamic", SCHED_DYNAMIC},
        {"guided", SCHED_GUIDED},
        {"auto", SCHED_AUTO},
    };
    if (strncasecmp(s, "monotonic:", 10) == 0)
        s += 10;
    else if (strncasecmp(s, "nonmonotonic:", 13) == 0)
        s += 13;
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i].name);
        if (strncasecmp(s, kinds[i].name, n) == 0 && (s[n] == 0 || s[n] == ',')) {
            gomp_icv.run_sched = kinds[i].sched;
            gomp_icv.run_chunk = s[n] == ',' ? strtoull(s + n + 1, 0, 10) : 0;
            return;
        }
    }
}

void gomp_init(void)
{
    if (atomic_load_explicit(&initialised, memory_order_acquire) == 2)
        return;
    int zero = 0;
    if (!atomic_compare_exchange_strong(&initialised, &zero, 1)) {
        while (atomic_load_explicit(&initialised, memory_order_acquire) != 2)
            __builtin_ia32_pause();
        return;
    }
    cpu_set_t set;
    gomp_icv.nprocs = sched_getaffinity(0, sizeof set, &set) == 0 ? (unsigned)CPU_COUNT(&set) : 1;
    gomp_icv.nthreads = gomp_icv.nprocs;
    gomp_icv.run_sched = SCHED_STATIC;
    gomp_icv.max_levels = 1;
    gomp_icv.stacksize = DEFAULT_STACK;
    gomp_icv.spin = SPIN_DEFAULT;
    const char *e;
    if ((e = getenv("OMP_NUM_THREADS")) && atoi(e) > 0)
        gomp_icv.nthreads = (unsigned)atoi(e);
    if ((e = getenv("OMP_SCHEDULE")))
        parse_schedule(e);
    if ((e = getenv("OMP_STACKSIZE")) && parse_size(e) >= 16384)
        gomp_icv.stacksize = parse_size(e);
    if ((e = getenv("OMP_WAIT_POLICY")))
        gomp_icv.spin = strcasecmp(e, "passive") == 0 ? 0 : strcasecmp(e, "active") == 0 ? SPIN_ACTIVE : SPIN_DEFAULT;
    if ((e = getenv("OMP_MAX_ACTIVE_LEVELS")) && atoi(e) > 0)
        gomp_icv.max_levels = (unsigned)atoi(e);
    if ((e = getenv("OMP_DYNAMIC")))
        gomp_icv.dynamic = strcasecmp(e, "true") == 0;
    atomic_store_explicit(&initialised, 2, memory_order_release);
}

int omp_get_num_threads(void)
{
    return gomp_self.team ? (int)gomp_self.team->n : 1;
}

int omp_get_thread_num(void)
{
    return gomp_self.team ? (int)gomp_self.id : 0;
}

int omp_get_max_threads(void)
{
    gomp_init();
    return gomp_self.team && gomp_self.team->n > 1 && gomp_self.level >= gomp_icv.max_levels ? 1
                                                                                             : (int)gomp_icv.nthreads;
}

void omp_set_num_threads(int n)
{
    gomp_init();
    if (n > 0)
        gomp_icv.nthreads = (unsigned)n;
}

int omp_get_num_procs(void)
{
    gomp_init();
    return (int)gomp_icv.nprocs;
}

int omp_in_parallel(void)
{
    return gomp_self.team && gomp_self.team->n > 1;
}

int omp_get_level(void)
{
    return (int)gomp_self.level;
}

int omp_get_active_level(void)
{
    return omp_in_parallel();
}

int omp_get_team_size(int level)
{
    if (level == 0)
        return 1;
    return level == (int)gomp_self.level ? omp_get_num_threads() : level < (int)gomp_self.level ? 1 : -1;
}

int omp_get_ancestor_thread_num(int level)
{
    if (level == 0)
        return 0;
    return level == (int)gomp_self.level ? omp_get_thread_num() : level < (int)gomp_self.level ? 0 : -1;
}

void omp_set_dynamic(int on)
{
    gomp_init();
    gomp_icv.dynamic = on != 0;
}

int omp_get_dynamic(void)
{
    gomp_init();
    return gomp_icv.dynamic;
}

void omp_set_nested(int on)
{
    (void)on; /* nested regions run on one thread here */
}

int omp_get_nested(void)
{
    return 0;
}

void omp_set_max_active_levels(int n)
{
    (void)n;
}

int omp_get_max_active_levels(void)
{
    return 1;
}

int omp_get_thread_limit(void)
{
    return MAX_TEAM;
}

void omp_set_schedule(int kind, int chunk)
{
    gomp_init();
    int k = kind & 0xFF;
    if (k >= SCHED_STATIC && k <= SCHED_AUTO)
        gomp_icv.run_sched = k;
    gomp_icv.run_chunk = chunk > 0 ? (uint64_t)chunk : 0;
}

void omp_get_schedule(int *kind, int *chunk)
{
    gomp_init();
    *kind = gomp_icv.run_sched;
    *chunk = (int)gomp_icv.run_chunk;
}

double omp_get_wtime(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double omp_get_wtick(void)
{
    return 1e-9;
}

int omp_get_cancellation(void)
{
    return 0;
}

int omp_in_final(void)
{
    return 0;
}

int omp_get_num_devices(void)
{
    return 0;
}

int omp_get_default_device(void)
{
    return 0;
}

int omp_is_initial_device(void)
{
    return 1;
}

int omp_get_initial_device(void)
{
    return 0;
}
