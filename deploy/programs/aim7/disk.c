/*
 * disk.c -- AIM7's file tests through the file system calls (offloaded to
 * the full-weight kernel on Azalea): sequential write, read and copy, random
 * read and write, synced variants, directory search, link/unlink and
 * creat-close.  Each test makes its own files (named by user and test, so
 * users never share one), checks what it reads back, and removes them.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aim7.h"

#define BLOCK       4096
#define FILE_BLOCKS 32 /* 128 KiB per file */

static void path_of(const struct aim7_ctx *c, const char *test, const char *what, char *out, size_t len)
{
    snprintf(out, len, "%s/aim7-u%d-%s%s", c->dir, c->user, test, what);
}

static void fill(char *block, long b)
{
    for (int i = 0; i < BLOCK; i += 8)
        memcpy(block + i, &(uint64_t){aim7_mix((uint64_t)b * BLOCK + i)}, 8);
}

static uint64_t sum_block(const char *block)
{
    uint64_t s = 0;
    for (int i = 0; i < BLOCK; i += 8) {
        uint64_t w;
        memcpy(&w, block + i, 8);
        s += w;
    }
    return s;
}

static int open_or_fail(const char *test, const char *path, int flags)
{
    int fd = open(path, flags, 0644);
    if (fd < 0)
        aim7_fail(test, "open %s failed", path);
    return fd;
}

/* Writes the standard file: FILE_BLOCKS blocks, fsync after each if asked. */
static void write_file(const char *test, const char *path, int sync)
{
    char block[BLOCK];
    int fd = open_or_fail(test, path, O_CREAT | O_TRUNC | O_WRONLY);
    for (long b = 0; b < FILE_BLOCKS; b++) {
        fill(block, b);
        if (write(fd, block, BLOCK) != BLOCK)
            aim7_fail(test, "write block %ld", b);
        if (sync && fsync(fd) != 0)
            aim7_fail(test, "fsync");
    }
    if (close(fd) != 0)
        aim7_fail(test, "close");
}

/* Reads a standard file back, checking every block. */
static uint64_t read_file(const char *test, const char *path)
{
    char block[BLOCK], want[BLOCK];
    uint64_t s = 0;
    int fd = open_or_fail(test, path, O_RDONLY);
    for (long b = 0; b < FILE_BLOCKS; b++) {
        fill(want, b);
        if (read(fd, block, BLOCK) != BLOCK || memcmp(block, want, BLOCK) != 0)
            aim7_fail(test, "block %ld read back wrong", b);
        s += sum_block(block);
    }
    close(fd);
    return s;
}

static void remove_or_fail(const char *test, const char *path)
{
    if (unlink(path) != 0)
        aim7_fail(test, "unlink %s", path);
}

static uint64_t disk_wrt_common(const struct aim7_ctx *c, const char *test, int sync, long count)
{
    char path[256];
    path_of(c, test, "", path, sizeof path);
    long n = aim7_loops(c, count);
    for (long i = 0; i < n; i++)
        write_file(test, path, sync);
    uint64_t s = read_file(test, path);
    remove_or_fail(test, path);
    return aim7_mix((uint64_t)n) + s;
}

static uint64_t disk_wrt(const struct aim7_ctx *c)
{
    return disk_wrt_common(c, "disk_wrt", 0, 4);
}

static uint64_t sync_disk_wrt(const struct aim7_ctx *c)
{
    return disk_wrt_common(c, "sync_disk_wrt", 1, 1);
}

static uint64_t disk_rd(const struct aim7_ctx *c)
{
    char path[256];
    path_of(c, "disk_rd", "", path, sizeof path);
    write_file("disk_rd", path, 0);
    long n = aim7_loops(c, 8);
    uint64_t s = 0;
    for (long i = 0; i < n; i++)
        s += read_file("disk_rd", path);
    remove_or_fail("disk_rd", path);
    return s;
}

static uint64_t copy_common(const struct aim7_ctx *c, const char *test, int sync, long count)
{
    char from[256], to[256], block[BLOCK];
    path_of(c, test, ".from", from, sizeof from);
    path_of(c, test, ".to", to, sizeof to);
    write_file(test, from, 0);
    long n = aim7_loops(c, count);
    for (long i = 0; i < n; i++) {
        int in = open_or_fail(test, from, O_RDONLY), out = open_or_fail(test, to, O_CREAT | O_TRUNC | O_WRONLY);
        ssize_t got;
        while ((got = read(in, block, BLOCK)) > 0)
            if (write(out, block, (size_t)got) != got)
                aim7_fail(test, "copy write");
        if (sync && fsync(out) != 0)
            aim7_fail(test, "fsync");
        close(in);
        close(out);
    }
    uint64_t s = read_file(test, to);
    remove_or_fail(test, from);
    remove_or_fail(test, to);
    return aim7_mix((uint64_t)n + 1) + s;
}

static uint64_t disk_cp(const struct aim7_ctx *c)
{
    return copy_common(c, "disk_cp", 0, 4);
}

static uint64_t sync_disk_cp(const struct aim7_ctx *c)
{
    return copy_common(c, "sync_disk_cp", 1, 1);
}

