/*
 * azlib_test.c -- azlib's translation of pointers to GPAs, against the C
 * consumer serving a region inside a real /dev/shm file mapped twice (once
 * by the "host", once by az_host_open, as the proxy and the stub do).  The
 * consumer records each request, so the tests read the GPAs azlib sent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../host/arena.h"
#include "../host/azlib.h"
#include "check.h"
#include "ring_host.h"

enum { FILE_SIZE = 4 << 20, REGION_OFFSET = 0x2000 };
static const uint64_t GPA_BASE = 0x100000000ull;

struct shm_fixture {
    char path[64];
    char *host_map; /* the consumer's view */
    struct ring_host host;
    struct az_host stub;
    struct az_chan chan;
};

static int64_t record(struct ring_host *h, const struct az_sqe *req)
{
    (void)h;
    (void)req;
    return 42;
}

static struct shm_fixture *shm_setup(void)
{
    struct shm_fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/dev/shm/azalea-client-test-%d", (int)getpid());
    int fd = open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0 && ftruncate(fd, FILE_SIZE) == 0);
    f->host_map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    ring_host_format(f->host_map + REGION_OFFSET, GPA_BASE + REGION_OFFSET, 2, 16, 0);
    f->host.handle = record;
    ring_host_start(&f->host, f->host_map + REGION_OFFSET);
    char err[256];
    CHECK_EQ(az_host_open(&f->stub, f->path, GPA_BASE, REGION_OFFSET, err, sizeof err), 0);
    CHECK_EQ(az_chan_open(&f->stub.client, 0, &f->chan), AZ_CLIENT_OK);
    CHECK_EQ(azlib_bind(&f->stub, &f->chan, 64 * 1024), 0);
    return f;
}

static void shm_teardown(struct shm_fixture *f)
{
    ring_host_stop(&f->host);
    az_host_close(&f->stub);
    munmap(f->host_map, FILE_SIZE);
    unlink(f->path);
    free(f);
}

/* The GPA a pointer in the stub's mapping must travel as. */
static uint64_t gpa_of(struct shm_fixture *f, const void *p)
{
    return GPA_BASE + (uint64_t)((const char *)p - f->stub.map);
}

static void test_buffers_travel_as_gpas(void)
{
    struct shm_fixture *f = shm_setup();
    char *buf = arena_alloc(100);
    CHECK_EQ(az_read(3, buf, 100), 42);
    CHECK_EQ(f->host.last.opcode, AZ_OP_READ);
    CHECK_EQ(f->host.last.args[0], 3);
    CHECK_EQ(f->host.last.args[1], gpa_of(f, buf));
    CHECK_EQ(f->host.last.args[2], 100);
    CHECK_EQ(az_pwrite(4, buf, 10, 4096), 42);
    CHECK_EQ(f->host.last.args[3], 4096);

    /* Outside the arena: refused before anything is sent. */
    uint64_t served = f->host.served;
    char stack[16];
    CHECK_EQ(az_read(3, stack, sizeof stack), -EFAULT);
    CHECK_EQ(az_write(3, f->stub.map + REGION_OFFSET, 8), -EFAULT); /* the rings themselves */
    CHECK_EQ(az_read(3, buf, (size_t)1 << 40), -EFAULT);            /* runs off the mapping */
    CHECK_EQ(az_read(3, NULL, 0), 42);                              /* read(fd, NULL, 0) is legal */
    CHECK_EQ(f->host.served, served + 1);
    shm_teardown(f);
}

static void test_strings(void)
{
    struct shm_fixture *f = shm_setup();
    char *path = arena_str("dir/file");
    CHECK_EQ(az_openat(AT_FDCWD, path, O_RDONLY, 0), 42);
    CHECK_EQ(f->host.last.args[0], (uint64_t)(int64_t)AT_FDCWD); /* sign-extended, as a guest libc sends it */
    CHECK_EQ(f->host.last.args[1], gpa_of(f, path));
    CHECK_EQ(az_open("literal", O_RDONLY, 0), -EFAULT);
    /* A string whose NUL would lie past the end of the mapping. */
    char *end = f->stub.arena_hi - 4;
    memcpy(end, "abcd", 4);
    CHECK_EQ(az_unlink(end), -EFAULT);
    /* Longer than AZ_PATH_MAX. */
    char *longp = arena_alloc(AZ_PATH_MAX + 10);
    memset(longp, 'a', AZ_PATH_MAX + 5);
    CHECK_EQ(az_mkdir(longp, 0755), -ENAMETOOLONG);
    longp[AZ_PATH_MAX - 1] = 0;
    CHECK_EQ(az_mkdir(longp, 0755), 42);
    shm_teardown(f);
}

