/* sysops_direct.c -- the workloads' system calls done by libc on the host (--direct). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "sysops.h"

/* libc's "-1 and errno" to the system call's "-errno". */
static long r(long v)
{
    return v < 0 ? -errno : v;
}

static int d_thread_init(void)
{
    /* Never freed: a workload thread's buffers live as long as the process. */
    void *mem = malloc(SYSOPS_ARENA_BYTES);
    if (!mem)
        return -ENOMEM;
    arena_bind(mem, SYSOPS_ARENA_BYTES);
    return 0;
}

static int d_open(const char *p, int f, mode_t m)
{
    return (int)r(open(p, f, m));
}
static int d_openat(int d, const char *p, int f, mode_t m)
{
    return (int)r(openat(d, p, f, m));
}
static int d_close(int fd)
{
    return (int)r(close(fd));
}
static ssize_t d_read(int fd, void *b, size_t n)
{
    return r(read(fd, b, n));
}
static ssize_t d_write(int fd, const void *b, size_t n)
{
    return r(write(fd, b, n));
}
static ssize_t d_pread(int fd, void *b, size_t n, off_t o)
{
    return r(pread(fd, b, n, o));
}
static ssize_t d_pwrite(int fd, const void *b, size_t n, off_t o)
{
    return r(pwrite(fd, b, n, o));
}
static ssize_t d_readv(int fd, const struct iovec *v, int n)
{
    return r(readv(fd, v, n));
}
static ssize_t d_writev(int fd, const struct iovec *v, int n)
{
    return r(writev(fd, v, n));
}
static off_t d_lseek(int fd, off_t o, int w)
{
    return r(lseek(fd, o, w));
}
static int d_stat(const char *p, struct stat *s)
{
    return (int)r(stat(p, s));
}
static int d_lstat(const char *p, struct stat *s)
{
    return (int)r(lstat(p, s));
}
static int d_fstat(int fd, struct stat *s)
{
    return (int)r(fstat(fd, s));
}
static int d_newfstatat(int d, const char *p, struct stat *s, int f)
{
    return (int)r(fstatat(d, p, s, f));
}
static int d_access(const char *p, int m)
{
    return (int)r(access(p, m));
}
static int d_mkdir(const char *p, mode_t m)
{
    return (int)r(mkdir(p, m));
}
static int d_rmdir(const char *p)
{
    return (int)r(rmdir(p));
}
static int d_unlink(const char *p)
{
    return (int)r(unlink(p));
}
static int d_unlinkat(int d, const char *p, int f)
{
    return (int)r(unlinkat(d, p, f));
}
static int d_rename(const char *a, const char *b)
{
    return (int)r(rename(a, b));
}
static int d_link(const char *a, const char *b)
{
    return (int)r(link(a, b));
}
static int d_symlink(const char *a, const char *b)
{
    return (int)r(symlink(a, b));
}
static ssize_t d_readlink(const char *p, char *b, size_t n)
{
    return r(readlink(p, b, n));
}
static ssize_t d_getdents64(int fd, void *b, size_t n)
{
    return r(getdents64(fd, b, n));
}

static int d_getcwd(char *b, size_t n)
{
    /* The system call answers the length with its NUL; libc a pointer. */
    return getcwd(b, n) ? (int)strlen(b) + 1 : -errno;
}

static int d_chdir(const char *p)
{
    return (int)r(chdir(p));
}
static int d_fchdir(int fd)
{
    return (int)r(fchdir(fd));
}
static int d_truncate(const char *p, off_t n)
{
    return (int)r(truncate(p, n));
}
static int d_ftruncate(int fd, off_t n)
{
    return (int)r(ftruncate(fd, n));
}
static int d_fsync(int fd)
{
    return (int)r(fsync(fd));
}
static int d_fdatasync(int fd)
{
    return (int)r(fdatasync(fd));
}
static int d_fcntl(int fd, int c, long a)
{
    return (int)r(fcntl(fd, c, a));
}
static int d_dup(int fd)
{
    return (int)r(dup(fd));
}
static int d_dup2(int a, int b)
{
    return (int)r(dup2(a, b));
}
static int d_fchmod(int fd, mode_t m)
{
    return (int)r(fchmod(fd, m));
}
static int d_uname(struct utsname *u)
{
    return (int)r(uname(u));
}

static int d_socket(int d, int t, int p)
{
    return (int)r(socket(d, t, p));
}
static int d_bind(int fd, const struct sockaddr *a, socklen_t l)
{
    return (int)r(bind(fd, a, l));
}
static int d_listen(int fd, int b)
{
    return (int)r(listen(fd, b));
}
static int d_accept(int fd, struct sockaddr *a, socklen_t *l)
{
    return (int)r(accept(fd, a, l));
}
static int d_connect(int fd, const struct sockaddr *a, socklen_t l)
{
    return (int)r(connect(fd, a, l));
}
static ssize_t d_send(int fd, const void *b, size_t n, int f)
{
    return r(send(fd, b, n, f));
}
static ssize_t d_recv(int fd, void *b, size_t n, int f)
{
    return r(recv(fd, b, n, f));
}
static int d_shutdown(int fd, int h)
{
    return (int)r(shutdown(fd, h));
}
static int d_getsockname(int fd, struct sockaddr *a, socklen_t *l)
{
    return (int)r(getsockname(fd, a, l));
}
static int d_getpeername(int fd, struct sockaddr *a, socklen_t *l)
{
    return (int)r(getpeername(fd, a, l));
}

static int d_setsockopt(int fd, int lv, int n, const void *v, socklen_t l)
{
    return (int)r(setsockopt(fd, lv, n, v, l));
}

static int d_getsockopt(int fd, int lv, int n, void *v, socklen_t *l)
{
    return (int)r(getsockopt(fd, lv, n, v, l));
}

static int d_poll(struct pollfd *f, nfds_t n, int t)
{
    return (int)r(poll(f, n, t));
}

const struct sysops sysops_direct = {
    .name = "direct",
    .thread_init = d_thread_init,
    .open = d_open,
    .openat = d_openat,
    .close = d_close,
    .read = d_read,
    .write = d_write,
    .pread = d_pread,
    .pwrite = d_pwrite,
    .readv = d_readv,
    .writev = d_writev,
    .lseek = d_lseek,
    .stat = d_stat,
    .lstat = d_lstat,
    .fstat = d_fstat,
    .newfstatat = d_newfstatat,
    .access = d_access,
    .mkdir = d_mkdir,
    .rmdir = d_rmdir,
    .unlink = d_unlink,
    .unlinkat = d_unlinkat,
    .rename = d_rename,
    .link = d_link,
    .symlink = d_symlink,
    .readlink = d_readlink,
    .getdents64 = d_getdents64,
    .getcwd = d_getcwd,
    .chdir = d_chdir,
    .fchdir = d_fchdir,
    .truncate = d_truncate,
    .ftruncate = d_ftruncate,
    .fsync = d_fsync,
    .fdatasync = d_fdatasync,
    .fcntl = d_fcntl,
    .dup = d_dup,
    .dup2 = d_dup2,
    .fchmod = d_fchmod,
    .uname = d_uname,
    .socket = d_socket,
    .bind = d_bind,
    .listen = d_listen,
    .accept = d_accept,
    .connect = d_connect,
    .send = d_send,
    .recv = d_recv,
    .shutdown = d_shutdown,
    .getsockname = d_getsockname,
    .getpeername = d_getpeername,
    .setsockopt = d_setsockopt,
    .getsockopt = d_getsockopt,
    .poll = d_poll,
};
