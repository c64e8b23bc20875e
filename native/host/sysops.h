/*
 * sysops.h -- the system calls the stub's workloads use, as a table of
 * function pointers, so one workload runs two ways: through the proxy
 * (azlib) or straight on the host (libc, with --direct).  Every entry
 * returns as the raw system call does: >= 0, or -errno.
 */
#ifndef AZALEA_SYSOPS_H
#define AZALEA_SYSOPS_H

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#include "az_host.h"

struct sysops {
    const char *name; /* "offload" or "direct" */
    /* Prepares the calling thread (its buffer arena, its channel): 0 or -errno.
     * Every thread that calls an entry below calls this first. */
    int (*thread_init)(void);

    int (*open)(const char *path, int flags, mode_t mode);
    int (*openat)(int dirfd, const char *path, int flags, mode_t mode);
    int (*close)(int fd);
    ssize_t (*read)(int fd, void *buf, size_t count);
    ssize_t (*write)(int fd, const void *buf, size_t count);
    ssize_t (*pread)(int fd, void *buf, size_t count, off_t offset);
    ssize_t (*pwrite)(int fd, const void *buf, size_t count, off_t offset);
    ssize_t (*readv)(int fd, const struct iovec *iov, int iovcnt);
    ssize_t (*writev)(int fd, const struct iovec *iov, int iovcnt);
    off_t (*lseek)(int fd, off_t offset, int whence);
    int (*stat)(const char *path, struct stat *st);
    int (*lstat)(const char *path, struct stat *st);
    int (*fstat)(int fd, struct stat *st);
    int (*newfstatat)(int dirfd, const char *path, struct stat *st, int flags);
    int (*access)(const char *path, int mode);
    int (*mkdir)(const char *path, mode_t mode);
    int (*rmdir)(const char *path);
    int (*unlink)(const char *path);
    int (*unlinkat)(int dirfd, const char *path, int flags);
    int (*rename)(const char *oldpath, const char *newpath);
    int (*link)(const char *oldpath, const char *newpath);
    int (*symlink)(const char *target, const char *linkpath);
    ssize_t (*readlink)(const char *path, char *buf, size_t size);
    ssize_t (*getdents64)(int fd, void *buf, size_t count);
    int (*getcwd)(char *buf, size_t size); /* length including the NUL */
    int (*chdir)(const char *path);
    int (*fchdir)(int fd);
    int (*truncate)(const char *path, off_t length);
    int (*ftruncate)(int fd, off_t length);
    int (*fsync)(int fd);
    int (*fdatasync)(int fd);
    int (*fcntl)(int fd, int cmd, long arg);
    int (*dup)(int fd);
    int (*dup2)(int oldfd, int newfd);
    int (*fchmod)(int fd, mode_t mode);
    int (*uname)(struct utsname *buf);

    int (*socket)(int domain, int type, int protocol);
    int (*bind)(int fd, const struct sockaddr *addr, socklen_t len);
    int (*listen)(int fd, int backlog);
    int (*accept)(int fd, struct sockaddr *addr, socklen_t *len);
    int (*connect)(int fd, const struct sockaddr *addr, socklen_t len);
    ssize_t (*send)(int fd, const void *buf, size_t len, int flags);
    ssize_t (*recv)(int fd, void *buf, size_t len, int flags);
    int (*shutdown)(int fd, int how);
    int (*getsockname)(int fd, struct sockaddr *addr, socklen_t *len);
    int (*getpeername)(int fd, struct sockaddr *addr, socklen_t *len);
    int (*setsockopt)(int fd, int level, int name, const void *value, socklen_t len);
    int (*getsockopt)(int fd, int level, int name, void *value, socklen_t *len);
    int (*poll)(struct pollfd *fds, nfds_t nfds, int timeout_ms);
};

/* Bytes of buffer arena each workload thread gets. */
#define SYSOPS_ARENA_BYTES (1u << 20)

/* libc on the host, in the current directory. */
extern const struct sysops sysops_direct;

/* azlib through the proxy; threads bind to `ch` of `h`. */
const struct sysops *sysops_offload(struct az_host *h, struct az_chan *ch);

#endif
