/*
 * pipes.c -- pipe and pipe2 as Linux defines them: data through, EAGAIN on
 * an empty non-blocking pipe, capacity and F_GETPIPE_SZ/F_SETPIPE_SZ, EOF
 * once the last writer closes, EPIPE once the last reader closes (and
 * SIGPIPE: caught, ignored, then its default action ends the program with
 * status 141 as the last step), blocking reads woken by another thread,
 * PIPE_BUF atomicity between concurrent writers, a pipe as stdout (dup2).
 * Every line is the same natively and on a node (CompatIT compares).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
    (void)sig;
    sigpipes++;
}

static int late_fd;

static void *late_writer(void *arg)
{
    (void)arg;
    sleep_ms(50);
    CHECK(write(late_fd, "late", 4) == 4);
    return NULL;
}

#define WRITERS 4
#define RECORDS 64
static int atomic_fd;

static void *record_writer(void *arg)
{
    char rec[PIPE_BUF];
    memset(rec, 'A' + (int)(long)arg, sizeof rec);
    for (int i = 0; i < RECORDS; i++)
        CHECK(write(atomic_fd, rec, sizeof rec) == (ssize_t)sizeof rec);
    return NULL;
}

static ssize_t read_full(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0)
            return r;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

int main(void)
{
    int p[2];
    char buf[PIPE_BUF];

    /* Data through, in order. */
    CHECK(pipe(p) == 0);
    CHECK(write(p[1], "hello, pipe", 11) == 11);
    CHECK(read(p[0], buf, sizeof buf) == 11);
    printf("pipe: read back '%.11s'\n", buf);
    CHECK((fcntl(p[0], F_GETFD) & FD_CLOEXEC) == 0);
    printf("pipe: F_GETFL read end O_NONBLOCK=%d\n", !!(fcntl(p[0], F_GETFL) & O_NONBLOCK));

    /* Blocking read woken by another thread. */
    late_fd = p[1];
    pthread_t t;
    CHECK(pthread_create(&t, NULL, late_writer, NULL) == 0);
    ssize_t n = read(p[0], buf, sizeof buf);
    CHECK(pthread_join(t, NULL) == 0);
    printf("pipe: blocking read woke with %zd bytes '%.4s'\n", n, buf);

    /* EOF once the last writer closes (a dup keeps it open). */
    int w2 = dup(p[1]);
    CHECK(w2 >= 0);
    close(p[1]);
    CHECK(write(w2, "x", 1) == 1);
    CHECK(read(p[0], buf, 1) == 1);
    close(w2);
    printf("pipe: read after the last writer closed -> %zd\n", read(p[0], buf, sizeof buf));
    close(p[0]);

    /* Non-blocking: EAGAIN both ways, the capacity, F_GETPIPE_SZ/F_SETPIPE_SZ. */
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    CHECK((fcntl(p[0], F_GETFD) & FD_CLOEXEC) != 0);
    CHECK((fcntl(p[1], F_GETFL) & O_NONBLOCK) != 0);
    SHOW("pipe2 O_NONBLOCK: empty read", read(p[0], buf, sizeof buf));
    SHOW("pipe2: F_GETPIPE_SZ", fcntl(p[1], F_GETPIPE_SZ));
    long total = 0;
    memset(buf, 'z', sizeof buf);
    for (;;) {
        ssize_t w = write(p[1], buf, sizeof buf);
        if (w < 0) {
            printf("pipe2: full after %ld bytes: %s\n", total, strerror(errno));
            break;
        }
        total += w;
    }
    SHOW("pipe2: 1-byte write to a full pipe", write(p[1], "y", 1));
    long drained = 0;
    while ((n = read(p[0], buf, sizeof buf)) > 0)
        drained += n;
    printf("pipe2: drained %ld bytes\n", drained);
    SHOW("pipe2: F_SETPIPE_SZ 8192", fcntl(p[1], F_SETPIPE_SZ, 8192));
    SHOW("pipe2: F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
    total = 0;
    while ((n = write(p[1], buf, 1000)) > 0)
        total += n;
    printf("pipe2: an 8192-byte pipe took %ld bytes in 1000-byte writes\n", total);
    close(p[0]);
    close(p[1]);

    /* Errors. */
    SHOW("pipe2 bad flags", pipe2(p, 0x1));
    SHOW("pipe bad pointer", syscall(SYS_pipe, 8L));
    int nf = open("/", O_RDONLY | O_DIRECTORY);
    CHECK(nf >= 0);
    SHOW("fcntl F_GETPIPE_SZ on a directory", fcntl(nf, F_GETPIPE_SZ));
    close(nf);

    /* PIPE_BUF atomicity: concurrent writers' records never interleave. */
    CHECK(pipe(p) == 0);
    atomic_fd = p[1];
    pthread_t wt[WRITERS];
    for (long i = 0; i < WRITERS; i++)
        CHECK(pthread_create(&wt[i], NULL, record_writer, (void *)i) == 0);
    int counts[WRITERS] = {0}, mixed = 0;
    for (int i = 0; i < WRITERS * RECORDS; i++) {
        CHECK(read_full(p[0], buf, sizeof buf) == (ssize_t)sizeof buf);
        for (size_t k = 1; k < sizeof buf; k++)
            if (buf[k] != buf[0])
                mixed++;
        CHECK(buf[0] >= 'A' && buf[0] < 'A' + WRITERS);
        counts[buf[0] - 'A']++;
    }
    for (int i = 0; i < WRITERS; i++)
        CHECK(pthread_join(wt[i], NULL) == 0);
    printf("pipe: %d writers x %d records of PIPE_BUF=%d: %d interleaved bytes, per writer %d %d %d %d\n", WRITERS,
           RECORDS, PIPE_BUF, mixed, counts[0], counts[1], counts[2], counts[3]);
    close(p[0]);
    close(p[1]);

    /* A pipe as stdout. */
    fflush(stdout);
    CHECK(pipe(p) == 0);
    int saved = dup(1);
    CHECK(dup2(p[1], 1) == 1);
    printf("this line went through the pipe");
    fflush(stdout);
    CHECK(dup2(saved, 1) == 1);
    close(saved);
    close(p[1]);
    n = read(p[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("pipe as stdout: captured '%s'\n", buf);
    close(p[0]);

    /* EPIPE: caught, ignored. */
    CHECK(signal(SIGPIPE, on_sigpipe) != SIG_ERR);
    CHECK(pipe(p) == 0);
    close(p[0]);
    SHOW("write with no reader, SIGPIPE caught", write(p[1], "x", 1));
    printf("handler ran %d time(s)\n", (int)sigpipes);
    CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
    SHOW("write with no reader, SIGPIPE ignored", write(p[1], "x", 1));
    printf("handler ran %d time(s)\n", (int)sigpipes);

    pass("pipes");
    /* Last: the default action of SIGPIPE ends the program (status 141). */
    CHECK(signal(SIGPIPE, SIG_DFL) != SIG_ERR);
    printf("writing with no reader, SIGPIPE default\n");
    fflush(stdout);
    n = write(p[1], "x", 1);
    printf("FAIL: still alive after SIGPIPE (write -> %zd %s)\n", n, strerror(errno));
    return 1;
}
