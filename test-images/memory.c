/*
 * memory -- the memory calls as libc's malloc and real programs use them:
 * brk growth and shrink, malloc of many sizes, realloc of big blocks
 * (mremap), PROT_NONE reservations opened by mprotect, MAP_FIXED inside a
 * reservation, partial munmap, MADV_DONTNEED reading back zero.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* The raw call: musl's sbrk() refuses non-zero increments. */
static char *brk_to(char *addr)
{
    return (char *)syscall(SYS_brk, addr);
}

static void test_brk(void)
{
    char *start = brk_to(0);
    CHECK(start != NULL);
    char *p = start;
    CHECK(brk_to(start + (1 << 20)) == start + (1 << 20));
    CHECK(all_zero((unsigned char *)p, 1 << 20));
    memset(p, 0xAB, 1 << 20);
    CHECK(brk_to(start + (1 << 19)) == start + (1 << 19));
    /* Growing again: the re-added half reads as zero. */
    CHECK(brk_to(start + (1 << 20)) == start + (1 << 20));
    CHECK(all_zero((unsigned char *)p + (1 << 19), 1 << 19));
    CHECK((unsigned char)p[0] == 0xAB);
    /* Below the start, or absurdly far: refused, the break stays. */
    CHECK(brk_to(start - 4096) == start + (1 << 20));
    CHECK(brk_to(start + (1L << 40)) == start + (1 << 20));
    CHECK(brk_to(start) == start);
}

static void test_malloc(void)
{
    void *blocks[512];
    for (int i = 0; i < 512; i++) {
        size_t n = (size_t)(i * 97 % 5000) + 1;
        blocks[i] = malloc(n);
        CHECK(blocks[i]);
        memset(blocks[i], i & 0xFF, n);
    }
    for (int i = 0; i < 512; i += 2)
        free(blocks[i]);
    for (int i = 1; i < 512; i += 2) {
        size_t n = (size_t)(i * 97 % 5000) + 1;
        CHECK(((unsigned char *)blocks[i])[n - 1] == (i & 0xFF));
        free(blocks[i]);
    }
    /* Large blocks come from mmap; realloc moves or grows them. */
    char *big = malloc(3 << 20);
    CHECK(big);
    memset(big, 7, 3 << 20);
    big = realloc(big, 9 << 20);
    CHECK(big && big[(3 << 20) - 1] == 7);
    memset(big, 9, 9 << 20);
    big = realloc(big, 1 << 20);
    CHECK(big && big[(1 << 20) - 1] == 9);
    free(big);
    void *z = calloc(1000, 1000);
    CHECK(z && all_zero(z, 1000 * 1000));
    free(z);
}

static void test_mmap(void)
{
    size_t page = 4096;
    /* A reservation, opened piece by piece, as a thread stack or a JIT would. */
    unsigned char *r = mmap(NULL, 64 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(r != MAP_FAILED);
    CHECK(mprotect(r + 8 * page, 16 * page, PROT_READ | PROT_WRITE) == 0);
    CHECK(all_zero(r + 8 * page, 16 * page));
    memset(r + 8 * page, 1, 16 * page);
    /* MAP_FIXED over part of it replaces that part with fresh zeroes. */
    unsigned char *f =
        mmap(r + 12 * page, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(f == r + 12 * page);
    CHECK(all_zero(f, 4 * page));
    CHECK(r[8 * page] == 1 && r[16 * page] == 1);
    /* A hole in the middle, then the rest. */
    CHECK(munmap(r + 20 * page, 2 * page) == 0);
    CHECK(munmap(r, 20 * page) == 0);
    CHECK(munmap(r + 22 * page, 42 * page) == 0);

    /* Read-only then writable again. */
    unsigned char *w = mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(w != MAP_FAILED && all_zero(w, 8 * page));
    w[0] = 42;
    CHECK(mprotect(w, 8 * page, PROT_READ) == 0);
    CHECK(w[0] == 42);
    CHECK(mprotect(w, 8 * page, PROT_READ | PROT_WRITE) == 0);
    w[1] = 43;
    /* DONTNEED: the contents go, the mapping stays. */
    CHECK(madvise(w, 8 * page, MADV_DONTNEED) == 0);
    CHECK(all_zero(w, 8 * page));
    CHECK(munmap(w, 8 * page) == 0);

    /* FIXED_NOREPLACE refuses an occupied range. */
    unsigned char *a = mmap(NULL, 4 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(a != MAP_FAILED);
    void *b = mmap(a, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(b == MAP_FAILED && errno == EEXIST);
    CHECK(munmap(a, 4 * page) == 0);

    /* mremap grows in place or moves, keeping the contents. */
    unsigned char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED);
    m[4 * page - 1] = 5;
    unsigned char *m2 = mremap(m, 4 * page, 64 * page, MREMAP_MAYMOVE);
    CHECK(m2 != MAP_FAILED && m2[4 * page - 1] == 5 && all_zero(m2 + 4 * page, 60 * page));
    CHECK(munmap(m2, 64 * page) == 0);

    /* Bad arguments. */
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
    CHECK(munmap((void *)1, page) == -1 && errno == EINVAL);
}

int main(void)
{
    test_brk();
    test_malloc();
    test_mmap();
    pass("memory");
    return 0;
}
