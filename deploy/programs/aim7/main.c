/*
 * aim7 -- an AIM7-like multiuser workload (see aim7.h): USERS threads (a
 * unikernel has no fork) each run JOBS jobs; a job is one pass through the
 * workfile's tests, each repeated by its weight, in the user's own seeded
 * random order.  Prints jobs/min, the jobs-timing index and a checksum of
 * the work done, which is the same wherever the program runs.
 *
 *   aim7 [-u USERS] [-o FIRST_USER] [-j JOBS] [-s SCALE] [-d DIR] [-w FILE] [compute|shared]
 *
 * -s divides AIM7's loop counts (quick runs); -o numbers this process's users
 * from FIRST_USER (users split among instances keep their seeds and files);
 * -w reads a workfile instead of a built-in one.  The last line is
 *   aim7: result workfile=W users=U jobs=J tests=T seconds=S jpm=X jti=Y checksum=HEX
 * Exits 0 when every test's check held, 1 when one failed, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aim7.h"

#define MAX_USERS 1024
#define SEED      0xa2a1ea7ULL

const char *aim7_builtin_workfile(const char *name);

static struct aim7_workfile wf;
static const struct aim7_test *resolved[AIM7_MAX_ENTRIES];
static long jobs = 1, scale = 1;
static const char *dir = ".";
static pthread_barrier_t start_line;

struct user {
    pthread_t thread;
    int id;
    double seconds;
    uint64_t checksum;
};

_Noreturn void aim7_fail(const char *test, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "aim7: FAILED: %s: ", test);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (errno %d)\n", errno);
    va_end(ap);
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *user_main(void *arg)
{
    struct user *u = arg;
    struct aim7_ctx ctx = {.user = u->id, .scale = scale, .dir = dir};
    int *order = malloc(sizeof(int) * (size_t)wf.tests_per_job);
    if (!order)
        aim7_fail("user", "no memory for the job order");
    pthread_barrier_wait(&start_line);
    double t0 = now();
    for (long j = 0; j < jobs; j++) {
        aim7_job_order(&wf, SEED, u->id, (int)j, order);
        for (long k = 0; k < wf.tests_per_job; k++)
            u->checksum += resolved[order[k]]->run(&ctx);
    }
    u->seconds = now() - t0;
    free(order);
    return NULL;
}

static int known(const char *name)
{
    return aim7_find(name) != NULL;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    int whole = feof(f);
    fclose(f);
    if (!whole)
        return NULL;
    text[n] = 0;
    return text;
}

static long number(const char *opt, const char *text, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || end == text || v < min || v > max) {
        fprintf(stderr, "aim7: -%s %s: a number %ld..%ld\n", opt, text, min, max);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    int users = 1, first = 0, opt;
    const char *file = NULL;
    while ((opt = getopt(argc, argv, "u:o:j:s:d:w:")) != -1) {
        switch (opt) {
        case 'u':
            users = (int)number("u", optarg, 1, MAX_USERS);
            break;
        case 'o':
            first = (int)number("o", optarg, 0, 1 << 20);
            break;
        case 'j':
            jobs = number("j", optarg, 1, 1L << 30);
            break;
        case 's':
            scale = number("s", optarg, 1, 1L << 30);
            break;
        case 'd':
            dir = optarg;
            break;
        case 'w':
            file = optarg;
            break;
        default:
            fprintf(stderr, "usage: aim7 [-u USERS] [-o FIRST_USER] [-j JOBS] [-s SCALE] [-d DIR] [-w FILE] "
                            "[compute|shared]\n");
            return 2;
        }
    }
    const char *name = optind < argc ? argv[optind] : file ? file : "compute";
    const char *text = file ? read_text(file) : aim7_builtin_workfile(name);
    if (!text || (!file && optind < argc - 1) || (file && optind < argc)) {
        fprintf(stderr, "aim7: %s: %s\n", name,
                file ? "cannot read it (or larger than 64 KiB)" : "no such workfile (compute, shared or -w FILE)");
        return 2;
    }
    char err[160];
    if (aim7_workfile_parse(text, known, &wf, err, sizeof err) != 0) {
        fprintf(stderr, "aim7: workfile %s: %s\n", name, err);
        return 2;
    }
    for (int i = 0; i < wf.count; i++)
        resolved[i] = aim7_find(wf.entries[i].name);

    printf("aim7: workfile %s (%d tests, %ld per job), %d user%s, %ld job%s each, loop counts / %ld\n", name, wf.count,
           wf.tests_per_job, users, users == 1 ? "" : "s", jobs, jobs == 1 ? "" : "s", scale);
    fflush(stdout);
    static struct user all[MAX_USERS];
    pthread_barrier_init(&start_line, NULL, (unsigned)users + 1);
    for (int u = 0; u < users; u++) {
        all[u].id = first + u;
        if (pthread_create(&all[u].thread, NULL, user_main, &all[u]) != 0)
            aim7_fail("user", "cannot start user %d", u);
    }
    pthread_barrier_wait(&start_line);
    double t0 = now();
    for (int u = 0; u < users; u++)
        pthread_join(all[u].thread, NULL);
    double seconds = now() - t0;

    static double times[MAX_USERS];
    uint64_t checksum = 0;
    for (int u = 0; u < users; u++) {
        times[u] = all[u].seconds;
        checksum += all[u].checksum;
    }
    long tests = wf.tests_per_job * jobs * users;
    double jpm = aim7_jpm(users, jobs, seconds);
    printf("aim7: %ld tests passed in %.3f s (%.1f jobs/min)\n", tests, seconds, jpm);
    printf("aim7: result workfile=%s users=%d jobs=%ld tests=%ld seconds=%.6f jpm=%.3f jti=%.1f checksum=%016llx\n",
           name, users, jobs, tests, seconds, jpm, aim7_jti(times, users), (unsigned long long)checksum);
    return 0;
}
