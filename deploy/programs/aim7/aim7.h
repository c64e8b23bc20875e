/*
 * aim7.h -- the AIM7-like workload's pieces: its tests (arith.c, disk.c,
 * net.c, misc.c), the workfile that weighs them (workfile.c) and the
 * jobs-per-minute arithmetic (jpm.c).  Written here after AIM7's structure
 * (a job is one pass through the workfile's weighted test list; users run
 * jobs concurrently); none of AIM7's (GPL) code is used.
 *
 * Every test returns a value computed from the work it did and nothing else
 * (no times, no addresses, no file descriptors), so a run's checksum is the
 * same on Azalea, in a Linux guest and natively.
 */
#ifndef AZALEA_AIM7_H
#define AZALEA_AIM7_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* What a test knows of its caller: its user (for private file names) and how
 * far loop counts are scaled down (1 = AIM7's own counts). */
struct aim7_ctx {
    int user;
    long scale;
    const char *dir;
};

struct aim7_test {
    const char *name;
    uint64_t (*run)(const struct aim7_ctx *c);
};

/* AIM7's loop count divided by the run's scale, at least 1. */
static inline long aim7_loops(const struct aim7_ctx *c, long aim7_count)
{
    long n = aim7_count / (c->scale > 0 ? c->scale : 1);
    return n > 0 ? n : 1;
}

/* Mixing for checksums: order-independent sums of mixed values. */
static inline uint64_t aim7_mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Every test, by name; NULL when there is none of that name. */
const struct aim7_test *aim7_find(const char *name);
extern const struct aim7_test aim7_arith_tests[], aim7_disk_tests[], aim7_net_tests[], aim7_misc_tests[];
extern const size_t aim7_arith_count, aim7_disk_count, aim7_net_count, aim7_misc_count;

/* malloc (also inside opendir) and brk_test share the program break: whoever
 * may move it holds this lock, so none moves it under another. */
extern pthread_mutex_t aim7_heap_lock;

/* Fails the whole run: a test whose result is wrong measured nothing. */
_Noreturn void aim7_fail(const char *test, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- workfile.c -------------------------------------------------------- */

#define AIM7_MAX_ENTRIES 128
#define AIM7_MAX_WEIGHT  1000

struct aim7_entry {
    char name[32];
    int weight; /* how many times the test runs in one job */
};

struct aim7_workfile {
    struct aim7_entry entries[AIM7_MAX_ENTRIES];
    int count;
    long tests_per_job; /* the sum of the weights */
};

/*
 * Parses a workfile: one "WEIGHT NAME" per line, '#' comments, blank lines.
 * Known test names are checked with known(name) (NULL: any name).  Returns 0,
 * or -1 with a message in err naming the line.
 */
int aim7_workfile_parse(const char *text, int (*known)(const char *), struct aim7_workfile *wf, char *err,
                        size_t errlen);

/* A job's test order for a user: every entry repeated by its weight, shuffled
 * with a generator seeded by (seed, user).  order has tests_per_job slots. */
void aim7_job_order(const struct aim7_workfile *wf, uint64_t seed, int user, int job, int *order);

/* --- jpm.c ------------------------------------------------------------- */

/* Jobs per minute: all users' jobs over the run's real time. */
double aim7_jpm(int users, long jobs_per_user, double real_seconds);

/* The jobs-timing index (0-100): 100 when every user took as long as the
 * mean, less as users' times spread: 100 * (1 - stddev / mean), at least 0. */
double aim7_jti(const double *user_seconds, int users);

#endif
