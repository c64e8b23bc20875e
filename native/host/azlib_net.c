/* azlib_net.c -- the socket and polling calls of azlib (see azlib.h). */
#include "azlib_internal.h"

#include <errno.h>
#include <string.h>

#include "arena.h"

static int64_t call(uint16_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
    return az_syscall(op, a0, a1, a2, 0, 0, 0);
}

/* bind/connect: an address the caller fills. */
static int addr_in(uint16_t op, int fd, const struct sockaddr *addr, socklen_t len)
{
    uint64_t a;
    int e = azlib_buf(addr, len, &a);
    return e ? e : (int)call(op, (uint64_t)fd, a, len);
}

/* accept/getsockname/getpeername: an optional address the host fills, with its in/out length. */
static int addr_out(uint16_t op, int fd, struct sockaddr *addr, socklen_t *len, uint64_t a3)
{
    uint64_t a, l;
    int e = azlib_len(len, &l);
    if (!e)
        e = azlib_opt(addr, len ? *len : 0, &a);
    return e ? e : (int)az_syscall(op, (uint64_t)fd, a, l, a3, 0, 0);
}

int az_socket(int domain, int type, int protocol)
{
    return (int)call(AZ_OP_SOCKET, (uint64_t)domain, (uint64_t)type, (uint64_t)protocol);
}

int az_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    return addr_in(AZ_OP_BIND, fd, addr, len);
}

int az_listen(int fd, int backlog)
{
    return (int)call(AZ_OP_LISTEN, (uint64_t)fd, (uint64_t)backlog, 0);
}

int az_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    return addr_out(AZ_OP_ACCEPT, fd, addr, len, 0);
}

int az_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    return addr_out(AZ_OP_ACCEPT4, fd, addr, len, (uint64_t)flags);
}

int az_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    return addr_in(AZ_OP_CONNECT, fd, addr, len);
}

ssize_t az_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *dest, socklen_t destlen)
{
    uint64_t b, d;
    int e = azlib_buf(buf, len, &b);
    if (!e)
        e = azlib_opt(dest, destlen, &d);
    return e ? e : (ssize_t)az_syscall(AZ_OP_SENDTO, (uint64_t)fd, b, len, (uint64_t)flags, d, dest ? destlen : 0);
}

ssize_t az_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *src, socklen_t *srclen)
{
    uint64_t b, s, l;
    int e = azlib_buf(buf, len, &b);
    if (!e)
        e = azlib_len(srclen, &l);
    if (!e)
        e = azlib_opt(src, srclen ? *srclen : 0, &s);
    return e ? e : (ssize_t)az_syscall(AZ_OP_RECVFROM, (uint64_t)fd, b, len, (uint64_t)flags, s, l);
}

ssize_t az_send(int fd, const void *buf, size_t len, int flags)
{
    return az_sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t az_recv(int fd, void *buf, size_t len, int flags)
{
    return az_recvfrom(fd, buf, len, flags, NULL, NULL);
}

/*
 * sendmsg/recvmsg: the ABI wants a msghdr whose pointers are GPAs, so build
 * one in the arena; recvmsg's results (name length, flags) are copied back.
 */
static ssize_t msg_op(uint16_t op, int fd, struct msghdr *msg, int flags, int copy_back)
{
    if (msg->msg_control || msg->msg_controllen)
        return -EINVAL; /* the ABI carries no ancillary data */
    uint64_t iov, name;
    size_t mark;
    int e = azlib_opt(msg->msg_name, msg->msg_namelen, &name);
    if (e)
        return e;
    if (msg->msg_iovlen > AZ_IOV_MAX)
        return -EMSGSIZE;
    e = azlib_iov(msg->msg_iov, (int)msg->msg_iovlen, &iov, &mark);
    if (e)
        return e;
    ssize_t r;
    struct msghdr *shared = arena_try_alloc(sizeof *shared);
    uint64_t m;
    if (!shared || azlib_buf(shared, sizeof *shared, &m) != 0) {
        r = -ENOMEM;
    } else {
        shared->msg_name = (void *)(uintptr_t)name;
        shared->msg_namelen = msg->msg_namelen;
        shared->msg_iov = (struct iovec *)(uintptr_t)iov;
        shared->msg_iovlen = msg->msg_iovlen;
        r = (ssize_t)call(op, (uint64_t)fd, m, (uint64_t)flags);
        if (copy_back && r >= 0) {
            msg->msg_namelen = shared->msg_namelen;
            msg->msg_flags = shared->msg_flags;
        }
    }
    arena_release(mark);
    return r;
}

ssize_t az_sendmsg(int fd, const struct msghdr *msg, int flags)
{
    struct msghdr copy = *msg;
    return msg_op(AZ_OP_SENDMSG, fd, &copy, flags, 0);
}

ssize_t az_recvmsg(int fd, struct msghdr *msg, int flags)
{
    return msg_op(AZ_OP_RECVMSG, fd, msg, flags, 1);
}

int az_shutdown(int fd, int how)
{
    return (int)call(AZ_OP_SHUTDOWN, (uint64_t)fd, (uint64_t)how, 0);
}

int az_getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
    return addr_out(AZ_OP_GETSOCKNAME, fd, addr, len, 0);
}

int az_getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
    return addr_out(AZ_OP_GETPEERNAME, fd, addr, len, 0);
}

int az_setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
    uint64_t v;
    int e = azlib_opt(value, len, &v);
    return e ? e : (int)az_syscall(AZ_OP_SETSOCKOPT, (uint64_t)fd, (uint64_t)level, (uint64_t)name, v, len, 0);
}

int az_getsockopt(int fd, int level, int name, void *value, socklen_t *len)
{
    uint64_t v, l;
    int e = azlib_len(len, &l);
    if (!e)
        e = azlib_opt(value, len ? *len : 0, &v);
    return e ? e : (int)az_syscall(AZ_OP_GETSOCKOPT, (uint64_t)fd, (uint64_t)level, (uint64_t)name, v, l, 0);
}

int az_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
    uint64_t f;
    if (nfds > AZ_POLL_MAX)
        return -EINVAL;
    int e = azlib_buf(fds, nfds * sizeof *fds, &f);
    return e ? e : (int)call(AZ_OP_POLL, f, nfds, (uint64_t)timeout_ms);
}

int az_ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout)
{
    uint64_t f, t;
    if (nfds > AZ_POLL_MAX)
        return -EINVAL;
    int e = azlib_buf(fds, nfds * sizeof *fds, &f);
    if (!e)
        e = azlib_opt(timeout, sizeof *timeout, &t);
    return e ? e : (int)az_syscall(AZ_OP_PPOLL, f, nfds, t, 0, 0, 0);
}
