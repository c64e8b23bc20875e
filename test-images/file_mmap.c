/*
 * file_mmap: file-backed mmap as Linux gives it -- MAP_SHARED stores reach
 * the file (msync, munmap, exit) and every mapping of the same file range
 * sees them; MAP_PRIVATE stores never reach it; a mapping outlives its fd;
 * mprotect, partial munmap, mremap and madvise on file mappings; and the
 * errors mmap gives for unfit fds.  Prints one line per step, the same on
 * Linux and on Azalea (FileMmapIT compares); the files stay in the current
 * directory for the caller to check (fm_exit: written only by the exit;
 * with argument "kill", fm_kill: written only as SIGTERM ends the program).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define PG 4096

static int make_file(const char *name, size_t size, char fill)
{
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    char buf[PG];
    memset(buf, fill, sizeof buf);
    for (size_t done = 0; done < size;) {
        size_t n = size - done < PG ? size - done : PG;
        CHECK(write(fd, buf, n) == (ssize_t)n);
        done += n;
    }
    return fd;
}

static char at(int fd, off_t off)
{
    char c = 0;
    CHECK(pread(fd, &c, 1, off) == 1);
    return c;
}

static const char *err_name(void *p)
{
    if (p != MAP_FAILED)
        return "mapped";
    switch (errno) {
    case EACCES:
        return "EACCES";
    case EBADF:
        return "EBADF";
    case EINVAL:
        return "EINVAL";
    case ENODEV:
        return "ENODEV";
    case ENOMEM:
        return "ENOMEM";
    case EOVERFLOW:
        return "EOVERFLOW";
    default:
        return strerror(errno);
    }
}

static void shared_and_coherent(void)
{
    int fd = make_file("fm_data", 3 * PG, 'a');
    char *a = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(a != MAP_FAILED);
    CHECK(a[0] == 'a' && a[3 * PG - 1] == 'a');
    /* A second mapping of page 1, and a third of all of it through another fd. */
    char *b = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
    CHECK(b != MAP_FAILED && b != a + PG);
    int fd2 = open("fm_data", O_RDWR);
    CHECK(fd2 >= 0);
    char *c = mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, fd2, 0);
    CHECK(c != MAP_FAILED);
    a[100] = 'X';
    b[5] = 'Y';
    a[PG + 6] = 'Z';
    printf("coherent: a sees b %c, b sees a %c, c sees a %c and b %c\n", a[PG + 5], b[6], c[100], c[PG + 5]);
    CHECK(a[PG + 5] == 'Y' && b[6] == 'Z' && c[100] == 'X' && c[PG + 5] == 'Y');

    /* A private mapping made now starts from what the shared ones hold. */
    char *early = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(early != MAP_FAILED);
    printf("private sees shared stores: %c %c\n", early[100], early[PG + 5]);
    CHECK(early[100] == 'X' && early[PG + 5] == 'Y');
    CHECK(munmap(early, 2 * PG) == 0);
    CHECK(msync(a, 3 * PG, MS_SYNC) == 0);
    printf("after msync: %c %c %c\n", at(fd, 100), at(fd, PG + 5), at(fd, PG + 6));
    CHECK(at(fd, 100) == 'X' && at(fd, PG + 5) == 'Y' && at(fd, PG + 6) == 'Z');
    /* A page written back is written again after the next store to it. */
    a[102] = 'Q';
    CHECK(msync(a, 3 * PG, MS_ASYNC) == 0);
    printf("second store, second msync: %c\n", at(fd, 102));
    CHECK(at(fd, 102) == 'Q');

    /* Private: sees the file, keeps its own stores. */
    char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED);
    CHECK(p[100] == 'X');
    p[200] = 'P';
    CHECK(a[200] == 'a');
    CHECK(munmap(p, 3 * PG) == 0);
    printf("private store stays private: file %c, shared %c\n", at(fd, 200), a[200]);
    CHECK(at(fd, 200) == 'a');

    /* madvise(DONTNEED) keeps a shared file mapping's contents. */
    CHECK(madvise(b, PG, MADV_DONTNEED) == 0);
    printf("after DONTNEED: %c\n", b[5]);
    CHECK(b[5] == 'Y');

    /* mprotect: read-only, then writable again; PROT_NONE keeps the stores. */
    CHECK(mprotect(a, PG, PROT_READ) == 0);
    CHECK(a[100] == 'X');
    CHECK(mprotect(a, PG, PROT_READ | PROT_WRITE) == 0);
    a[101] = 'M';
    CHECK(mprotect(a, PG, PROT_NONE) == 0);
    CHECK(mprotect(a, PG, PROT_READ | PROT_WRITE) == 0);
    CHECK(a[101] == 'M');
    CHECK(munmap(a, 3 * PG) == 0);
    CHECK(munmap(b, PG) == 0);
    CHECK(c[101] == 'M'); /* the pages live while c maps them */
    CHECK(munmap(c, 3 * PG) == 0);
    printf("mprotect store reached the file: %c\n", at(fd, 101));
    CHECK(at(fd, 101) == 'M');

    /* A read-only fd: shared mappings stay read-only. */
    int ro = open("fm_data", O_RDONLY);
    CHECK(ro >= 0);
    char *r = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
    CHECK(r != MAP_FAILED);
    printf("read-only shared mapping: %c; mprotect(PROT_WRITE): %s\n", r[100],
           mprotect(r, PG, PROT_READ | PROT_WRITE) == 0 ? "allowed" : strerror(errno));
    CHECK(munmap(r, PG) == 0);
    close(ro);
    close(fd2);
    close(fd);
    pass("file_mmap shared");
}

