/*
 * epoll.c -- epoll as Linux defines it, over pipes, socketpairs, eventfds and
 * timerfds: data passed through, level- vs edge-triggered, EPOLLONESHOT and
 * re-arming, EPOLLRDHUP, EPOLLHUP, EPOLLOUT, registrations that follow the
 * open file (a dup keeps one, the last close drops it), timeouts, a blocking
 * wait woken by another thread, and the errors of epoll_create/ctl/wait.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "compat.h"

static int ep;

static int add(int fd, uint32_t events, uint64_t data)
{
    struct epoll_event e = {.events = events, .data.u64 = data};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

static int mod(int fd, uint32_t events, uint64_t data)
{
    struct epoll_event e = {.events = events, .data.u64 = data};
    return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
}

static int by_data(const void *a, const void *b)
{
    uint64_t x = ((const struct epoll_event *)a)->data.u64, y = ((const struct epoll_event *)b)->data.u64;
    return x < y ? -1 : x > y;
}

/* One wait, printed with its events sorted by data (the kernel's order is its own). */
static int wait_show(const char *label, int timeout)
{
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, 8, timeout);
    int e = errno;
    if (n < 0) {
        printf("%s: epoll_wait -> -1 %s\n", label, strerror(e));
        return n;
    }
    qsort(ev, (size_t)n, sizeof ev[0], by_data);
    printf("%s: %d event(s)", label, n);
    for (int i = 0; i < n; i++)
        printf(" [data 0x%llx events 0x%x]", (unsigned long long)ev[i].data.u64, ev[i].events);
    printf("\n");
    return n;
}

static int wake_fd;

static void *late_wake(void *arg)
{
    (void)arg;
    sleep_ms(50);
    uint64_t one = 1;
    CHECK(write(wake_fd, &one, sizeof one) == sizeof one);
    return NULL;
}

