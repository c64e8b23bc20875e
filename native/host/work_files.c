/*
 * work_files.c -- the file workload (see stub_workloads.h).  Relative paths only:
 * through the proxy they resolve in the instance's root, with --direct in
 * the current directory, and the transcript must not tell the two apart.
 * Modes are chosen so a umask of 022 leaves them unchanged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "transcript.h"
#include "stub_workloads.h"

struct files {
    const struct sysops *o;
    struct transcript t;
    char cwd0[4096]; /* where we started: getcwd answers are shown relative to it */
    struct stat *st; /* arena buffers, reused by every step */
    char *buf;
    char text[512]; /* formatted extras */
};

enum { BUF = 16384 };

static const char *str(const char *s)
{
    return arena_str(s);
}

static const char *stat_text(struct files *f)
{
    const struct stat *st = f->st;
    /* Directory sizes and link counts depend on the file system: leave them out. */
    if (S_ISDIR(st->st_mode))
        snprintf(f->text, sizeof f->text, "mode=0%o", (unsigned)st->st_mode);
    else
        snprintf(f->text, sizeof f->text, "size=%lld mode=0%o nlink=%lu", (long long)st->st_size, (unsigned)st->st_mode,
                 (unsigned long)st->st_nlink);
    return f->text;
}

static const char *data_text(struct files *f, long n)
{
    char esc[400];
    snprintf(f->text, sizeof f->text, "data=\"%s\"", tr_escape(esc, sizeof esc, f->buf, n > 0 ? (size_t)n : 0));
    return f->text;
}

static long step(struct files *f, const char *name, long result, long want)
{
    return tr_step(&f->t, name, result, want, NULL);
}

static void step_stat(struct files *f, const char *name, long result, long want)
{
    tr_step(&f->t, name, result, want, "%s", result == 0 ? stat_text(f) : "");
}

/* Reads into f->buf and prints the data; checks it against `expect`. */
static void step_read(struct files *f, const char *name, long result, long want, const char *expect)
{
    tr_step(&f->t, name, result, want, "%s", data_text(f, result));
    if (expect)
        tr_check(&f->t, name, result == (long)strlen(expect) && memcmp(f->buf, expect, strlen(expect)) == 0);
}

static void step_cwd(struct files *f, const char *name)
{
    long n = f->o->getcwd(f->buf, BUF);
    const char *rel = f->buf;
    size_t n0 = strlen(f->cwd0);
    /* The start directory is "/" through the proxy and a host path directly. */
    if (n > 0 && strcmp(f->cwd0, "/") != 0 && strncmp(f->buf, f->cwd0, n0) == 0)
        rel = f->buf + n0;
    tr_step(&f->t, name, n, WANT_OK, "cwd=%s", n > 0 ? (*rel ? rel : "/") : "");
}

static void fl_text(char *dst, size_t cap, long fl)
{
    static const char *acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    snprintf(dst, cap, "flags=%s%s%s", acc[fl & O_ACCMODE], (fl & O_APPEND) ? "|O_APPEND" : "",
             (fl & O_NONBLOCK) ? "|O_NONBLOCK" : "");
}

static void step_getfl(struct files *f, const char *name, int fd)
{
    long fl = f->o->fcntl(fd, F_GETFL, 0);
    char text[64] = "";
    if (fl >= 0)
        fl_text(text, sizeof text, fl);
    tr_step(&f->t, name, fl < 0 ? fl : 0, 0, "%s", text);
}

/* Sorted names in a directory, via getdents64. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void step_list(struct files *f, const char *name, int dirfd)
{
    const struct sysops *o = f->o;
    char *names[64];
    int count = 0;
    long n, total = 0;
    while ((n = o->getdents64(dirfd, f->buf, BUF)) > 0) {
        total += n;
        for (long at = 0; at < n;) {
            /* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name */
            uint16_t reclen;
            memcpy(&reclen, f->buf + at + 16, sizeof reclen);
            if (count < 64)
                names[count++] = strdup(f->buf + at + 19);
            if (reclen == 0)
                break;
            at += reclen;
        }
    }
    qsort(names, (size_t)count, sizeof names[0], cmp_names);
    size_t o2 = 0;
    o2 += (size_t)snprintf(f->text, sizeof f->text, "names=");
    for (int i = 0; i < count; i++) {
        o2 += (size_t)snprintf(f->text + o2, sizeof f->text - o2, "%s%s", i ? "," : "", names[i]);
        free(names[i]);
        if (o2 >= sizeof f->text)
            break;
    }
    tr_step(&f->t, name, n < 0 ? n : (total > 0 ? 0 : -1), 0, "%s", f->text);
}

