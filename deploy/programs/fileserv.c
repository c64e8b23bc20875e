/*
 * fileserv -- a file-service workload for one unikernel: every call goes
 * through the offload channel to the full-weight kernel.  In a spool
 * directory under its root it creates files, writes them, reads each back and
 * checks it, stats, renames and lists them, then unlinks them all and removes
 * the directory, timing each phase.
 *
 *   fileserv [-f FILES] [-s BYTES]
 *
 * Prints one line per phase and a summary; exits 0 when every check held and
 * nothing is left behind.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "workload.h"

static const char *P = "fileserv";

static void fill(char *buf, size_t n, int file)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)('A' + (file * 7 + i) % 26);
}

int main(int argc, char **argv)
{
    int files = 64;
    long size = 16384;
    int opt;
    while ((opt = getopt(argc, argv, "f:s:")) != -1) {
        if (opt == 'f')
            files = atoi(optarg);
        else if (opt == 's')
            size = atol(optarg);
        else
            return 2;
    }
    if (files < 1 || files > 100000 || size < 1 || size > (1 << 24)) {
        fprintf(stderr, "usage: fileserv [-f FILES] [-s BYTES]\n");
        return 2;
    }
    char *buf = malloc(size), *back = malloc(size);
    if (!buf || !back)
        FAIL(P, "out of memory");
    char name[64], moved[64];
    printf("fileserv: %d files of %ld bytes in ./spool\n", files, size);
    long long start = now_ns();

    if (mkdir("spool", 0755) != 0)
        FAIL(P, "mkdir spool");
    long long t0 = now_ns();
    for (int f = 0; f < files; f++) {
        snprintf(name, sizeof name, "spool/f%05d", f);
        int fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
        if (fd < 0)
            FAIL(P, "create %s", name);
        fill(buf, size, f);
        if (write(fd, buf, size) != size)
            FAIL(P, "write %s", name);
        if (close(fd) != 0)
            FAIL(P, "close %s", name);
    }
    report(P, "create+write", files * 3L, now_ns() - t0);

    t0 = now_ns();
    for (int f = 0; f < files; f++) {
        snprintf(name, sizeof name, "spool/f%05d", f);
        int fd = open(name, O_RDONLY);
        if (fd < 0)
            FAIL(P, "open %s", name);
        fill(buf, size, f);
        if (read(fd, back, size) != size || memcmp(buf, back, size) != 0)
            FAIL(P, "read back %s", name);
        close(fd);
    }
    report(P, "read+check", files * 3L, now_ns() - t0);

    t0 = now_ns();
    struct stat st;
    for (int f = 0; f < files; f++) {
        snprintf(name, sizeof name, "spool/f%05d", f);
        snprintf(moved, sizeof moved, "spool/g%05d", f);
        if (stat(name, &st) != 0 || st.st_size != size || !S_ISREG(st.st_mode))
            FAIL(P, "stat %s", name);
        if (rename(name, moved) != 0)
            FAIL(P, "rename %s", name);
    }
    report(P, "stat+rename", files * 2L, now_ns() - t0);

    t0 = now_ns();
    DIR *d = opendir("spool");
    if (!d)
        FAIL(P, "opendir spool");
    int listed = 0;
    for (struct dirent *e; (e = readdir(d));)
        listed += e->d_name[0] == 'g';
    closedir(d);
    if (listed != files)
        FAIL(P, "listed %d files, expected %d", listed, files);
    report(P, "list", 1, now_ns() - t0);

    t0 = now_ns();
    for (int f = 0; f < files; f++) {
        snprintf(moved, sizeof moved, "spool/g%05d", f);
        if (unlink(moved) != 0)
            FAIL(P, "unlink %s", moved);
    }
    if (rmdir("spool") != 0)
        FAIL(P, "rmdir spool (not empty?)");
    report(P, "unlink", files + 1L, now_ns() - t0);

    if (access("spool", F_OK) == 0)
        FAIL(P, "spool still exists");
    printf("fileserv: %d files served (%ld bytes written and read back) in %.3f s\n", files, files * size,
           (now_ns() - start) / 1e9);
    free(buf);
    free(back);
    return 0;
}
