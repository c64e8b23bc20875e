/*
 * glibc -- an ordinary program linked with plain `gcc -static -pthread`
 * against Debian's glibc, run unchanged: its startup (rseq,
 * set_robust_list, prlimit64, RELRO mprotect, IRELATIVE and TLS setup),
 * stdio, malloc large and small, pthreads with a mutex, a condition
 * variable and TLS on every core, getrandom, clocks, sysconf, and files
 * (when the instance has an offload proxy: "glibc files").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define MAX_THREADS 128

static __thread long tls_slot = 42;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long total;
static int finished;
static int go;
static int cpus_used[256];

static void *worker(void *arg)
{
    long id = (long)arg;
    /* Held until every thread exists, so that they spread over the cores. */
    pthread_mutex_lock(&lock);
    while (!go)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    CHECK(tls_slot == 42);
    tls_slot = id;
    double acc = 0;
    for (int i = 1; i < 20000; i++)
        acc += sqrt((double)i) / i;
    int cpu = sched_getcpu();
    pthread_mutex_lock(&lock);
    total += id;
    if (cpu >= 0 && cpu < 256)
        cpus_used[cpu] = 1;
    finished++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    CHECK(tls_slot == id && acc > 1.0);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv)
{
    struct utsname u;
    CHECK(uname(&u) == 0);
    printf("glibc: %s on %s %s\n", gnu_get_libc_version(), u.sysname, u.machine);

    /* malloc: small (brk) and large (mmap), and realloc across them. */
    char *small = malloc(100), *big = malloc(8 << 20);
    CHECK(small && big);
    memset(big, 0x5A, 8 << 20);
    big = realloc(big, 16 << 20);
    CHECK(big && big[(8 << 20) - 1] == 0x5A);
    free(big);
    free(small);
    int *v = malloc(10000 * sizeof *v);
    for (int i = 0; i < 10000; i++)
        v[i] = (i * 7919) % 10007;
    qsort(v, 10000, sizeof *v, cmp);
    for (int i = 1; i < 10000; i++)
        CHECK(v[i - 1] <= v[i]);
    free(v);

    unsigned char rnd[32] = {0}, zero[32] = {0};
    CHECK(getrandom(rnd, sizeof rnd, 0) == sizeof rnd && memcmp(rnd, zero, sizeof rnd) != 0);

    struct timespec a, b;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    usleep(10000);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    long us = (b.tv_sec - a.tv_sec) * 1000000 + (b.tv_nsec - a.tv_nsec) / 1000;
    CHECK(us >= 10000);
    CHECK(time(0) > 1600000000);

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    cpu_set_t set;
    CHECK(sched_getaffinity(0, sizeof set, &set) == 0);
    printf("glibc: sysconf says %ld cores, affinity %d\n", cores, CPU_COUNT(&set));
    CHECK(CPU_COUNT(&set) >= 1);

    /* Threads: twice as many as cores. */
    int n = CPU_COUNT(&set) * 2;
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    pthread_t t[MAX_THREADS];
    for (long i = 0; i < n; i++)
        CHECK(pthread_create(&t[i], 0, worker, (void *)(i + 1)) == 0);
    pthread_mutex_lock(&lock);
    go = 1;
    pthread_cond_broadcast(&cond);
    while (finished < n)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < n; i++)
        CHECK(pthread_join(t[i], 0) == 0);
    CHECK(total == (long)n * (n + 1) / 2);
    int used = 0;
    for (int i = 0; i < 256; i++)
        used += cpus_used[i];
    printf("glibc: %d threads ran on %d cores\n", n, used);
    CHECK(used == CPU_COUNT(&set));

    if (argc > 1 && strcmp(argv[1], "files") == 0) {
        FILE *f = fopen("glibc-test.txt", "w");
        CHECK(f != 0);
        fprintf(f, "pi is about %.5f\n", 3.14159265);
        CHECK(fclose(f) == 0);
        char line[64] = {0};
        f = fopen("glibc-test.txt", "r");
        CHECK(f && fgets(line, sizeof line, f));
        fclose(f);
        CHECK(strcmp(line, "pi is about 3.14159\n") == 0);
        struct stat st;
        CHECK(stat("glibc-test.txt", &st) == 0 && st.st_size == 20);
        CHECK(unlink("glibc-test.txt") == 0);
        CHECK(access("glibc-test.txt", F_OK) == -1 && errno == ENOENT);
        printf("glibc: files ok\n");
    }
    pass("glibc");
    return 0;
}