static void munmap_and_close(void)
{
    /* munmap writes back. */
    int fd = make_file("fm_unmap", 2 * PG, 'u');
    char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    memcpy(m + PG + 10, "unmapped", 8);
    CHECK(munmap(m, 2 * PG) == 0);
    char buf[9] = {0};
    CHECK(pread(fd, buf, 8, PG + 10) == 8);
    printf("munmap wrote back: %s\n", buf);
    CHECK(strcmp(buf, "unmapped") == 0);
    close(fd);

    /* The mapping outlives close(). */
    fd = make_file("fm_close", PG, 'c');
    m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    CHECK(close(fd) == 0);
    memcpy(m + 20, "after-close", 11);
    CHECK(msync(m, PG, MS_SYNC) == 0);
    CHECK(munmap(m, PG) == 0);
    fd = open("fm_close", O_RDONLY);
    char b2[12] = {0};
    CHECK(pread(fd, b2, 11, 20) == 11);
    printf("stored after close: %s\n", b2);
    CHECK(strcmp(b2, "after-close") == 0);
    close(fd);

    /* Partial munmap: the middle goes, the ends stay and still write back. */
    fd = make_file("fm_part", 4 * PG, 'p');
    m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    m[PG] = '1';
    CHECK(munmap(m + PG, 2 * PG) == 0);
    m[0] = '0';
    m[3 * PG] = '3';
    CHECK(munmap(m, PG) == 0);
    CHECK(m[3 * PG] == '3');
    CHECK(munmap(m + 3 * PG, PG) == 0);
    printf("partial munmap: %c %c %c %c\n", at(fd, 0), at(fd, PG), at(fd, 2 * PG), at(fd, 3 * PG));
    CHECK(at(fd, 0) == '0' && at(fd, PG) == '1' && at(fd, 3 * PG) == '3');

    /* mremap: grow (may move), still shared with the file. */
    m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    char *g = mremap(m, PG, 3 * PG, MREMAP_MAYMOVE);
    CHECK(g != MAP_FAILED);
    printf("mremap grown: %c %c\n", g[0], g[2 * PG]);
    g[2 * PG + 1] = 'R';
    g = mremap(g, 3 * PG, 2 * PG, 0);
    CHECK(g != MAP_FAILED);
    CHECK(msync(g, 2 * PG, MS_SYNC) == 0);
    printf("mremap store: %c\n", at(fd, 2 * PG + 1));
    CHECK(at(fd, 2 * PG + 1) == 'R');
    CHECK(munmap(g, 2 * PG) == 0);

    /* mremap that must move (the next page is taken): still the file's pages,
     * still seen by another mapping of them. */
    m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    char *other = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(other != MAP_FAILED);
    CHECK(munmap(m + PG, PG) == 0);
    CHECK(mmap(m + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == m + PG);
    printf("mremap without MAYMOVE: %s\n", err_name(mremap(m, PG, 3 * PG, 0)));
    g = mremap(m, PG, 3 * PG, MREMAP_MAYMOVE);
    CHECK(g != MAP_FAILED && g != m);
    g[7] = 'V';
    printf("moved mapping: %c %c %c\n", g[0], g[2 * PG + 1], other[7]);
    CHECK(g[0] == '0' && g[2 * PG + 1] == 'R' && other[7] == 'V');
    CHECK(munmap(m + PG, PG) == 0);
    CHECK(munmap(g, 3 * PG) == 0);
    CHECK(munmap(other, PG) == 0);
    printf("moved mapping's store: %c\n", at(fd, 7));
    CHECK(at(fd, 7) == 'V');
    close(fd);

    /* write() to a mapped page the mapping has not stored to: the mapping sees
     * it after msync(MS_INVALIDATE) (on Linux at once), its own unsynced
     * stores in another page kept. */
    fd = make_file("fm_inval", 2 * PG, 'i');
    m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    m[0] = 'A';
    CHECK(pwrite(fd, "W", 1, PG + 10) == 1);
    CHECK(msync(m, 2 * PG, MS_INVALIDATE) == 0);
    printf("after MS_INVALIDATE: %c %c\n", m[0], m[PG + 10]);
    CHECK(m[0] == 'A' && m[PG + 10] == 'W');
    CHECK(munmap(m, 2 * PG) == 0);
    close(fd);

    /* The last page past the end of the file: zero, and never extends it. */
    fd = make_file("fm_short", 100, 's');
    m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    CHECK(m[99] == 's' && m[100] == 0 && m[PG - 1] == 0);
    m[50] = 'S';
    m[200] = 'T';
    CHECK(munmap(m, PG) == 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    printf("short file: size %ld, byte 50 %c\n", (long)st.st_size, at(fd, 50));
    CHECK(st.st_size == 100 && at(fd, 50) == 'S');
    close(fd);
    pass("file_mmap unmap");
}

/* Threads on two cores map the same file at once, each storing into its own
 * pages through its own mapping and unmapping it; every store reaches the file. */
enum { NTHREADS = 4 };

static void *thread_main(void *arg)
{
    long id = (long)arg;
    int fd = open("fm_threads", O_RDWR);
    CHECK(fd >= 0);
    for (int round = 0; round < 8; round++) {
        char *m = mmap(NULL, 2 * NTHREADS * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        CHECK(m != MAP_FAILED);
        m[id * PG + round] = (char)('A' + id);
        m[(NTHREADS + id) * PG + round] = (char)('a' + id);
        CHECK(munmap(m, 2 * NTHREADS * PG) == 0);
    }
    close(fd);
    return 0;
}

static void threads(void)
{
    int fd = make_file("fm_threads", 2 * NTHREADS * PG, '-');
    pthread_t t[NTHREADS];
    for (long i = 0; i < NTHREADS; i++)
        CHECK(pthread_create(&t[i], 0, thread_main, (void *)i) == 0);
    for (int i = 0; i < NTHREADS; i++)
        CHECK(pthread_join(t[i], 0) == 0);
    char line[2 * NTHREADS + 1] = {0};
    for (int i = 0; i < 2 * NTHREADS; i++) {
        char page[8];
        CHECK(pread(fd, page, 8, (off_t)i * PG) == 8);
        line[i] = page[7];
        for (int r = 0; r < 8; r++)
            CHECK(page[r] == (i < NTHREADS ? 'A' + i : 'a' + i - NTHREADS));
    }
    printf("threads' stores: %s\n", line);
    close(fd);
    pass("file_mmap threads");
}

static void errors(void)
{
    int fd = make_file("fm_err", PG, 'e');
    int ro = open("fm_err", O_RDONLY), wo = open("fm_err", O_WRONLY);
    CHECK(ro >= 0 && wo >= 0);
    printf("shared writable on O_RDONLY: %s\n", err_name(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0)));
    void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
    printf("private writable on O_RDONLY: %s\n", err_name(p));
    if (p != MAP_FAILED)
        munmap(p, PG);
    printf("on O_WRONLY: %s\n", err_name(mmap(NULL, PG, PROT_READ, MAP_SHARED, wo, 0)));
    printf("closed fd: %s\n", err_name(mmap(NULL, PG, PROT_READ, MAP_SHARED, 999, 0)));
    printf("private, closed fd: %s\n", err_name(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0)));
    printf("unaligned offset: %s\n", err_name(mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 100)));
    printf("zero length: %s\n", err_name(mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0)));
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(s >= 0);
    printf("socket: %s\n", err_name(mmap(NULL, PG, PROT_READ, MAP_SHARED, s, 0)));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(dir >= 0);
    printf("directory: %s\n", err_name(mmap(NULL, PG, PROT_READ, MAP_SHARED, dir, 0)));
    char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    printf("mremap huge old length: %s\n", err_name(mremap(m, ~0ul - (PG - 1), PG, 0)));
    printf("mremap huge new length: %s\n", err_name(mremap(m, PG, 1ul << 60, MREMAP_MAYMOVE)));
    printf("msync huge: %s\n", msync(m, ~0ul - (2 * PG - 1), MS_SYNC) ? strerror(errno) : "ok");
    printf("msync bad flags: %s\n", msync(m, PG, 8) ? strerror(errno) : "ok");
    printf("mmap offset wraps: %s\n", err_name(mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, ~0ul - (PG - 1))));
    printf("msync unaligned: %s\n", msync(m + 1, 10, MS_SYNC) ? strerror(errno) : "ok");
    printf("msync ASYNC|SYNC: %s\n", msync(m, PG, MS_SYNC | MS_ASYNC) ? strerror(errno) : "ok");
    CHECK(munmap(m, PG) == 0);
    printf("msync unmapped: %s\n", msync(m, PG, MS_SYNC) ? strerror(errno) : "ok");
    close(dir);
    close(s);
    close(wo);
    close(ro);
    close(fd);
    pass("file_mmap errors");
}

