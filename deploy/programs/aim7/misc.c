/*
 * misc.c -- AIM7's miscellaneous routines: matrix, sieve, series, sort,
 * string, trig, Newton-Raphson, arrays, number conversions, memory routines,
 * malloc, brk, pages, setjmp/longjmp and signals.  Pure computation except
 * the last four, which exercise the kernel (memory and signals, served by the
 * unikernel itself on Azalea, never offloaded).
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "aim7.h"

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static uint64_t matrix_rtns(const struct aim7_ctx *c)
{
    enum { N = 24 };
    static __thread double a[N][N], b[N][N], r[N][N];
    long n = aim7_loops(c, 40);
    double trace = 0;
    for (long it = 0; it < n; it++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                a[i][j] = (double)((i * 7 + j * 3 + it) % 11) - 5;
                b[i][j] = (double)((i * 5 + j * 13) % 7) - 3;
            }
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++)
                    s += a[i][k] * b[k][j];
                r[i][j] = s;
            }
        for (int i = 0; i < N; i++)
            trace += r[i][i];
    }
    return aim7_mix(dbits(trace));
}

static uint64_t sieve(const struct aim7_ctx *c)
{
    enum { LIMIT = 65536 };
    static __thread unsigned char composite[LIMIT];
    long n = aim7_loops(c, 8);
    uint64_t primes = 0;
    for (long it = 0; it < n; it++) {
        memset(composite, 0, sizeof composite);
        for (long i = 2; i < LIMIT; i++) {
            if (composite[i])
                continue;
            primes++;
            for (long j = i * i; j < LIMIT; j += i)
                composite[j] = 1;
        }
    }
    if (primes != (uint64_t)n * 6542)
        aim7_fail("sieve", "%llu primes", (unsigned long long)primes);
    return aim7_mix(primes);
}

/* series_1: exp(x) by its Taylor series, for x in [-2, 2]. */
static uint64_t series_1(const struct aim7_ctx *c)
{
    long n = aim7_loops(c, 2000);
    double total = 0;
    for (long it = 0; it < n; it++) {
        double x = -2.0 + 4.0 * (double)(it % 101) / 100.0, term = 1, sum = 1;
        for (int k = 1; k < 40; k++) {
            term *= x / k;
            sum += term;
        }
        total += sum;
    }
    return aim7_mix(dbits(total));
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static uint64_t sort_rtns_1(const struct aim7_ctx *c)
{
    enum { N = 4096 };
    static __thread long v[N];
    long n = aim7_loops(c, 8);
    uint64_t s = 0, lcg = 99;
    for (long it = 0; it < n; it++) {
        for (int i = 0; i < N; i++) {
            lcg = lcg * 6364136223846793005ULL + 1;
            v[i] = (long)(lcg >> 20);
        }
        qsort(v, N, sizeof v[0], cmp_long);
        for (int i = 1; i < N; i++)
            if (v[i - 1] > v[i])
                aim7_fail("sort_rtns_1", "not sorted");
        s += (uint64_t)v[N / 2];
    }
    return aim7_mix(s);
}

static uint64_t string_rtns(const struct aim7_ctx *c)
{
    char buf[256], word[32];
    long n = aim7_loops(c, 4000);
    uint64_t s = 0;
    for (long it = 0; it < n; it++) {
        snprintf(word, sizeof word, "w%ld-", it % 97);
        strcpy(buf, "azalea:");
        for (int k = 0; k < 8; k++)
            strcat(buf, word);
        s += strlen(buf) + (strstr(buf, "-w") != NULL) + (uint64_t)(strcmp(buf, "azalea:w1-") > 0);
        char *tok = strchr(buf, ':');
        s += tok ? (uint64_t)(tok - buf) : 0;
    }
    return aim7_mix(s);
}

static uint64_t trig_rtns(const struct aim7_ctx *c)
{
    long n = aim7_loops(c, 20000);
    double s = 0;
    for (long it = 0; it < n; it++) {
        double x = (double)(it % 628) / 100.0;
        s += sin(x) * cos(x) + atan(x) - tan(x / 4);
    }
    return aim7_mix(dbits(s));
}

/* new_raph: square roots by Newton-Raphson iteration. */
static uint64_t new_raph(const struct aim7_ctx *c)
{
    long n = aim7_loops(c, 20000);
    double s = 0;
    for (long it = 1; it <= n; it++) {
        double v = (double)it, x = v;
        for (int k = 0; k < 30; k++)
            x = 0.5 * (x + v / x);
        s += x;
    }
    return aim7_mix(dbits(s));
}

static uint64_t array_rtns(const struct aim7_ctx *c)
{
    enum { N = 8192 };
    static __thread int a[N], b[N];
    long n = aim7_loops(c, 40);
    uint64_t s = 0;
    for (long it = 0; it < n; it++) {
        for (int i = 0; i < N; i++)
            a[i] = (int)((i * 31 + it) & 1023);
        for (int i = 0; i < N; i++)
            b[N - 1 - i] = a[i] * 2;
        for (int i = 0; i < N; i++)
            s += (uint64_t)b[i];
    }
    return aim7_mix(s);
}

static uint64_t num_rtns_1(const struct aim7_ctx *c)
{
    char buf[64];
    long n = aim7_loops(c, 10000);
    uint64_t s = 0;
    for (long it = 0; it < n; it++) {
        snprintf(buf, sizeof buf, "%ld %lx", it * 37, it * 11);
        char *end;
        long a = strtol(buf, &end, 10), b = strtol(end, NULL, 16);
        if (a != it * 37 || b != it * 11)
            aim7_fail("num_rtns_1", "conversion of %ld", it);
        s += (uint64_t)(a + b + atoi(buf));
    }
    return aim7_mix(s);
}

static uint64_t mem_rtns_1(const struct aim7_ctx *c)
{
    enum { N = 16384 };
    static __thread char a[N], b[N];
    long n = aim7_loops(c, 200);
    uint64_t s = 0;
    for (long it = 0; it < n; it++) {
        memset(a, (int)(it & 0x7f), N);
        memcpy(b, a, N);
        memmove(b + 1, b, N - 1);
        s += (uint64_t)(memcmp(a, b, N) == 0) + (unsigned char)b[N - 1];
    }
    return aim7_mix(s);
}

pthread_mutex_t aim7_heap_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t mem_rtns_2(const struct aim7_ctx *c)
{
    long n = aim7_loops(c, 500);
    uint64_t s = 0;
    pthread_mutex_lock(&aim7_heap_lock);
    for (long it = 0; it < n; it++) {
        size_t len = 64 + (size_t)(it % 32) * 256;
        char *p = malloc(len);
        if (!p)
            aim7_fail("mem_rtns_2", "malloc %zu", len);
        memset(p, 1, len);
        s += len + (unsigned char)p[len - 1];
        free(p);
    }
    pthread_mutex_unlock(&aim7_heap_lock);
    return aim7_mix(s);
}

static uint64_t brk_test(const struct aim7_ctx *c)
{
    enum { STEP = 64 * 1024 };
    long n = aim7_loops(c, 50);
    uint64_t s = 0;
    pthread_mutex_lock(&aim7_heap_lock);
    for (long it = 0; it < n; it++) {
        /* musl's sbrk() refuses to move the break: the system call itself. */
        char *p = (char *)syscall(SYS_brk, 0);
        if ((char *)syscall(SYS_brk, p + STEP) != p + STEP)
            aim7_fail("brk_test", "brk(+%d)", STEP);
        for (int i = 0; i < STEP; i += 4096)
            p[i] = (char)i;
        s += (uint64_t)(unsigned char)p[4096];
        if ((char *)syscall(SYS_brk, p) != p)
            aim7_fail("brk_test", "brk(-%d)", STEP);
    }
    pthread_mutex_unlock(&aim7_heap_lock);
    return aim7_mix(s + 3);
}

static uint64_t page_test(const struct aim7_ctx *c)
{
    enum { LEN = 256 * 1024 };
    long n = aim7_loops(c, 50);
    uint64_t s = 0;
    for (long it = 0; it < n; it++) {
        char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            aim7_fail("page_test", "mmap");
        for (int i = 0; i < LEN; i += 4096)
            p[i] = (char)(i >> 12);
        for (int i = 0; i < LEN; i += 4096)
            s += (unsigned char)p[i];
        munmap(p, LEN);
    }
    return aim7_mix(s);
}

static __thread jmp_buf jump;

static uint64_t jmp_test(const struct aim7_ctx *c)
{
    long n = aim7_loops(c, 20000);
    volatile uint64_t s = 0;
    for (volatile long it = 0; it < n; it++) {
        int r = setjmp(jump);
        if (r == 0)
            longjmp(jump, (int)(it % 7) + 1);
        s += (uint64_t)r;
    }
    return aim7_mix(s);
}

static __thread volatile long signals_seen;

static void on_signal(int sig)
{
    (void)sig;
    signals_seen++;
}

static uint64_t signal_test(const struct aim7_ctx *c)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR1, &sa, NULL) != 0)
        aim7_fail("signal_test", "sigaction");
    long n = aim7_loops(c, 500);
    signals_seen = 0;
    for (long it = 0; it < n; it++)
        if (raise(SIGUSR1) != 0)
            aim7_fail("signal_test", "raise");
    if (signals_seen != n)
        aim7_fail("signal_test", "%ld of %ld signals delivered", signals_seen, n);
    return aim7_mix(0x5160 + (uint64_t)n);
}

const struct aim7_test aim7_misc_tests[] = {
    {"matrix_rtns", matrix_rtns}, {"sieve", sieve},
    {"series_1", series_1},       {"sort_rtns_1", sort_rtns_1},
    {"string_rtns", string_rtns}, {"trig_rtns", trig_rtns},
    {"new_raph", new_raph},       {"array_rtns", array_rtns},
    {"num_rtns_1", num_rtns_1},   {"mem_rtns_1", mem_rtns_1},
    {"mem_rtns_2", mem_rtns_2},   {"brk_test", brk_test},
    {"page_test", page_test},     {"jmp_test", jmp_test},
    {"signal_test", signal_test},
};
const size_t aim7_misc_count = sizeof aim7_misc_tests / sizeof aim7_misc_tests[0];
