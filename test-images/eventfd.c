/*
 * eventfd.c -- eventfd and eventfd2 as Linux defines them: the counter adds
 * writes and a read takes it all (or one, with EFD_SEMAPHORE), EAGAIN when
 * zero (non-blocking) or when a write would overflow, EINVAL for a short
 * buffer, the value 2^64-1 or bad flags, poll readiness, and a blocking
 * read woken by another thread's write.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compat.h"

static int shared_fd;

static void *late_writer(void *arg)
{
    (void)arg;
    sleep_ms(50);
    uint64_t v = 42;
    CHECK(write(shared_fd, &v, sizeof v) == sizeof v);
    return NULL;
}

static long read_value(int fd)
{
    uint64_t v = 0;
    ssize_t n = read(fd, &v, sizeof v);
    return n < 0 ? -1 : (long)v;
}

static long write_value(int fd, uint64_t v)
{
    return write(fd, &v, sizeof v);
}

static int readable(int fd)
{
    struct pollfd p = {fd, POLLIN | POLLOUT, 0};
    CHECK(poll(&p, 1, 0) >= 0);
    return p.revents;
}

int main(void)
{
    int fd = eventfd(3, 0);
    CHECK(fd >= 0);
    SHOW("eventfd(3): read", read_value(fd));
    SHOW("write 5", write_value(fd, 5));
    SHOW("write 7", write_value(fd, 7));
    printf("poll with 12 in the counter: revents 0x%x\n", readable(fd));
    SHOW("read", read_value(fd));
    printf("poll with 0 in the counter: revents 0x%x\n", readable(fd));
    close(fd);

    fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    CHECK(fd >= 0);
    SHOW("EFD_NONBLOCK: read of 0", read_value(fd));
    uint32_t small;
    SHOW("4-byte write", write(fd, &small, sizeof small));
    SHOW("write 2^64-1", write_value(fd, UINT64_MAX));
    SHOW("write 2^64-2", write_value(fd, UINT64_MAX - 1));
    SHOW("write 1 more (would overflow)", write_value(fd, 1));
    printf("poll when full: revents 0x%x\n", readable(fd));
    SHOW("4-byte read", read(fd, &small, sizeof small));
    SHOW("read", read_value(fd) == (long)(UINT64_MAX - 1) ? 1 : 0);
    close(fd);

    fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
    CHECK(fd >= 0);
    SHOW("EFD_SEMAPHORE: read", read_value(fd));
    SHOW("EFD_SEMAPHORE: read", read_value(fd));
    SHOW("EFD_SEMAPHORE: read", read_value(fd));
    SHOW("EFD_SEMAPHORE: read", read_value(fd));
    close(fd);

    fd = eventfd(0, 0);
    CHECK(fd >= 0);
    shared_fd = fd;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, late_writer, NULL) == 0);
    SHOW("blocking read woken by a thread", read_value(fd));
    CHECK(pthread_join(t, NULL) == 0);
    close(fd);

    SHOW("eventfd2 bad flags", syscall(SYS_eventfd2, 0, 0x1234));
    SHOW("eventfd (no flags)", (fd = (int)syscall(SYS_eventfd, 9)) >= 0);
    SHOW("read", read_value(fd));
    close(fd);
    SHOW("read of a closed eventfd", read_value(fd));
    pass("eventfd");
    return 0;
}
