/*
 * fileops_bench -- file-call throughput with THREADS threads, each in a
 * directory of its own: one "file op" is open(O_CREAT) + write 4 KiB +
 * close + stat + unlink.  The same static binary runs natively and in an
 * instance (bench, issue 13), so the offloaded curve can be set beside
 * the native one.  "null" mode counts empty offloaded round trips
 * (AZ_SYS_OFFLOAD_NOP) instead: in an instance only.
 *
 *   fileops_bench files|null THREADS MILLIS TAG
 *
 * Prints "fileops_per_s N" (or "null_ops_per_s N") and "threads N".
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "azalea/abi.h"
#include "check.h"

#define MAX_THREADS 256

struct worker {
    pthread_t thread;
    int id;
    long ops;
    char pad[64];
};

static struct worker workers[MAX_THREADS];
static int null_mode;
static const char *tag;
static volatile int go, stop;

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void file_op(const char *path, const char *buf)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    CHECK(fd >= 0);
    CHECK(write(fd, buf, 4096) == 4096);
    CHECK(close(fd) == 0);
    struct stat st;
    CHECK(stat(path, &st) == 0 && st.st_size == 4096);
    CHECK(unlink(path) == 0);
}

static void *run(void *arg)
{
    struct worker *w = arg;
    char dir[128], path[160];
    static const char buf[4096] = {1};
    snprintf(dir, sizeof dir, "fileops-%s-%d", tag, w->id);
    snprintf(path, sizeof path, "%s/f", dir);
    if (!null_mode)
        CHECK(mkdir(dir, 0700) == 0 || errno == EEXIST);
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        sched_yield();
    long n = 0;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        if (null_mode)
            CHECK(syscall(AZ_SYS_OFFLOAD_NOP) == 0);
        else
            file_op(path, buf);
        n++;
    }
    w->ops = n;
    if (!null_mode)
        CHECK(rmdir(dir) == 0);
    return 0;
}

int main(int argc, char **argv)
{
    CHECK(argc == 5);
    null_mode = strcmp(argv[1], "null") == 0;
    int threads = atoi(argv[2]);
    long millis = atol(argv[3]);
    tag = argv[4];
    CHECK(threads >= 1 && threads <= MAX_THREADS && millis > 0);
    for (int i = 0; i < threads; i++) {
        workers[i].id = i;
        CHECK(pthread_create(&workers[i].thread, 0, run, &workers[i]) == 0);
    }
    long long t0 = now_ns();
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    struct timespec d = {millis / 1000, (millis % 1000) * 1000000L};
    nanosleep(&d, 0);
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    long long t1 = now_ns();
    long total = 0;
    for (int i = 0; i < threads; i++) {
        CHECK(pthread_join(workers[i].thread, 0) == 0);
        total += workers[i].ops;
    }
    printf("%s %.0f\nthreads %d\n", null_mode ? "null_ops_per_s" : "fileops_per_s", total * 1e9 / (double)(t1 - t0),
           threads);
    pass("fileops_bench");
    return 0;
}
