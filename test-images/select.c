/*
 * select.c -- select and pselect6 as Linux defines them, over pipes,
 * socketpairs, eventfds and stdout: readable/writable bits, the sets
 * rewritten, the time left written back (raw system calls: libc may pass a
 * copy), a blocking select woken by another thread, EBADF for a set fd that
 * is not open, EINVAL for a negative nfds or a bad timeout, and an nfds
 * beyond the fd limit cut to it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compat.h"

static int late_fd;

static void *late_writer(void *arg)
{
    (void)arg;
    sleep_ms(50);
    CHECK(write(late_fd, "w", 1) == 1);
    return NULL;
}

static long raw_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
    return syscall(SYS_select, n, r, w, e, tv);
}

static void show_set(const char *label, fd_set *s, int n)
{
    printf("%s:", label);
    for (int fd = 0; fd < n; fd++)
        if (FD_ISSET(fd, s))
            printf(" %d", fd);
    printf("\n");
}

int main(void)
{
    int p[2], sv[2];
    CHECK(pipe(p) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    int efd = eventfd(0, 0);
    CHECK(efd >= 0);
    int n = efd + 1;
    printf("fds: pipe %d %d, socketpair %d %d, eventfd %d\n", p[0], p[1], sv[0], sv[1], efd);

    fd_set r, w, e;
    struct timeval tv = {0, 0};
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(p[0], &r);
    FD_SET(sv[0], &r);
    FD_SET(efd, &r);
    FD_SET(p[0], &e);
    SHOW("nothing readable, timeout 0", raw_select(n, &r, NULL, &e, &tv));
    show_set("  read set", &r, n);

    FD_ZERO(&r);
    FD_SET(p[0], &r);
    FD_SET(sv[0], &r);
    FD_SET(efd, &r);
    FD_SET(p[1], &w);
    FD_SET(sv[1], &w);
    FD_SET(1, &w);
    CHECK(write(p[1], "x", 1) == 1);
    uint64_t one = 1;
    CHECK(write(efd, &one, sizeof one) == sizeof one);
    SHOW("pipe and eventfd readable; pipe, socket, stdout writable", raw_select(n, &r, &w, NULL, &tv));
    show_set("  read set", &r, n);
    show_set("  write set", &w, n);
    char buf[16];
    CHECK(read(p[0], buf, sizeof buf) == 1);
    CHECK(read(efd, &one, sizeof one) == sizeof one);

    /* Timeouts: expiry writes back zero; a wake-up writes back the time left. */
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv = (struct timeval){0, 50000};
    SHOW("empty pipe, 50 ms", raw_select(n, &r, NULL, NULL, &tv));
    printf("  time left %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
    FD_SET(p[0], &r);
    struct timespec ts = {0, 30 * 1000000};
    SHOW("pselect6 empty pipe, 30 ms", syscall(SYS_pselect6, n, &r, NULL, NULL, &ts, NULL));
    printf("  time left %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
    late_fd = p[1];
    pthread_t t;
    CHECK(pthread_create(&t, NULL, late_writer, NULL) == 0);
    FD_SET(p[0], &r);
    tv = (struct timeval){5, 0};
    SHOW("blocking select woken by a thread", raw_select(n, &r, NULL, NULL, &tv));
    CHECK(pthread_join(t, NULL) == 0);
    printf("  time left within (4 s, 5 s): %d\n", tv.tv_sec == 4 || (tv.tv_sec == 5 && tv.tv_usec == 0) ? 1 : 0);
    CHECK(read(p[0], buf, sizeof buf) == 1);
    FD_SET(p[0], &r);
    SHOW("libc select, NULL sets but one, 10 ms", select(n, &r, NULL, NULL, &(struct timeval){0, 10000}));

    /* A closed peer: readable (EOF). */
    close(sv[1]);
    FD_ZERO(&r);
    FD_SET(sv[0], &r);
    SHOW("peer closed: readable", raw_select(n, &r, NULL, NULL, &(struct timeval){0, 0}));
    show_set("  read set", &r, n);

    /* Errors and limits. */
    FD_ZERO(&r);
    FD_SET(20, &r);
    SHOW("a set fd that is not open", raw_select(21, &r, NULL, NULL, &(struct timeval){0, 0}));
    SHOW("negative nfds", raw_select(-1, NULL, NULL, NULL, &(struct timeval){0, 0}));
    SHOW("tv_usec -1", raw_select(0, NULL, NULL, NULL, &(struct timeval){0, -1}));
    SHOW("tv_sec -1", raw_select(0, NULL, NULL, NULL, &(struct timeval){-1, 0}));
    SHOW("pselect6 tv_nsec 1e9", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &(struct timespec){0, 1000000000}, NULL));
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    SHOW("nfds 5000 (cut to the fd limit)", raw_select(5000, NULL, &w, NULL, &(struct timeval){0, 0}));
    SHOW("no fds, 20 ms (a sleep)", raw_select(0, NULL, NULL, NULL, &(struct timeval){0, 20000}));
    SHOW("bad set pointer", raw_select(n, (fd_set *)8, NULL, NULL, &(struct timeval){0, 0}));
    pass("select");
    return 0;
}