static void test_iovecs_carry_gpas(void)
{
    struct shm_fixture *f = shm_setup();
    char *a = arena_alloc(10), *b = arena_alloc(20);
    struct iovec iov[2] = {{a, 10}, {b, 20}}; /* the array itself may live anywhere */
    size_t mark = arena_mark();
    CHECK_EQ(az_readv(5, iov, 2), 42);
    CHECK_EQ(arena_mark(), mark); /* the GPA table was released */
    CHECK_EQ(f->host.last.args[2], 2);
    const uint64_t *table = (const uint64_t *)(f->stub.map + (f->host.last.args[1] - GPA_BASE));
    CHECK_EQ(table[0], gpa_of(f, a));
    CHECK_EQ(table[1], 10);
    CHECK_EQ(table[2], gpa_of(f, b));
    CHECK_EQ(table[3], 20);
    char stack[4];
    struct iovec bad[2] = {{a, 10}, {stack, 4}};
    CHECK_EQ(az_writev(5, bad, 2), -EFAULT);
    CHECK_EQ(az_writev(5, iov, AZ_IOV_MAX + 1), -EINVAL);
    CHECK_EQ(arena_mark(), mark);

    struct sockaddr_in *sa = arena_alloc(sizeof *sa);
    struct msghdr msg = {.msg_name = sa, .msg_namelen = sizeof *sa, .msg_iov = iov, .msg_iovlen = 2};
    CHECK_EQ(az_recvmsg(6, &msg, 0), 42);
    const struct msghdr *m = (const struct msghdr *)(f->stub.map + (f->host.last.args[1] - GPA_BASE));
    CHECK_EQ((uint64_t)(uintptr_t)m->msg_name, gpa_of(f, sa));
    CHECK_EQ(m->msg_iovlen, 2);
    table = (const uint64_t *)(f->stub.map + ((uint64_t)(uintptr_t)m->msg_iov - GPA_BASE));
    CHECK_EQ(table[2], gpa_of(f, b));
    msg.msg_controllen = 8;
    CHECK_EQ(az_sendmsg(6, &msg, 0), -EINVAL);
    shm_teardown(f);
}

static void test_optional_pointers(void)
{
    struct shm_fixture *f = shm_setup();
    CHECK_EQ(az_accept(7, NULL, NULL), 42);
    CHECK_EQ(f->host.last.args[1], 0);
    CHECK_EQ(f->host.last.args[2], 0);
    socklen_t *len = arena_alloc(sizeof *len);
    struct sockaddr_in *sa = arena_alloc(sizeof *sa);
    *len = sizeof *sa;
    CHECK_EQ(az_getsockname(7, (struct sockaddr *)sa, len), 42);
    CHECK_EQ(f->host.last.args[1], gpa_of(f, sa));
    CHECK_EQ(f->host.last.args[2], gpa_of(f, len));
    socklen_t stack_len = sizeof *sa;
    CHECK_EQ(az_getsockname(7, (struct sockaddr *)sa, &stack_len), -EFAULT);
    char *buf = arena_alloc(8);
    CHECK_EQ(az_send(7, buf, 8, 0), 42);
    CHECK_EQ(f->host.last.opcode, AZ_OP_SENDTO);
    CHECK_EQ(f->host.last.args[4], 0);
    shm_teardown(f);
}

static void test_host_open_errors(void)
{
    struct shm_fixture *f = shm_setup();
    struct az_host other;
    char err[256];
    CHECK_EQ(az_host_open(&other, f->path, GPA_BASE + 0x1000, REGION_OFFSET, err, sizeof err), -1);
    CHECK(strstr(err, "GPA") != NULL);
    CHECK_EQ(az_host_open(&other, f->path, GPA_BASE, REGION_OFFSET + 8, err, sizeof err), -1);
    CHECK_EQ(az_host_open(&other, f->path, GPA_BASE, 0, err, sizeof err), -1);
    CHECK(strstr(err, "bad magic") != NULL);
    CHECK_EQ(az_host_open(&other, "/dev/shm/azalea-no-such-file", GPA_BASE, 0, err, sizeof err), -1);
    /* The same region, attached a second time: channel 0 is quiescent, so it opens. */
    CHECK_EQ(az_host_open(&other, f->path, GPA_BASE, REGION_OFFSET, err, sizeof err), 0);
    struct az_chan ch;
    CHECK_EQ(az_chan_open(&other.client, 1, &ch), AZ_CLIENT_OK);
    CHECK_EQ(az_call(&ch, AZ_OP_NOP, 0, 0, 0, 0, 0, 0), 42);
    az_host_close(&other);
    shm_teardown(f);
}

const struct test azlib_tests[] = {
    {"azlib: buffers travel as GPAs, others are EFAULT", test_buffers_travel_as_gpas},
    {"azlib: strings inside the arena, NUL within reach", test_strings},
    {"azlib: iovec and msghdr copies carry GPAs", test_iovecs_carry_gpas},
    {"azlib: optional pointers are GPA 0", test_optional_pointers},
    {"az_host_open refuses wrong geometry", test_host_open_errors},
};
const int azlib_test_count = sizeof azlib_tests / sizeof azlib_tests[0];