/* Stored, then killed by a signal's default action: Linux still writes the page back. */
static int killed(void)
{
    int fd = make_file("fm_kill", PG, '.');
    char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    memcpy(m, "written-at-kill", 15);
    printf("raising SIGTERM\n");
    fflush(stdout);
    raise(SIGTERM);
    return 1;
}

static long us_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000;
}

/* What msync costs: a store in every 16th page of 8 MiB, then in every page,
 * then none (timings differ from Linux's; FileMmapIT checks what was written). */
static int bench(void)
{
    enum { PAGES = 2048, STRIDE = 16 };
    int fd = make_file("fm_bench", (size_t)PAGES * PG, 'b');
    CHECK(fsync(fd) == 0); /* the file's own writes are not msync's to pay */
    char *m = mmap(NULL, (size_t)PAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    struct timespec t0;
    for (int i = 0; i < PAGES; i += STRIDE)
        m[(size_t)i * PG] = 's';
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(msync(m, (size_t)PAGES * PG, MS_SYNC) == 0);
    long sparse = us_since(&t0);
    for (int i = 0; i < PAGES; i++)
        m[(size_t)i * PG + 1] = 'f';
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(msync(m, (size_t)PAGES * PG, MS_SYNC) == 0);
    long full = us_since(&t0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(msync(m, (size_t)PAGES * PG, MS_SYNC) == 0);
    long clean = us_since(&t0);
    CHECK(at(fd, (off_t)STRIDE * PG) == 's' && at(fd, (off_t)(PAGES - 1) * PG + 1) == 'f');
    printf("msync of 8 MiB: %d dirty pages %ld us, %d dirty pages %ld us, none %ld us\n", PAGES / STRIDE, sparse, PAGES,
           full, clean);
    CHECK(munmap(m, (size_t)PAGES * PG) == 0);
    close(fd);
    pass("file_mmap bench");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "kill") == 0)
        return killed();
    if (argc > 1 && strcmp(argv[1], "bench") == 0)
        return bench();
    shared_and_coherent();
    munmap_and_close();
    threads();
    errors();
    /* Stored and never synced: the end of the program writes it back. */
    int fd = make_file("fm_exit", PG, '.');
    char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    close(fd);
    memcpy(m, "written-at-exit", 15);
    pass("file_mmap");
    return 0;
}