/* Create, write, read back, seek, positional I/O, sizes. */
static void files_io(struct files *f)
{
    const struct sysops *o = f->o;
    char *s = f->buf;
    int fd = (int)step(f, "open-create", o->open(str("a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644), WANT_FD);
    step(f, "open-create-again", o->open(str("a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644), -EEXIST);
    strcpy(s, "hello, azalea\n");
    step(f, "write", o->write(fd, s, 14), 14);
    char *a = arena_alloc(16), *b = arena_alloc(16);
    strcpy(a, "line two\n");
    strcpy(b, "line three\n");
    struct iovec *iov = arena_alloc(2 * sizeof *iov);
    iov[0] = (struct iovec){a, 9};
    iov[1] = (struct iovec){b, 11};
    step(f, "writev", o->writev(fd, iov, 2), 20);
    step_stat(f, "fstat", o->fstat(fd, f->st), 0);
    step(f, "lseek-cur", o->lseek(fd, 0, SEEK_CUR), 34);
    step(f, "read-wronly", o->read(fd, s, 10), -EBADF);
    step(f, "close", o->close(fd), 0);
    step(f, "close-again", o->close(fd), -EBADF);

    fd = (int)step(f, "open-rdonly", o->open(str("a.txt"), O_RDONLY, 0), WANT_FD);
    step_read(f, "read-all", o->read(fd, s, 64), 34, "hello, azalea\nline two\nline three\n");
    step(f, "read-eof", o->read(fd, s, 64), 0);
    step(f, "lseek-set", o->lseek(fd, 7, SEEK_SET), 7);
    step_read(f, "read-6", o->read(fd, s, 6), 6, "azalea");
    step(f, "lseek-end", o->lseek(fd, -6, SEEK_END), 28);
    step_read(f, "read-tail", o->read(fd, s, 64), 6, "three\n");
    step(f, "lseek-bad-whence", o->lseek(fd, 0, 42), -EINVAL);
    step(f, "lseek-zero", o->lseek(fd, 0, SEEK_SET), 0);
    memset(a, 0, 16);
    iov[0] = (struct iovec){a, 5};
    iov[1] = (struct iovec){s, 100};
    step(f, "readv", o->readv(fd, iov, 2), 34);
    tr_check(&f->t, "readv-data", memcmp(a, "hello", 5) == 0 && memcmp(s, ", azalea\n", 9) == 0);
    step_read(f, "pread", o->pread(fd, s, 4, 7), 4, "azal");
    step(f, "write-rdonly", o->write(fd, s, 1), -EBADF);
    step(f, "close-rdonly", o->close(fd), 0);

    fd = (int)step(f, "open-rdwr", o->open(str("a.txt"), O_RDWR, 0), WANT_FD);
    strcpy(s, "HELLO");
    step(f, "pwrite", o->pwrite(fd, s, 5, 0), 5);
    step_read(f, "pread-back", o->pread(fd, s, 14, 0), 14, "HELLO, azalea\n");
    step(f, "lseek-unmoved", o->lseek(fd, 0, SEEK_CUR), 0);
    step(f, "ftruncate-shrink", o->ftruncate(fd, 5), 0);
    step_stat(f, "fstat-shrunk", o->fstat(fd, f->st), 0);
    step(f, "ftruncate-grow", o->ftruncate(fd, 10000), 0);
    step_stat(f, "fstat-grown", o->fstat(fd, f->st), 0);
    memset(s, 'x', 10);
    long n = step(f, "pread-hole", o->pread(fd, s, 10, 9990), 10);
    tr_check(&f->t, "pread-hole-zeros", n == 10 && memcmp(s, "\0\0\0\0\0\0\0\0\0\0", 10) == 0);
    step(f, "pread-past-end", o->pread(fd, s, 10, 20000), 0);
    step(f, "ftruncate-13", o->ftruncate(fd, 13), 0);
    step(f, "fsync", o->fsync(fd), 0);
    step(f, "fdatasync", o->fdatasync(fd), 0);
    step(f, "close-rdwr", o->close(fd), 0);
}

/* fcntl, dup, locks. */
static void files_fds(struct files *f)
{
    const struct sysops *o = f->o;
    char *s = f->buf;
    int fd = (int)step(f, "open-fcntl", o->open(str("a.txt"), O_RDWR, 0), WANT_FD);
    step_getfl(f, "fcntl-getfl", fd);
    step(f, "fcntl-setfl-append", o->fcntl(fd, F_SETFL, O_APPEND), 0);
    step_getfl(f, "fcntl-getfl-append", fd);
    strcpy(s, "!\n");
    step(f, "write-append", o->write(fd, s, 2), 2);
    step_stat(f, "fstat-appended", o->fstat(fd, f->st), 0);
    step(f, "fcntl-getfd", o->fcntl(fd, F_GETFD, 0), 0);
    step(f, "fcntl-setfd-cloexec", o->fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
    step(f, "fcntl-getfd-cloexec", o->fcntl(fd, F_GETFD, 0), FD_CLOEXEC);

    int d = (int)step(f, "dup", o->dup(fd), WANT_FD);
    step(f, "dup-getfd", o->fcntl(d, F_GETFD, 0), 0);
    step(f, "dup-lseek", o->lseek(d, 3, SEEK_SET), 3);
    step(f, "dup-shares-offset", o->lseek(fd, 0, SEEK_CUR), 3);
    step(f, "dup2", o->dup2(fd, 40), 40);
    step_stat(f, "dup2-fstat", o->fstat(40, f->st), 0);
    step(f, "dup2-close", o->close(40), 0);
    step(f, "fcntl-dupfd", o->fcntl(fd, F_DUPFD, 50), 50);
    step(f, "fcntl-dupfd-close", o->close(50), 0);
    step(f, "dup-bad", o->dup(9999), -EBADF);

    struct flock *lk = arena_alloc(sizeof *lk);
    lk->l_type = F_WRLCK;
    lk->l_whence = SEEK_SET;
    step(f, "fcntl-setlk", o->fcntl(fd, F_SETLK, (long)lk), 0);
    lk->l_type = F_WRLCK;
    step(f, "fcntl-getlk", o->fcntl(fd, F_GETLK, (long)lk), 0);
    tr_check(&f->t, "fcntl-getlk-own", lk->l_type == F_UNLCK); /* our own lock never conflicts */
    lk->l_type = F_UNLCK;
    step(f, "fcntl-unlock", o->fcntl(fd, F_SETLK, (long)lk), 0);
    step(f, "fchmod", o->fchmod(fd, 0600), 0);
    step_stat(f, "fstat-fchmod", o->fstat(fd, f->st), 0);
    step(f, "fchmod-back", o->fchmod(fd, 0644), 0);
    step(f, "close-dup", o->close(d), 0);
    step(f, "close-fcntl", o->close(fd), 0);
    step(f, "fstat-bad", o->fstat(9999, f->st), -EBADF);
}

/* Names: stat family, links, rename, directories, listing, cwd. */
static void files_names(struct files *f)
{
    const struct sysops *o = f->o;
    char *s = f->buf;
    step_stat(f, "stat", o->stat(str("a.txt"), f->st), 0);
    step(f, "access-rw", o->access(str("a.txt"), R_OK | W_OK), 0);
    step(f, "access-missing", o->access(str("missing"), F_OK), -ENOENT);
    step(f, "link", o->link(str("a.txt"), str("hard.txt")), 0);
    step_stat(f, "stat-linked", o->stat(str("a.txt"), f->st), 0);
    step(f, "unlink-hard", o->unlink(str("hard.txt")), 0);
    step(f, "symlink", o->symlink(str("a.txt"), str("sym")), 0);
    step(f, "symlink-exists", o->symlink(str("a.txt"), str("sym")), -EEXIST);
    step_read(f, "readlink", o->readlink(str("sym"), s, 64), 5, "a.txt");
    step(f, "readlink-not-link", o->readlink(str("a.txt"), s, 64), -EINVAL);
    step_stat(f, "lstat-sym", o->lstat(str("sym"), f->st), 0);
    step_stat(f, "stat-sym", o->stat(str("sym"), f->st), 0);
    step(f, "rename", o->rename(str("a.txt"), str("b.txt")), 0);
    step(f, "stat-old-name", o->stat(str("a.txt"), f->st), -ENOENT);
    step(f, "stat-dangling", o->stat(str("sym"), f->st), -ENOENT);
    step_stat(f, "newfstatat", o->newfstatat(AT_FDCWD, str("b.txt"), f->st, 0), 0);
    step_stat(f, "newfstatat-nofollow", o->newfstatat(AT_FDCWD, str("sym"), f->st, AT_SYMLINK_NOFOLLOW), 0);
    step(f, "truncate", o->truncate(str("b.txt"), 3), 0);
    step_stat(f, "stat-truncated", o->stat(str("b.txt"), f->st), 0);

    step(f, "mkdir-sub", o->mkdir(str("sub"), 0755), 0);
    int dfd = (int)step(f, "open-dir", o->open(str("sub"), O_RDONLY | O_DIRECTORY, 0), WANT_FD);
    step_stat(f, "fstat-dir", o->fstat(dfd, f->st), 0);
    step(f, "read-dir", o->read(dfd, s, 16), -EISDIR);
    int fd = (int)step(f, "openat", o->openat(dfd, str("c.txt"), O_CREAT | O_WRONLY, 0600), WANT_FD);
    strcpy(s, "c");
    step(f, "openat-write", o->write(fd, s, 1), 1);
    step(f, "openat-close", o->close(fd), 0);
    step_stat(f, "newfstatat-dirfd", o->newfstatat(dfd, str("c.txt"), f->st, 0), 0);
    step(f, "mkdir-inner", o->mkdir(str("sub/inner"), 0755), 0);
    step(f, "rmdir-not-empty", o->rmdir(str("sub")), -ENOTEMPTY);
    step_list(f, "getdents-sub", dfd);
    step(f, "unlinkat", o->unlinkat(dfd, str("c.txt"), 0), 0);
    step(f, "unlinkat-dir", o->unlinkat(dfd, str("inner"), AT_REMOVEDIR), 0);
    step(f, "fchdir", o->fchdir(dfd), 0);
    step_cwd(f, "getcwd-fchdir");
    step(f, "chdir-up", o->chdir(str("..")), 0);
    step(f, "close-dir", o->close(dfd), 0);

    dfd = (int)step(f, "open-dot", o->open(str("."), O_RDONLY | O_DIRECTORY, 0), WANT_FD);
    step_list(f, "getdents-top", dfd);
    step(f, "close-dot", o->close(dfd), 0);
    step(f, "chdir-sub", o->chdir(str("sub")), 0);
    step_cwd(f, "getcwd-sub");
    step(f, "chdir-missing", o->chdir(str("missing")), -ENOENT);
    step(f, "chdir-file", o->chdir(str("../b.txt")), -ENOTDIR);
    step(f, "chdir-back", o->chdir(str("..")), 0);
    fd = (int)step(f, "open-dotdot-path", o->open(str("sub/../b.txt"), O_RDONLY, 0), WANT_FD);
    step(f, "close-dotdot-path", o->close(fd), 0);
    step(f, "open-missing", o->open(str("missing/x"), O_RDONLY, 0), -ENOENT);
    step(f, "open-enotdir", o->open(str("b.txt/x"), O_RDONLY, 0), -ENOTDIR);
    step(f, "unlink-missing", o->unlink(str("missing")), -ENOENT);
    step(f, "rmdir-file", o->rmdir(str("b.txt")), -ENOTDIR);
    step(f, "unlink-dir", o->unlink(str("sub")), -EISDIR);
    step(f, "rmdir-sub", o->rmdir(str("sub")), 0);
    step(f, "unlink-sym", o->unlink(str("sym")), 0);
    step(f, "unlink-b", o->unlink(str("b.txt")), 0);
}

int workload_files(const struct sysops *o, FILE *out)
{
    struct files *f = calloc(1, sizeof *f);
    f->o = o;
    f->t.out = out;
    f->st = arena_alloc(sizeof *f->st);
    f->buf = arena_alloc(BUF);
    long n = o->getcwd(f->buf, BUF);
    if (n > 0)
        snprintf(f->cwd0, sizeof f->cwd0, "%s", f->buf);
    step_cwd(f, "getcwd-start");
    step(f, "mkdir", o->mkdir(str("azw"), 0755), 0);
    step(f, "mkdir-again", o->mkdir(str("azw"), 0755), -EEXIST);
    step(f, "chdir", o->chdir(str("azw")), 0);
    step_cwd(f, "getcwd");
    files_io(f);
    files_fds(f);
    files_names(f);
    step(f, "chdir-root", o->chdir(str("..")), 0);
    step(f, "rmdir", o->rmdir(str("azw")), 0);
    step(f, "rmdir-again", o->rmdir(str("azw")), -ENOENT);
    struct utsname *u = arena_alloc(sizeof *u);
    /* The proxy answers with Azalea's identity and the host with its own: compare the machine. */
    long r = o->uname(u);
    tr_step(&f->t, "uname", r, 0, "machine=%s", r == 0 ? u->machine : "");
    int failures = tr_finish(&f->t);
    free(f);
    return failures;
}
