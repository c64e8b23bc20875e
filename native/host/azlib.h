/*
 * azlib.h -- a small libc-like wrapper over the offload client, for host
 * processes that play the guest (the stub).  Each az_X does what X does,
 * through the proxy: same arguments, but the result is Linux-style, >= 0 or
 * -errno (there is no errno variable), as the raw system call returns it.
 *
 * Memory: every buffer, string and struct a call names must lie in the
 * shared buffer arena (arena_alloc() after azlib_bind(), by any thread), because
 * the proxy can only reach the guest's memory; anything else is a
 * programming error, answered -EFAULT without contacting the proxy.  A NULL
 * pointer where Linux accepts one (accept's address, sendto's destination,
 * utimensat's times...) is sent as GPA 0.  Structures that hold pointers
 * (iovec arrays, msghdr) may lie anywhere: azlib builds a copy with GPAs in
 * the arena, as the ABI wants; the buffers they point to must be in the arena.
 *
 * A thread must call azlib_bind() before its first az_X (else -ENXIO).
 * Several threads may share a channel.
 */
#ifndef AZALEA_AZLIB_H
#define AZALEA_AZLIB_H

#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>

#include "az_host.h"

/* Binds the calling thread to a channel and carves it an arena of
 * `arena_bytes` from the shared file.  0, or -ENOMEM when the file has no room left. */
int azlib_bind(struct az_host *h, struct az_chan *ch, size_t arena_bytes);

/* The raw call, for opcodes without a wrapper (AZ_OP_*; arguments already GPAs).
 * No wrapper (scripts/check-opcodes.py): AZ_OP_PIPE2, AZ_OP_EVENTFD2,
 * AZ_OP_SOCKETPAIR, AZ_OP_EPOLL_CREATE1, AZ_OP_EPOLL_CTL, AZ_OP_EPOLL_PWAIT,
 * AZ_OP_SELECT, AZ_OP_TIMERFD_CREATE, AZ_OP_TIMERFD_SETTIME,
 * AZ_OP_TIMERFD_GETTIME (the stub's workloads do not use them); AZ_OP_FMAP_OPEN,
 * AZ_OP_FMAP_READ, AZ_OP_FMAP_WRITE, AZ_OP_FMAP_SYNC, AZ_OP_FMAP_CLOSE (the
 * instance kernel's handles on the files it maps, which no host program has). */
int64_t az_syscall(uint16_t opcode, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
int az_nop(void);

/* Files. */
int az_open(const char *path, int flags, mode_t mode);
int az_openat(int dirfd, const char *path, int flags, mode_t mode);
int az_creat(const char *path, mode_t mode);
int az_close(int fd);
ssize_t az_read(int fd, void *buf, size_t count);
ssize_t az_write(int fd, const void *buf, size_t count);
ssize_t az_pread(int fd, void *buf, size_t count, off_t offset);
ssize_t az_pwrite(int fd, const void *buf, size_t count, off_t offset);
ssize_t az_readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t az_writev(int fd, const struct iovec *iov, int iovcnt);
off_t az_lseek(int fd, off_t offset, int whence);
int az_stat(const char *path, struct stat *st);
int az_lstat(const char *path, struct stat *st);
int az_fstat(int fd, struct stat *st);
int az_newfstatat(int dirfd, const char *path, struct stat *st, int flags);
int az_access(const char *path, int mode);
int az_faccessat(int dirfd, const char *path, int mode);
int az_mkdir(const char *path, mode_t mode);
int az_mkdirat(int dirfd, const char *path, mode_t mode);
int az_rmdir(const char *path);
int az_unlink(const char *path);
int az_unlinkat(int dirfd, const char *path, int flags);
int az_rename(const char *oldpath, const char *newpath);
int az_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned flags);
int az_link(const char *oldpath, const char *newpath);
int az_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);
int az_symlink(const char *target, const char *linkpath);
int az_symlinkat(const char *target, int newdirfd, const char *linkpath);
ssize_t az_readlink(const char *path, char *buf, size_t size);
ssize_t az_readlinkat(int dirfd, const char *path, char *buf, size_t size);
ssize_t az_getdents64(int fd, void *buf, size_t count);
int az_getcwd(char *buf, size_t size); /* length including the NUL, as the syscall */
int az_chdir(const char *path);
int az_fchdir(int fd);
int az_truncate(const char *path, off_t length);
int az_ftruncate(int fd, off_t length);
int az_fsync(int fd);
int az_fdatasync(int fd);
int az_sync(void);
int az_fcntl(int fd, int cmd, long arg); /* arg: a struct flock * for F_GETLK/F_SETLK/F_SETLKW */
int az_dup(int fd);
int az_dup2(int oldfd, int newfd);
int az_dup3(int oldfd, int newfd, int flags);
int az_chmod(const char *path, mode_t mode);
int az_fchmod(int fd, mode_t mode);
int az_fchmodat(int dirfd, const char *path, mode_t mode);
int az_chown(const char *path, uid_t owner, gid_t group);
int az_fchown(int fd, uid_t owner, gid_t group);
int az_lchown(const char *path, uid_t owner, gid_t group);
int az_fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags);
int az_utimensat(int dirfd, const char *path, const struct timespec times[2], int flags);
int az_umask(mode_t mask); /* the previous mask */
int az_statfs(const char *path, struct statfs *buf);
int az_fstatfs(int fd, struct statfs *buf);
ssize_t az_sendfile(int out_fd, int in_fd, off_t *offset, size_t count);
int az_ioctl(int fd, unsigned long request, unsigned long arg); /* arg must not be a pointer */
int az_uname(struct utsname *buf);
int az_gethostname(char *name, size_t len);
int az_gethostbyname(const char *name, int family, struct az_hostent *out);

/* Sockets and polling. */
int az_socket(int domain, int type, int protocol);
int az_bind(int fd, const struct sockaddr *addr, socklen_t len);
int az_listen(int fd, int backlog);
int az_accept(int fd, struct sockaddr *addr, socklen_t *len);
int az_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int az_connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t az_send(int fd, const void *buf, size_t len, int flags);
ssize_t az_recv(int fd, void *buf, size_t len, int flags);
ssize_t az_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *dest, socklen_t destlen);
ssize_t az_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *src, socklen_t *srclen);
ssize_t az_sendmsg(int fd, const struct msghdr *msg, int flags); /* no ancillary data */
ssize_t az_recvmsg(int fd, struct msghdr *msg, int flags);       /* no ancillary data */
int az_shutdown(int fd, int how);
int az_getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int az_getpeername(int fd, struct sockaddr *addr, socklen_t *len);
int az_setsockopt(int fd, int level, int name, const void *value, socklen_t len);
int az_getsockopt(int fd, int level, int name, void *value, socklen_t *len);
int az_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);
int az_ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout);

#endif
