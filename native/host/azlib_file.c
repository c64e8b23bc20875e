/* azlib_file.c -- the file-system calls of azlib (see azlib.h). */
#include "azlib_internal.h"

#include <errno.h>
#include <fcntl.h>

#include "arena.h"

/* Shorthands for the common shapes, so each wrapper is its translations plus one call. */
static int64_t call(uint16_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    return az_syscall(op, a0, a1, a2, a3, 0, 0);
}

static int path_op(uint16_t op, const char *path, uint64_t a1, uint64_t a2)
{
    uint64_t p;
    int e = azlib_str(path, &p);
    return e ? e : (int)call(op, p, a1, a2, 0);
}

static int at_op(uint16_t op, int dirfd, const char *path, uint64_t a2, uint64_t a3)
{
    uint64_t p;
    int e = azlib_str(path, &p);
    return e ? e : (int)call(op, (uint64_t)dirfd, p, a2, a3);
}

static int two_paths(uint16_t op, const char *a, const char *b)
{
    uint64_t pa, pb;
    int e = azlib_str(a, &pa);
    if (!e)
        e = azlib_str(b, &pb);
    return e ? e : (int)call(op, pa, pb, 0, 0);
}

static ssize_t buf_op(uint16_t op, int fd, const void *buf, size_t n, uint64_t a3)
{
    uint64_t g;
    int e = azlib_buf(buf, n, &g);
    return e ? e : (ssize_t)call(op, (uint64_t)fd, g, n, a3);
}

static int stat_op(uint16_t op, const char *path, struct stat *st)
{
    uint64_t p, s;
    int e = azlib_str(path, &p);
    if (!e)
        e = azlib_buf(st, sizeof *st, &s);
    return e ? e : (int)call(op, p, s, 0, 0);
}

int az_open(const char *path, int flags, mode_t mode)
{
    return path_op(AZ_OP_OPEN, path, (uint64_t)flags, mode);
}

int az_openat(int dirfd, const char *path, int flags, mode_t mode)
{
    return at_op(AZ_OP_OPENAT, dirfd, path, (uint64_t)flags, mode);
}

int az_creat(const char *path, mode_t mode)
{
    return path_op(AZ_OP_CREAT, path, mode, 0);
}

int az_close(int fd)
{
    return (int)call(AZ_OP_CLOSE, (uint64_t)fd, 0, 0, 0);
}

ssize_t az_read(int fd, void *buf, size_t count)
{
    return buf_op(AZ_OP_READ, fd, buf, count, 0);
}

ssize_t az_write(int fd, const void *buf, size_t count)
{
    return buf_op(AZ_OP_WRITE, fd, buf, count, 0);
}

ssize_t az_pread(int fd, void *buf, size_t count, off_t offset)
{
    return buf_op(AZ_OP_PREAD64, fd, buf, count, (uint64_t)offset);
}

ssize_t az_pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    return buf_op(AZ_OP_PWRITE64, fd, buf, count, (uint64_t)offset);
}

static ssize_t vec_op(uint16_t op, int fd, const struct iovec *iov, int iovcnt)
{
    uint64_t g;
    size_t mark;
    int e = azlib_iov(iov, iovcnt, &g, &mark);
    if (e)
        return e;
    ssize_t r = (ssize_t)call(op, (uint64_t)fd, g, (uint64_t)iovcnt, 0);
    arena_release(mark);
    return r;
}

ssize_t az_readv(int fd, const struct iovec *iov, int iovcnt)
{
    return vec_op(AZ_OP_READV, fd, iov, iovcnt);
}

ssize_t az_writev(int fd, const struct iovec *iov, int iovcnt)
{
    return vec_op(AZ_OP_WRITEV, fd, iov, iovcnt);
}

off_t az_lseek(int fd, off_t offset, int whence)
{
    return (off_t)call(AZ_OP_LSEEK, (uint64_t)fd, (uint64_t)offset, (uint64_t)whence, 0);
}

int az_stat(const char *path, struct stat *st)
{
    return stat_op(AZ_OP_STAT, path, st);
}

int az_lstat(const char *path, struct stat *st)
{
    return stat_op(AZ_OP_LSTAT, path, st);
}

int az_fstat(int fd, struct stat *st)
{
    uint64_t s;
    int e = azlib_buf(st, sizeof *st, &s);
    return e ? e : (int)call(AZ_OP_FSTAT, (uint64_t)fd, s, 0, 0);
}

