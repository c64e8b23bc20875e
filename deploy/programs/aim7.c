/*
 * aim7 -- an AIM7-like workload for one unikernel: the suite's arithmetic
 * tests (add, multiply, divide on int, short, long, float and double), each a
 * timed loop whose result is checked, and with the "shared" mix also its disk
 * tests (sequential write and read back, copy, create-close-unlink) through
 * the offloaded file calls.  AIM7 runs many "users" at once; a unikernel
 * instance has one thread, so users run one after another.
 *
 *   aim7 [-u USERS] [-n ITERATIONS] compute|shared
 *
 * Prints one line per test and a summary; exits 0 when every check held.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "workload.h"

static const char *P = "aim7";

/* One arithmetic test per type and operation: the loop the compiler must keep
 * (volatile operands), and a result checked against the closed form. */
#define ARITH_TESTS(T, NAME)                                                                                           \
    static void add_##NAME(long n)                                                                                     \
    {                                                                                                                  \
        volatile T one = 1;                                                                                            \
        T acc = 0;                                                                                                     \
        long long t0 = now_ns();                                                                                       \
        for (long i = 0; i < n; i++)                                                                                   \
            acc += one;                                                                                                \
        report(P, "add_" #NAME, n, now_ns() - t0);                                                                     \
        if ((long)acc != (long)(T)n)                                                                                   \
            FAIL(P, "add_" #NAME ": %ld, expected %ld", (long)acc, (long)(T)n);                                        \
    }                                                                                                                  \
    static void mul_##NAME(long n)                                                                                     \
    {                                                                                                                  \
        volatile T factor = 1;                                                                                         \
        T acc = 3;                                                                                                     \
        long long t0 = now_ns();                                                                                       \
        for (long i = 0; i < n; i++)                                                                                   \
            acc *= factor;                                                                                             \
        report(P, "mul_" #NAME, n, now_ns() - t0);                                                                     \
        if (acc != 3)                                                                                                  \
            FAIL(P, "mul_" #NAME ": %ld, expected 3", (long)acc);                                                      \
    }                                                                                                                  \
    static void div_##NAME(long n)                                                                                     \
    {                                                                                                                  \
        volatile T divisor = 1;                                                                                        \
        T acc = 7;                                                                                                     \
        long long t0 = now_ns();                                                                                       \
        for (long i = 0; i < n; i++)                                                                                   \
            acc /= divisor;                                                                                            \
        report(P, "div_" #NAME, n, now_ns() - t0);                                                                     \
        if (acc != 7)                                                                                                  \
            FAIL(P, "div_" #NAME ": %ld, expected 7", (long)acc);                                                      \
    }

ARITH_TESTS(int, int)
ARITH_TESTS(short, short)
ARITH_TESTS(long, long)
ARITH_TESTS(float, float)
ARITH_TESTS(double, double)

static void compute(long n)
{
    void (*tests[])(long) = {add_int,  mul_int,   div_int,   add_short, mul_short,  div_short,  add_long,  mul_long,
                             div_long, add_float, mul_float, div_float, add_double, mul_double, div_double};
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
        tests[i](n);
}

/* disk_rw: write a file in 4 KiB blocks, read it back, compare. */
static void disk_rw(int user, long blocks)
{
    char name[32], block[4096], back[4096];
    snprintf(name, sizeof name, "aim7-u%d.dat", user);
    long long t0 = now_ns();
    int fd = open(name, O_CREAT | O_TRUNC | O_RDWR, 0644);
    if (fd < 0)
        FAIL(P, "open %s", name);
    for (long b = 0; b < blocks; b++) {
        memset(block, 'a' + (int)(b % 26), sizeof block);
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
            FAIL(P, "write block %ld", b);
    }
    if (lseek(fd, 0, SEEK_SET) != 0)
        FAIL(P, "lseek");
    for (long b = 0; b < blocks; b++) {
        memset(block, 'a' + (int)(b % 26), sizeof block);
        if (read(fd, back, sizeof back) != (ssize_t)sizeof back || memcmp(block, back, sizeof back) != 0) {
            FAIL(P, "read back block %ld", b);
        }
    }
    close(fd);
    report(P, "disk_rw", blocks * 2, now_ns() - t0);
}

/* disk_cp: copy the file, check the copy's size. */
static void disk_cp(int user, long blocks)
{
    char from[32], to[32], buf[4096];
    snprintf(from, sizeof from, "aim7-u%d.dat", user);
    snprintf(to, sizeof to, "aim7-u%d.copy", user);
    long long t0 = now_ns();
    int in = open(from, O_RDONLY), out = open(to, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (in < 0 || out < 0)
        FAIL(P, "open for copy");
    ssize_t n;
    long ops = 0;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, n) != n)
            FAIL(P, "copy write");
        ops += 2;
    }
    close(in);
    close(out);
    struct stat st;
    if (stat(to, &st) != 0 || st.st_size != blocks * 4096)
        FAIL(P, "copy has the wrong size");
    report(P, "disk_cp", ops, now_ns() - t0);
}

/* creat-clo: create, close and unlink files. */
static void creat_clo(int user, long n)
{
    char name[48];
    long long t0 = now_ns();
    for (long i = 0; i < n; i++) {
        snprintf(name, sizeof name, "aim7-u%d-tmp%ld", user, i);
        int fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
        if (fd < 0 || close(fd) != 0 || unlink(name) != 0)
            FAIL(P, "creat-clo %s", name);
    }
    report(P, "creat-clo", n * 3, now_ns() - t0);
}

int main(int argc, char **argv)
{
    int users = 1;
    long n = 200000;
    int opt;
    while ((opt = getopt(argc, argv, "u:n:")) != -1) {
        if (opt == 'u')
            users = atoi(optarg);
        else if (opt == 'n')
            n = atol(optarg);
        else
            return 2;
    }
    if (optind != argc - 1 || users < 1 || n < 1) {
        fprintf(stderr, "usage: aim7 [-u USERS] [-n ITERATIONS] compute|shared\n");
        return 2;
    }
    const char *mix = argv[optind];
    int shared = strcmp(mix, "shared") == 0;
    if (!shared && strcmp(mix, "compute") != 0)
        FAIL(P, "unknown mix '%s'", mix);

    printf("aim7: %s mix, %d user%s, %ld iterations per arithmetic test\n", mix, users, users == 1 ? "" : "s", n);
    long long t0 = now_ns();
    int tests = 0;
    for (int u = 0; u < users; u++) {
        compute(n);
        tests += 15;
        if (shared) {
            disk_rw(u, 64);
            disk_cp(u, 64);
            creat_clo(u, 32);
            char name[32];
            snprintf(name, sizeof name, "aim7-u%d.dat", u);
            unlink(name);
            snprintf(name, sizeof name, "aim7-u%d.copy", u);
            unlink(name);
            tests += 3;
        }
    }
    double s = (now_ns() - t0) / 1e9;
    printf("aim7: %d tests passed in %.3f s (%.0f jobs/min)\n", tests, s, s > 0 ? users * 60 / s : 0.0);
    return 0;
}
