/*
 * pipe_bench.c -- what a pipe costs (docs/architecture.md quotes it): a
 * write and a read of 64 bytes by one thread (blocking and O_NONBLOCK), an eventfd write and read,
 * and a one-byte ping-pong between two threads over two pipes, each
 * reported as the median of its rounds in microseconds.  Not a test: its
 * figures vary with the host.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 2000

static int ping[2], pong[2];

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v)
{
    qsort(v, ROUNDS, sizeof v[0], cmp);
    return v[ROUNDS / 2];
}

static void *echo(void *arg)
{
    (void)arg;
    char c;
    for (int i = 0; i < ROUNDS; i++)
        if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
            exit(1);
    return NULL;
}

int main(void)
{
    static double t[ROUNDS];
    char buf[64] = {0};
    if (pipe(ping) || pipe(pong))
        return 1;
    for (int i = 0; i < ROUNDS; i++) {
        double t0 = now_us();
        if (write(ping[1], buf, sizeof buf) != sizeof buf || read(ping[0], buf, sizeof buf) != sizeof buf)
            return 1;
        t[i] = now_us() - t0;
    }
    printf("pipe write+read 64 B, one thread: %.1f us\n", median(t));
    int nb[2];
    if (pipe2(nb, O_NONBLOCK))
        return 1;
    for (int i = 0; i < ROUNDS; i++) {
        double t0 = now_us();
        if (write(nb[1], buf, sizeof buf) != sizeof buf || read(nb[0], buf, sizeof buf) != sizeof buf)
            return 1;
        t[i] = now_us() - t0;
    }
    printf("O_NONBLOCK pipe write+read 64 B, one thread: %.1f us\n", median(t));
    int e = eventfd(0, 0);
    uint64_t v = 1;
    for (int i = 0; i < ROUNDS; i++) {
        double t0 = now_us();
        if (write(e, &v, 8) != 8 || read(e, &v, 8) != 8)
            return 1;
        t[i] = now_us() - t0;
    }
    printf("eventfd write+read: %.1f us\n", median(t));
    pthread_t th;
    pthread_create(&th, NULL, echo, NULL);
    for (int i = 0; i < ROUNDS; i++) {
        double t0 = now_us();
        if (write(ping[1], buf, 1) != 1 || read(pong[0], buf, 1) != 1)
            return 1;
        t[i] = now_us() - t0;
    }
    pthread_join(th, NULL);
    printf("pipe ping-pong between two threads: %.1f us\n", median(t));
    return 0;
}