int az_newfstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    uint64_t s;
    int e = azlib_buf(st, sizeof *st, &s);
    return e ? e : at_op(AZ_OP_NEWFSTATAT, dirfd, path, s, (uint64_t)flags);
}

int az_access(const char *path, int mode)
{
    return path_op(AZ_OP_ACCESS, path, (uint64_t)mode, 0);
}

int az_faccessat(int dirfd, const char *path, int mode)
{
    return at_op(AZ_OP_FACCESSAT, dirfd, path, (uint64_t)mode, 0);
}

int az_mkdir(const char *path, mode_t mode)
{
    return path_op(AZ_OP_MKDIR, path, mode, 0);
}

int az_mkdirat(int dirfd, const char *path, mode_t mode)
{
    return at_op(AZ_OP_MKDIRAT, dirfd, path, mode, 0);
}

int az_rmdir(const char *path)
{
    return path_op(AZ_OP_RMDIR, path, 0, 0);
}

int az_unlink(const char *path)
{
    return path_op(AZ_OP_UNLINK, path, 0, 0);
}

int az_unlinkat(int dirfd, const char *path, int flags)
{
    return at_op(AZ_OP_UNLINKAT, dirfd, path, (uint64_t)flags, 0);
}

int az_rename(const char *oldpath, const char *newpath)
{
    return two_paths(AZ_OP_RENAME, oldpath, newpath);
}

int az_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned flags)
{
    uint64_t pa, pb;
    int e = azlib_str(oldpath, &pa);
    if (!e)
        e = azlib_str(newpath, &pb);
    return e ? e : (int)az_syscall(AZ_OP_RENAMEAT2, (uint64_t)olddirfd, pa, (uint64_t)newdirfd, pb, flags, 0);
}

int az_link(const char *oldpath, const char *newpath)
{
    return two_paths(AZ_OP_LINK, oldpath, newpath);
}

int az_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
    uint64_t pa, pb;
    int e = azlib_str(oldpath, &pa);
    if (!e)
        e = azlib_str(newpath, &pb);
    return e ? e : (int)az_syscall(AZ_OP_LINKAT, (uint64_t)olddirfd, pa, (uint64_t)newdirfd, pb, (uint64_t)flags, 0);
}

int az_symlink(const char *target, const char *linkpath)
{
    return two_paths(AZ_OP_SYMLINK, target, linkpath);
}

int az_symlinkat(const char *target, int newdirfd, const char *linkpath)
{
    uint64_t pa, pb;
    int e = azlib_str(target, &pa);
    if (!e)
        e = azlib_str(linkpath, &pb);
    return e ? e : (int)call(AZ_OP_SYMLINKAT, pa, (uint64_t)newdirfd, pb, 0);
}

ssize_t az_readlink(const char *path, char *buf, size_t size)
{
    uint64_t b;
    int e = azlib_buf(buf, size, &b);
    return e ? e : path_op(AZ_OP_READLINK, path, b, size);
}

ssize_t az_readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
    uint64_t b;
    int e = azlib_buf(buf, size, &b);
    return e ? e : at_op(AZ_OP_READLINKAT, dirfd, path, b, size);
}

ssize_t az_getdents64(int fd, void *buf, size_t count)
{
    return buf_op(AZ_OP_GETDENTS64, fd, buf, count, 0);
}

int az_getcwd(char *buf, size_t size)
{
    uint64_t b;
    int e = azlib_buf(buf, size, &b);
    return e ? e : (int)call(AZ_OP_GETCWD, b, size, 0, 0);
}

int az_chdir(const char *path)
{
    return path_op(AZ_OP_CHDIR, path, 0, 0);
}

int az_fchdir(int fd)
{
    return (int)call(AZ_OP_FCHDIR, (uint64_t)fd, 0, 0, 0);
}

int az_truncate(const char *path, off_t length)
{
    return path_op(AZ_OP_TRUNCATE, path, (uint64_t)length, 0);
}

int az_ftruncate(int fd, off_t length)
{
    return (int)call(AZ_OP_FTRUNCATE, (uint64_t)fd, (uint64_t)length, 0, 0);
}

int az_fsync(int fd)
{
    return (int)call(AZ_OP_FSYNC, (uint64_t)fd, 0, 0, 0);
}

int az_fdatasync(int fd)
{
    return (int)call(AZ_OP_FDATASYNC, (uint64_t)fd, 0, 0, 0);
}

int az_sync(void)
{
    return (int)call(AZ_OP_SYNC, 0, 0, 0, 0);
}