/* Random block reads (rr) or writes (rw) with pread/pwrite at LCG offsets. */
static uint64_t random_common(const struct aim7_ctx *c, const char *test, int writing, int sync, long count)
{
    char path[256], block[BLOCK], want[BLOCK];
    path_of(c, test, "", path, sizeof path);
    write_file(test, path, 0);
    int fd = open_or_fail(test, path, O_RDWR);
    long n = aim7_loops(c, count);
    uint64_t s = 0, lcg = 12345;
    for (long i = 0; i < n; i++) {
        lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
        long b = (long)((lcg >> 33) % FILE_BLOCKS);
        fill(want, b);
        if (writing) {
            if (pwrite(fd, want, BLOCK, b * BLOCK) != BLOCK)
                aim7_fail(test, "pwrite block %ld", b);
            if (sync && fdatasync(fd) != 0)
                aim7_fail(test, "fdatasync");
        } else {
            if (pread(fd, block, BLOCK, b * BLOCK) != BLOCK || memcmp(block, want, BLOCK) != 0)
                aim7_fail(test, "pread block %ld wrong", b);
        }
        s += (uint64_t)b;
    }
    close(fd);
    s += read_file(test, path);
    remove_or_fail(test, path);
    return s;
}

static uint64_t disk_rr(const struct aim7_ctx *c)
{
    return random_common(c, "disk_rr", 0, 0, 256);
}

static uint64_t disk_rw(const struct aim7_ctx *c)
{
    return random_common(c, "disk_rw", 1, 0, 256);
}

static uint64_t sync_disk_rw(const struct aim7_ctx *c)
{
    return random_common(c, "sync_disk_rw", 1, 1, 16);
}

/* disk_src: a directory of 32 files, searched for each name in turn. */
static uint64_t disk_src(const struct aim7_ctx *c)
{
    char dir[256], path[320];
    path_of(c, "disk_src", ".d", dir, sizeof dir);
    if (mkdir(dir, 0755) != 0)
        aim7_fail("disk_src", "mkdir %s", dir);
    enum { FILES = 32 };
    for (int f = 0; f < FILES; f++) {
        snprintf(path, sizeof path, "%s/entry%02d", dir, f);
        close(open_or_fail("disk_src", path, O_CREAT | O_WRONLY));
    }
    long n = aim7_loops(c, 4);
    uint64_t found = 0;
    for (long i = 0; i < n; i++) {
        for (int f = 0; f < FILES; f += 4) {
            char want[16];
            snprintf(want, sizeof want, "entry%02d", f);
            pthread_mutex_lock(&aim7_heap_lock);
            DIR *d = opendir(dir);
            if (!d)
                aim7_fail("disk_src", "opendir");
            struct dirent *e;
            while ((e = readdir(d)) != NULL)
                if (strcmp(e->d_name, want) == 0)
                    found += (uint64_t)f + 1;
            closedir(d);
            pthread_mutex_unlock(&aim7_heap_lock);
        }
    }
    for (int f = 0; f < FILES; f++) {
        snprintf(path, sizeof path, "%s/entry%02d", dir, f);
        remove_or_fail("disk_src", path);
    }
    if (rmdir(dir) != 0)
        aim7_fail("disk_src", "rmdir");
    if (found != (uint64_t)n * (1 + 5 + 9 + 13 + 17 + 21 + 25 + 29))
        aim7_fail("disk_src", "found %llu", (unsigned long long)found);
    return aim7_mix(found);
}

/* link_test: link a file to a second name and unlink it again. */
static uint64_t link_test(const struct aim7_ctx *c)
{
    char path[256], other[256];
    path_of(c, "link_test", "", path, sizeof path);
    path_of(c, "link_test", ".ln", other, sizeof other);
    close(open_or_fail("link_test", path, O_CREAT | O_TRUNC | O_WRONLY));
    long n = aim7_loops(c, 64);
    for (long i = 0; i < n; i++) {
        struct stat st;
        if (link(path, other) != 0 || stat(path, &st) != 0 || st.st_nlink != 2 || unlink(other) != 0)
            aim7_fail("link_test", "link/stat/unlink round %ld", i);
    }
    remove_or_fail("link_test", path);
    return aim7_mix(0x1111 + (uint64_t)n);
}

/* creat-clo: create, close and unlink a file. */
static uint64_t creat_clo(const struct aim7_ctx *c)
{
    char path[256];
    path_of(c, "creat-clo", "", path, sizeof path);
    long n = aim7_loops(c, 64);
    for (long i = 0; i < n; i++) {
        int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
        if (fd < 0 || close(fd) != 0 || unlink(path) != 0)
            aim7_fail("creat-clo", "round %ld", i);
    }
    return aim7_mix(0xc10 + (uint64_t)n);
}

const struct aim7_test aim7_disk_tests[] = {
    {"disk_wrt", disk_wrt},   {"sync_disk_wrt", sync_disk_wrt}, {"disk_rd", disk_rd},
    {"disk_cp", disk_cp},     {"sync_disk_cp", sync_disk_cp},   {"disk_rr", disk_rr},
    {"disk_rw", disk_rw},     {"sync_disk_rw", sync_disk_rw},   {"disk_src", disk_src},
    {"link_test", link_test}, {"creat-clo", creat_clo},
};
const size_t aim7_disk_count = sizeof aim7_disk_tests / sizeof aim7_disk_tests[0];