int main(void)
{
    SHOW("epoll_create(0)", epoll_create(0));
    SHOW("epoll_create1(bad flags)", epoll_create1(0x1));
    ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0);
    CHECK((fcntl(ep, F_GETFD) & FD_CLOEXEC) != 0);

    /* Level-triggered, data passed through. */
    int p[2];
    char buf[64];
    CHECK(pipe(p) == 0);
    SHOW("add pipe read end EPOLLIN", add(p[0], EPOLLIN, 0x1122334455667788ull));
    wait_show("empty pipe, timeout 0", 0);
    CHECK(write(p[1], "ab", 2) == 2);
    wait_show("after a write", 0);
    wait_show("level-triggered, not read yet", 0);
    CHECK(read(p[0], buf, sizeof buf) == 2);
    wait_show("after reading it all", 0);

    /* Errors of epoll_ctl. */
    SHOW("add again", add(p[0], EPOLLIN, 1));
    SHOW("mod an fd not in the set", mod(p[1], EPOLLOUT, 1));
    SHOW("del an fd not in the set", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
    SHOW("add a closed fd", add(999, EPOLLIN, 1));
    SHOW("add on a closed epfd", epoll_ctl(998, EPOLL_CTL_ADD, p[0], &(struct epoll_event){0}));
    SHOW("add the epfd to itself", add(ep, EPOLLIN, 1));
    SHOW("epfd that is a pipe", epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &(struct epoll_event){0}));
    SHOW("bad op", epoll_ctl(ep, 42, p[1], &(struct epoll_event){0}));
    SHOW("add with a NULL event", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[1], NULL));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    SHOW("add a directory", add(dir, EPOLLIN, 1));
    close(dir);
    struct epoll_event one;
    SHOW("epoll_wait maxevents 0", epoll_wait(ep, &one, 0, 0));
    SHOW("epoll_wait on a pipe", epoll_wait(p[0], &one, 1, 0));
    SHOW("epoll_wait on a closed fd", epoll_wait(997, &one, 1, 0));
    SHOW("del pipe read end", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));

    /* EPOLLOUT and EPOLLHUP. */
    SHOW("add pipe write end EPOLLOUT", add(p[1], EPOLLOUT, 2));
    wait_show("writable pipe", 0);
    SHOW("del", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
    SHOW("add pipe read end EPOLLIN", add(p[0], EPOLLIN, 3));
    close(p[1]);
    wait_show("writer closed", 0);
    close(p[0]);
    wait_show("the only fd of a registered pipe closed", 0);

    /* Edge-triggered. */
    CHECK(pipe(p) == 0);
    SHOW("add EPOLLIN|EPOLLET", add(p[0], EPOLLIN | EPOLLET, 4));
    CHECK(write(p[1], "a", 1) == 1);
    wait_show("edge: first write", 0);
    wait_show("edge: no new data", 0);
    CHECK(write(p[1], "b", 1) == 1);
    wait_show("edge: second write", 0);
    CHECK(read(p[0], buf, sizeof buf) == 2);

    /* One-shot, then re-armed with MOD. */
    SHOW("mod to EPOLLIN|EPOLLONESHOT", mod(p[0], EPOLLIN | EPOLLONESHOT, 5));
    CHECK(write(p[1], "c", 1) == 1);
    wait_show("oneshot: first", 0);
    wait_show("oneshot: disarmed", 0);
    SHOW("mod re-arms", mod(p[0], EPOLLIN | EPOLLONESHOT, 6));
    wait_show("oneshot: re-armed", 0);

    /* A registration follows the open file: a dup keeps it. */
    SHOW("mod to level-triggered EPOLLIN", mod(p[0], EPOLLIN, 7));
    int d = dup(p[0]);
    CHECK(d >= 0);
    close(p[0]);
    wait_show("original fd closed, a dup open", 0);
    SHOW("mod through the closed number", mod(p[0], EPOLLIN, 9));
    close(d);
    close(p[1]);

    /* EPOLLRDHUP on a socketpair. */
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    SHOW("add socket EPOLLIN|EPOLLRDHUP", add(sv[0], EPOLLIN | EPOLLRDHUP, 8));
    wait_show("socket idle", 0);
    CHECK(shutdown(sv[1], SHUT_WR) == 0);
    wait_show("peer shut down writing", 0);
    close(sv[1]);
    wait_show("peer closed", 0);
    SHOW("del", epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], NULL));
    close(sv[0]);

    /* A mix: eventfd, timerfd, socket, pipe; timeouts; a thread wakes a blocking wait. */
    int efd = eventfd(0, EFD_NONBLOCK);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    CHECK(efd >= 0 && tfd >= 0 && pipe(p) == 0 && socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
    CHECK(add(efd, EPOLLIN, 10) == 0 && add(tfd, EPOLLIN, 11) == 0 && add(sv[0], EPOLLIN, 12) == 0 &&
          add(p[0], EPOLLIN, 13) == 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    wait_show("mix: nothing ready, 100 ms", 100);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("mix: the 100 ms wait took >= 100 ms: %d\n", ms >= 100);
    struct itimerspec its = {.it_value = {0, 20 * 1000000}};
    CHECK(timerfd_settime(tfd, 0, &its, NULL) == 0);
    CHECK(send(sv[1], "d", 1, 0) == 1);
    CHECK(write(p[1], "p", 1) == 1);
    sleep_ms(40);
    wait_show("mix: timer, socket, pipe", 0);
    uint64_t v;
    CHECK(read(tfd, &v, sizeof v) == sizeof v);
    CHECK(recv(sv[0], buf, sizeof buf, 0) == 1);
    CHECK(read(p[0], buf, sizeof buf) == 1);
    wake_fd = efd;
    pthread_t th;
    CHECK(pthread_create(&th, NULL, late_wake, NULL) == 0);
    wait_show("mix: blocking wait woken by a thread's eventfd write", -1);
    CHECK(pthread_join(th, NULL) == 0);
    struct epoll_event ev[4];
    SHOW("epoll_pwait, no mask", epoll_pwait(ep, ev, 4, 0, NULL));
    CHECK(read(efd, &v, sizeof v) == sizeof v);

    /* stdout (a pipe natively, the node's output stream on a node): writable. */
    SHOW("add stdout EPOLLOUT|EPOLLIN", add(1, EPOLLOUT | EPOLLIN, 14));
    wait_show("stdout", 0);
    SHOW("del stdout", epoll_ctl(ep, EPOLL_CTL_DEL, 1, NULL));
    pass("epoll");
    return 0;
}