int az_fcntl(int fd, int cmd, long arg)
{
    uint64_t a = (uint64_t)arg;
    if (cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW) {
        int e = azlib_buf((const void *)arg, sizeof(struct flock), &a);
        if (e)
            return e;
    }
    return (int)call(AZ_OP_FCNTL, (uint64_t)fd, (uint64_t)cmd, a, 0);
}

int az_dup(int fd)
{
    return (int)call(AZ_OP_DUP, (uint64_t)fd, 0, 0, 0);
}

int az_dup2(int oldfd, int newfd)
{
    return (int)call(AZ_OP_DUP2, (uint64_t)oldfd, (uint64_t)newfd, 0, 0);
}

int az_dup3(int oldfd, int newfd, int flags)
{
    return (int)call(AZ_OP_DUP3, (uint64_t)oldfd, (uint64_t)newfd, (uint64_t)flags, 0);
}

int az_chmod(const char *path, mode_t mode)
{
    return path_op(AZ_OP_CHMOD, path, mode, 0);
}

int az_fchmod(int fd, mode_t mode)
{
    return (int)call(AZ_OP_FCHMOD, (uint64_t)fd, mode, 0, 0);
}

int az_fchmodat(int dirfd, const char *path, mode_t mode)
{
    return at_op(AZ_OP_FCHMODAT, dirfd, path, mode, 0);
}

int az_chown(const char *path, uid_t owner, gid_t group)
{
    return path_op(AZ_OP_CHOWN, path, (uint64_t)(int)owner, (uint64_t)(int)group);
}

int az_fchown(int fd, uid_t owner, gid_t group)
{
    return (int)call(AZ_OP_FCHOWN, (uint64_t)fd, (uint64_t)(int)owner, (uint64_t)(int)group, 0);
}

int az_lchown(const char *path, uid_t owner, gid_t group)
{
    return path_op(AZ_OP_LCHOWN, path, (uint64_t)(int)owner, (uint64_t)(int)group);
}

int az_fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags)
{
    uint64_t p;
    int e = azlib_str(path, &p);
    return e ? e
             : (int)az_syscall(AZ_OP_FCHOWNAT, (uint64_t)dirfd, p, (uint64_t)(int)owner, (uint64_t)(int)group,
                               (uint64_t)flags, 0);
}

int az_utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
{
    uint64_t p = 0, t;
    int e = path ? azlib_str(path, &p) : 0; /* NULL path: the fd itself (futimens) */
    if (!e)
        e = azlib_opt(times, 2 * sizeof(struct timespec), &t);
    return e ? e : (int)call(AZ_OP_UTIMENSAT, (uint64_t)dirfd, p, t, (uint64_t)flags);
}

int az_umask(mode_t mask)
{
    return (int)call(AZ_OP_UMASK, mask, 0, 0, 0);
}

int az_statfs(const char *path, struct statfs *buf)
{
    uint64_t b;
    int e = azlib_buf(buf, sizeof *buf, &b);
    return e ? e : path_op(AZ_OP_STATFS, path, b, 0);
}

int az_fstatfs(int fd, struct statfs *buf)
{
    uint64_t b;
    int e = azlib_buf(buf, sizeof *buf, &b);
    return e ? e : (int)call(AZ_OP_FSTATFS, (uint64_t)fd, b, 0, 0);
}

ssize_t az_sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
    uint64_t o;
    int e = azlib_opt(offset, sizeof *offset, &o);
    return e ? e : (ssize_t)call(AZ_OP_SENDFILE, (uint64_t)out_fd, (uint64_t)in_fd, o, count);
}

int az_ioctl(int fd, unsigned long request, unsigned long arg)
{
    return (int)call(AZ_OP_IOCTL, (uint64_t)fd, request, arg, 0);
}

int az_uname(struct utsname *buf)
{
    uint64_t b;
    int e = azlib_buf(buf, sizeof *buf, &b);
    return e ? e : (int)call(AZ_OP_UNAME, b, 0, 0, 0);
}

int az_gethostname(char *name, size_t len)
{
    uint64_t b;
    int e = azlib_buf(name, len, &b);
    return e ? e : (int)call(AZ_OP_GETHOSTNAME, b, len, 0, 0);
}

int az_gethostbyname(const char *name, int family, struct az_hostent *out)
{
    uint64_t n, o;
    int e = azlib_str(name, &n);
    if (!e)
        e = azlib_buf(out, sizeof *out, &o);
    return e ? e : (int)call(AZ_OP_GETHOSTBYNAME, n, (uint64_t)family, o, sizeof *out);
}
