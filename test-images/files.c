/*
 * files -- the file calls, offloaded to the host, in a scratch directory
 * under the instance's root: create, write, read back, lseek, pread/pwrite,
 * stat/fstat/lstat, rename, unlink, mkdir/rmdir, getdents64 (readdir),
 * symlink/readlink, getcwd/chdir, writev/readv, ftruncate, and errors.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

static const char text[] = "azalea offloads its files\n";

static void test_rw(void)
{
    int fd = open("f.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, text, sizeof text - 1) == (ssize_t)sizeof text - 1);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    char buf[64] = {0};
    CHECK(read(fd, buf, sizeof buf) == (ssize_t)sizeof text - 1);
    CHECK(memcmp(buf, text, sizeof text - 1) == 0);
    CHECK(read(fd, buf, sizeof buf) == 0); /* end of file */
    CHECK(pwrite(fd, "AZ", 2, 0) == 2);
    CHECK(pread(fd, buf, 6, 0) == 6 && memcmp(buf, "AZalea", 6) == 0);
    CHECK(lseek(fd, 0, SEEK_END) == (off_t)sizeof text - 1);
    struct iovec iov[2] = {{"ab", 2}, {"cd", 2}};
    CHECK(writev(fd, iov, 2) == 4);
    char x[2], y[2];
    struct iovec riov[2] = {{x, 2}, {y, 2}};
    CHECK(pread(fd, buf, 4, sizeof text - 1) == 4 && memcmp(buf, "abcd", 4) == 0);
    CHECK(lseek(fd, (off_t)sizeof text - 1, SEEK_SET) >= 0);
    CHECK(readv(fd, riov, 2) == 4 && memcmp(x, "ab", 2) == 0 && memcmp(y, "cd", 2) == 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)sizeof text + 3 && S_ISREG(st.st_mode));
    CHECK(ftruncate(fd, 4) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 4);
    CHECK(close(fd) == 0);
    CHECK(close(fd) == -1 && errno == EBADF);
    CHECK(stat("f.txt", &st) == 0 && st.st_size == 4);
}

static void test_names(void)
{
    CHECK(rename("f.txt", "g.txt") == 0);
    CHECK(access("f.txt", F_OK) == -1 && errno == ENOENT);
    CHECK(access("g.txt", R_OK) == 0);
    CHECK(symlink("g.txt", "link") == 0);
    char target[32] = {0};
    CHECK(readlink("link", target, sizeof target) == 5 && memcmp(target, "g.txt", 5) == 0);
    struct stat st;
    CHECK(lstat("link", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("link", &st) == 0 && S_ISREG(st.st_mode));
    CHECK(mkdir("sub", 0755) == 0);
    CHECK(mkdir("sub", 0755) == -1 && errno == EEXIST);

    DIR *d = opendir(".");
    CHECK(d);
    int seen = 0;
    for (struct dirent *e; (e = readdir(d));)
        seen |= (strcmp(e->d_name, "g.txt") == 0) | (strcmp(e->d_name, "link") == 0) << 1 |
                (strcmp(e->d_name, "sub") == 0) << 2;
    CHECK(closedir(d) == 0);
    CHECK(seen == 7);

    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    size_t len = strlen(cwd);
    CHECK(chdir("sub") == 0);
    char sub[4096];
    CHECK(getcwd(sub, sizeof sub) != NULL && strncmp(sub, cwd, len) == 0 && strcmp(sub + len, "/sub") == 0);
    CHECK(chdir("..") == 0);
    CHECK(rmdir("sub") == 0);
    CHECK(unlink("link") == 0 && unlink("g.txt") == 0);
    CHECK(unlink("g.txt") == -1 && errno == ENOENT);
    CHECK(open("no/such/file", O_RDONLY) == -1 && errno == ENOENT);
}

int main(void)
{
    /* A scratch directory of our own, so a rerun starts clean. */
    /* Random: instances sharing a root all have pid 1. */
    unsigned int tag;
    CHECK(getentropy(&tag, sizeof tag) == 0);
    char dir[64];
    snprintf(dir, sizeof dir, "azalea-files-%08x", tag);
    CHECK(mkdir(dir, 0755) == 0 || errno == EEXIST);
    CHECK(chdir(dir) == 0);
    unlink("f.txt"), unlink("g.txt"), unlink("link"), rmdir("sub");
    test_rw();
    test_names();
    CHECK(chdir("..") == 0 && rmdir(dir) == 0);
    pass("files");
    return 0;
}
