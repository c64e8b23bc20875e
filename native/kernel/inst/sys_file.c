/*
 * sys_file.c -- the file and network calls, offloaded to the host through
 * this core's channel (abi.h): the Linux arguments, with every pointer
 * replaced by its guest-physical address.  Each pointer is checked against
 * the program's memory first (uaccess.c) with the length the call implies;
 * arrays of pointers (iovec, msghdr) are rebuilt with GPAs in the calling
 * thread's bounce space.  With AZ_BOOT_SERIAL_STDIO, fds 1 and 2 are the
 * node log until the program moves them (dup2 of a pipe onto 1, close).
 * Pipes, eventfds, timerfds, socketpairs, epoll and select are the host's
 * objects, offloaded like sockets (docs/architecture.md says why); a write
 * that meets a pipe or socket with no reader (EPIPE) raises SIGPIPE here,
 * as Linux does.  readlink of /proc/self/exe is answered here, and any other
 * path under /proc or /sys is -ENOENT: the host's would describe the host.
 */
#include "inst/linux_sizes.h"
#include "inst/signal.h"
#include "inst/syscalls.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/string.h"

/* How each argument is passed. */
enum {
    A_NONE = 0,   /* not an argument of this call: sent as 0 */
    A_VAL,        /* a number */
    A_STR,        /* a path, NUL-terminated within AZ_PATH_MAX */
    A_STR_OPT,    /* a path or NULL */
    A_IN,         /* a buffer the host reads; its length is argument n */
    A_OUT,        /* a buffer the host writes; its length is argument n */
    A_IN_OPT,     /* A_IN or NULL */
    A_FIX_IN,     /* n bytes the host reads */
    A_FIX_OUT,    /* n bytes the host writes */
    A_FIX_IO_OPT, /* n bytes both ways, or NULL */
    A_FIX_IN_OPT,
    A_SOCK_OUT, /* a buffer whose capacity is the socklen_t at argument n, or NULL */
    A_POLL,     /* argument n pollfds, both ways */
    A_EPOLL,    /* argument n (an int) struct epoll_event, written by the host */
};

struct arg {
    uint8_t kind;
    uint16_t n;
};

struct offload {
    uint16_t op;
    uint8_t valid;
    struct arg a[6];
};

#define OP(nr, opcode, ...) [nr] = {opcode, 1, {__VA_ARGS__}}
#define V                                                                                                              \
    {                                                                                                                  \
        A_VAL, 0                                                                                                       \
    }
#define S                                                                                                              \
    {                                                                                                                  \
        A_STR, 0                                                                                                       \
    }
#define SO                                                                                                             \
    {                                                                                                                  \
        A_STR_OPT, 0                                                                                                   \
    }
#define IN(n)                                                                                                          \
    {                                                                                                                  \
        A_IN, n                                                                                                        \
    }
#define OUT(n)                                                                                                         \
    {                                                                                                                  \
        A_OUT, n                                                                                                       \
    }
#define IN_OPT(n)                                                                                                      \
    {                                                                                                                  \
        A_IN_OPT, n                                                                                                    \
    }
#define FIN(n)                                                                                                         \
    {                                                                                                                  \
        A_FIX_IN, n                                                                                                    \
    }
#define FOUT(n)                                                                                                        \
    {                                                                                                                  \
        A_FIX_OUT, n                                                                                                   \
    }
#define FIO_OPT(n)                                                                                                     \
    {                                                                                                                  \
        A_FIX_IO_OPT, n                                                                                                \
    }
#define FIN_OPT(n)                                                                                                     \
    {                                                                                                                  \
        A_FIX_IN_OPT, n                                                                                                \
    }
#define SOCK(n)                                                                                                        \
    {                                                                                                                  \
        A_SOCK_OUT, n                                                                                                  \
    }
#define POLL(n)                                                                                                        \
    {                                                                                                                  \
        A_POLL, n                                                                                                      \
    }
#define EPOLL(n)                                                                                                       \
    {                                                                                                                  \
        A_EPOLL, n                                                                                                     \
    }

/* Not sent (scripts/check-opcodes.py): AZ_OP_UNAME (sys_proc.c answers
 * uname), AZ_OP_GETHOSTNAME and AZ_OP_GETHOSTBYNAME (no Linux system call
 * of a program asks for them). */
static const struct offload table[MAX_SYSCALL] = {
    OP(SYS_read, AZ_OP_READ, V, OUT(2), V),
    OP(SYS_write, AZ_OP_WRITE, V, IN(2), V),
    OP(SYS_open, AZ_OP_OPEN, S, V, V),
    OP(SYS_close, AZ_OP_CLOSE, V),
    OP(SYS_stat, AZ_OP_STAT, S, FOUT(LINUX_STAT_SIZE)),
    OP(SYS_fstat, AZ_OP_FSTAT, V, FOUT(LINUX_STAT_SIZE)),
    OP(SYS_lstat, AZ_OP_LSTAT, S, FOUT(LINUX_STAT_SIZE)),
    OP(SYS_poll, AZ_OP_POLL, POLL(1), V, V),
    OP(SYS_lseek, AZ_OP_LSEEK, V, V, V),
    OP(SYS_pread64, AZ_OP_PREAD64, V, OUT(2), V, V),
    OP(SYS_pwrite64, AZ_OP_PWRITE64, V, IN(2), V, V),
    OP(SYS_access, AZ_OP_ACCESS, S, V),
    OP(SYS_dup, AZ_OP_DUP, V),
    OP(SYS_dup2, AZ_OP_DUP2, V, V),
    OP(SYS_dup3, AZ_OP_DUP3, V, V, V),
    OP(SYS_sendfile, AZ_OP_SENDFILE, V, V, FIO_OPT(LINUX_LOFF_SIZE), V),
    OP(SYS_socket, AZ_OP_SOCKET, V, V, V),
    OP(SYS_connect, AZ_OP_CONNECT, V, IN(2), V),
    OP(SYS_accept, AZ_OP_ACCEPT, V, SOCK(2), FIO_OPT(LINUX_SOCKLEN_SIZE)),
    OP(SYS_accept4, AZ_OP_ACCEPT4, V, SOCK(2), FIO_OPT(LINUX_SOCKLEN_SIZE), V),
    OP(SYS_sendto, AZ_OP_SENDTO, V, IN(2), V, V, IN_OPT(5), V),
    OP(SYS_recvfrom, AZ_OP_RECVFROM, V, OUT(2), V, V, SOCK(5), FIO_OPT(LINUX_SOCKLEN_SIZE)),
    OP(SYS_shutdown, AZ_OP_SHUTDOWN, V, V),
    OP(SYS_bind, AZ_OP_BIND, V, IN(2), V),
    OP(SYS_listen, AZ_OP_LISTEN, V, V),
    OP(SYS_getsockname, AZ_OP_GETSOCKNAME, V, SOCK(2), FIO_OPT(LINUX_SOCKLEN_SIZE)),
    OP(SYS_getpeername, AZ_OP_GETPEERNAME, V, SOCK(2), FIO_OPT(LINUX_SOCKLEN_SIZE)),
    OP(SYS_setsockopt, AZ_OP_SETSOCKOPT, V, V, V, IN_OPT(4), V),
    OP(SYS_getsockopt, AZ_OP_GETSOCKOPT, V, V, V, SOCK(4), FIO_OPT(LINUX_SOCKLEN_SIZE)),
    OP(SYS_fsync, AZ_OP_FSYNC, V),
    OP(SYS_fdatasync, AZ_OP_FDATASYNC, V),
    OP(SYS_truncate, AZ_OP_TRUNCATE, S, V),
    OP(SYS_ftruncate, AZ_OP_FTRUNCATE, V, V),
    OP(SYS_getdents64, AZ_OP_GETDENTS64, V, OUT(2), V),
    OP(SYS_getcwd, AZ_OP_GETCWD, OUT(1), V),
    OP(SYS_chdir, AZ_OP_CHDIR, S),
    OP(SYS_fchdir, AZ_OP_FCHDIR, V),
    OP(SYS_rename, AZ_OP_RENAME, S, S),
    OP(SYS_mkdir, AZ_OP_MKDIR, S, V),
    OP(SYS_rmdir, AZ_OP_RMDIR, S),
    OP(SYS_creat, AZ_OP_CREAT, S, V),
    OP(SYS_link, AZ_OP_LINK, S, S),
    OP(SYS_unlink, AZ_OP_UNLINK, S),
    OP(SYS_symlink, AZ_OP_SYMLINK, S, S),
    OP(SYS_readlink, AZ_OP_READLINK, S, OUT(2), V),
    OP(SYS_chmod, AZ_OP_CHMOD, S, V),
    OP(SYS_fchmod, AZ_OP_FCHMOD, V, V),
    OP(SYS_chown, AZ_OP_CHOWN, S, V, V),
    OP(SYS_fchown, AZ_OP_FCHOWN, V, V, V),
    OP(SYS_lchown, AZ_OP_LCHOWN, S, V, V),
    OP(SYS_umask, AZ_OP_UMASK, V),
    OP(SYS_statfs, AZ_OP_STATFS, S, FOUT(LINUX_STATFS_SIZE)),
    OP(SYS_fstatfs, AZ_OP_FSTATFS, V, FOUT(LINUX_STATFS_SIZE)),
    OP(SYS_sync, AZ_OP_SYNC),
    OP(SYS_openat, AZ_OP_OPENAT, V, S, V, V),
    OP(SYS_mkdirat, AZ_OP_MKDIRAT, V, S, V),
    OP(SYS_fchownat, AZ_OP_FCHOWNAT, V, S, V, V, V),
    OP(SYS_newfstatat, AZ_OP_NEWFSTATAT, V, S, FOUT(LINUX_STAT_SIZE), V),
    OP(SYS_unlinkat, AZ_OP_UNLINKAT, V, S, V),
    OP(SYS_renameat, AZ_OP_RENAMEAT2, V, S, V, S), /* flags (a4) must be 0: see below */
    OP(SYS_renameat2, AZ_OP_RENAMEAT2, V, S, V, S, V),
    OP(SYS_linkat, AZ_OP_LINKAT, V, S, V, S, V),
    OP(SYS_symlinkat, AZ_OP_SYMLINKAT, S, V, S),
    OP(SYS_readlinkat, AZ_OP_READLINKAT, V, S, OUT(3), V),
    OP(SYS_fchmodat, AZ_OP_FCHMODAT, V, S, V),
    OP(SYS_faccessat, AZ_OP_FACCESSAT, V, S, V),
    OP(SYS_ppoll, AZ_OP_PPOLL, POLL(1), V, FIN_OPT(LINUX_TIMESPEC_SIZE)),
    OP(SYS_utimensat, AZ_OP_UTIMENSAT, V, SO, FIN_OPT(2 * LINUX_TIMESPEC_SIZE), V),
    OP(SYS_pipe, AZ_OP_PIPE2, FOUT(2 * 4)),
    OP(SYS_pipe2, AZ_OP_PIPE2, FOUT(2 * 4), V),
    OP(SYS_eventfd, AZ_OP_EVENTFD2, V),
    OP(SYS_eventfd2, AZ_OP_EVENTFD2, V, V),
    OP(SYS_socketpair, AZ_OP_SOCKETPAIR, V, V, V, FOUT(2 * 4)),
    OP(SYS_epoll_create1, AZ_OP_EPOLL_CREATE1, V),
    OP(SYS_epoll_ctl, AZ_OP_EPOLL_CTL, V, V, V, FIN_OPT(LINUX_EPOLL_EVENT_SIZE)),
    OP(SYS_epoll_wait, AZ_OP_EPOLL_PWAIT, V, EPOLL(2), V, V),
    OP(SYS_epoll_pwait, AZ_OP_EPOLL_PWAIT, V, EPOLL(2), V, V), /* no signal mask over the channel */
    OP(SYS_timerfd_create, AZ_OP_TIMERFD_CREATE, V, V),
    OP(SYS_timerfd_settime, AZ_OP_TIMERFD_SETTIME, V, V, FIN(LINUX_ITIMERSPEC_SIZE), FIO_OPT(LINUX_ITIMERSPEC_SIZE)),
    OP(SYS_timerfd_gettime, AZ_OP_TIMERFD_GETTIME, V, FOUT(LINUX_ITIMERSPEC_SIZE)),
};

#define F_GETLK            5
#define F_SETLK            6
#define F_SETLKW           7
#define F_OFD_GETLK        36
#define F_OFD_SETLK        37
#define F_OFD_SETLKW       38
#define TCGETS             0x5401
#define TIOCGWINSZ         0x5413
#define FIONBIO            0x5421
#define FIONREAD           0x541B
#define LINUX_TERMIOS_SIZE 36 /* struct termios of the TCGETS ioctl (the kernel's, without speeds) */
#define LINUX_WINSIZE_SIZE 8
#define MSG_NOSIGNAL       0x4000
#define FD_SETSIZE         1024 /* the instance's fd limit (the proxy's FdTable) */
#define SIGPIPE            13

static int64_t call(struct instance *in, uint16_t op, const uint64_t *g)
{
    return offload_call(in, op, g);
}

/* One argument to its on-the-wire form (a GPA for pointers). */
static int translate(struct instance *in, const struct arg *spec, const uint64_t *a, int i, uint64_t *out)
{
    uint64_t p = a[i], len = 0;
    uint32_t prot = PROT_READ;
    out[i] = p;
    switch (spec->kind) {
    case A_NONE:
        out[i] = 0;
        return 0;
    case A_VAL:
        return 0;
    case A_STR_OPT:
        if (!p)
            return 0;
        /* fall through */
    case A_STR: {
        int r = user_strlen(in, p, AZ_PATH_MAX, &len);
        return r ? r : user_gpa(in, p, len + 1, PROT_READ, &out[i]);
    }
    case A_IN_OPT:
        if (!p)
            return 0;
        /* fall through */
    case A_IN:
        len = a[spec->n];
        break;
    case A_OUT:
        len = a[spec->n];
        prot = PROT_WRITE;
        break;
    case A_FIX_IN_OPT:
        if (!p)
            return 0;
        /* fall through */
    case A_FIX_IN:
        len = spec->n;
        break;
    case A_FIX_OUT:
        len = spec->n;
        prot = PROT_WRITE;
        break;
    case A_FIX_IO_OPT:
        if (!p)
            return 0;
        len = spec->n;
        prot = PROT_READ | PROT_WRITE;
        break;
    case A_SOCK_OUT: {
        if (!p)
            return 0;
        uint32_t cap;
        int r = copy_from_user(in, &cap, a[spec->n], sizeof cap);
        if (r)
            return r;
        len = cap;
        prot = PROT_WRITE;
        break;
    }
    case A_POLL:
        if (a[spec->n] > AZ_POLL_MAX)
            return -EINVAL;
        len = a[spec->n] * LINUX_POLLFD_SIZE;
        prot = PROT_READ | PROT_WRITE;
        break;
    case A_EPOLL: {
        int n = (int)a[spec->n];
        if (n <= 0 || n > INT32_MAX / LINUX_EPOLL_EVENT_SIZE)
            return 0; /* the host answers EINVAL */
        len = (uint64_t)n * LINUX_EPOLL_EVENT_SIZE;
        prot = PROT_WRITE;
        break;
    }
    }
    if (len == 0)
        return 0; /* nothing will be touched: pass the value as it is */
    return user_gpa(in, p, len, prot, &out[i]);
}

/* Room for n iovecs in the current thread (it may block while the host
 * reads them): inline for a few, a lazily allocated array for more. */
static uint64_t *bounce_for(struct instance *in, uint64_t n)
{
    struct thread *t = current_thread();
    if (n <= THREAD_BOUNCE_IOV)
        return t->iov_bounce;
    if (!t->big_bounce) {
        ilock(&in->mm_lock);
        t->big_bounce = (uint64_t *)mm_alloc_kernel(in, 2 * AZ_IOV_MAX * sizeof(uint64_t));
        iunlock(&in->mm_lock);
    }
    return t->big_bounce;
}

/* An iovec array rebuilt with GPAs in the thread's bounce space. */
static int iov_gpa(struct instance *in, uint64_t iov, uint64_t n, uint32_t prot, uint64_t *gpa)
{
    if (n > AZ_IOV_MAX)
        return -EINVAL;
    uint64_t *b = bounce_for(in, n);
    if (!b)
        return -ENOMEM;
    int r = copy_from_user(in, b, iov, n * LINUX_IOVEC_SIZE);
    if (r)
        return r;
    for (uint64_t i = 0; i < n; i++)
        if (b[2 * i + 1] && (r = user_gpa(in, b[2 * i], b[2 * i + 1], prot, &b[2 * i])))
            return r;
    *gpa = (uint64_t)b; /* instance memory, identity mapped */
    return 0;
}

static int stdio_fd(struct instance *in, uint64_t fd)
{
    return (in->flags & AZ_BOOT_SERIAL_STDIO) && (fd == 1 || fd == 2) && !(in->stdio_moved & (1u << fd));
}

/* After a call that may have replaced or closed fds 0-2: their short-cuts end. */
static void note_stdio_moved(struct instance *in, uint64_t nr, const uint64_t *a, int64_t res)
{
    if (res < 0)
        return;
    if (nr == SYS_close && a[0] <= 2)
        in->stdio_moved |= 1u << a[0];
    if ((nr == SYS_dup2 || nr == SYS_dup3) && a[1] <= 2)
        in->stdio_moved |= 1u << a[1];
}

/* A write that found no reader: SIGPIPE to the writer, as Linux sends it
 * (its default action ends the program, status 141), unless MSG_NOSIGNAL. */
static void note_epipe(struct instance *in, uint64_t nr, const uint64_t *a, int64_t res)
{
    if (res != -EPIPE)
        return;
    int sig = nr == SYS_write || nr == SYS_writev || nr == SYS_pwrite64 || nr == SYS_sendfile ||
              (nr == SYS_sendto && !(a[3] & MSG_NOSIGNAL)) || (nr == SYS_sendmsg && !(a[2] & MSG_NOSIGNAL));
    if (sig)
        signal_send(in, current_thread(), SIGPIPE, SI_USER);
}

/* ioctl: the requests whose argument points to memory carry its GPA. */
static int64_t ioctl_call(struct instance *in, const uint64_t *a)
{
    uint64_t g[6] = {a[0], a[1], a[2], 0, 0, 0};
    uint64_t len = 0;
    uint32_t prot = PROT_WRITE;
    switch ((uint32_t)a[1]) {
    case FIONBIO:
        len = 4;
        prot = PROT_READ;
        break;
    case FIONREAD:
        len = 4;
        break;
    case TCGETS:
        len = LINUX_TERMIOS_SIZE;
        break;
    case TIOCGWINSZ:
        len = LINUX_WINSIZE_SIZE;
        break;
    }
    if (len) {
        int r = user_gpa(in, a[2], len, prot, &g[2]);
        if (r)
            return r;
    }
    return call(in, AZ_OP_IOCTL, g);
}

/* select and pselect6: three fd_sets of nfds bits (rounded up to longs, as
 * Linux reads them; nfds beyond the fd limit is cut to it, as in Linux) and
 * the timeout, which the host rewrites with the time left. */
static int64_t select_call(struct instance *in, const uint64_t *a, int timeval)
{
    int n = (int)a[0];
    if (n < 0)
        return -EINVAL;
    if (n > FD_SETSIZE)
        n = FD_SETSIZE;
    uint64_t bytes = ((uint64_t)n + 63) / 64 * 8;
    uint64_t g[6] = {(uint64_t)n, 0, 0, 0, 0, (uint64_t)timeval};
    for (int i = 1; i <= 3; i++) {
        if (!a[i] || !bytes)
            continue;
        int r = user_gpa(in, a[i], bytes, PROT_READ | PROT_WRITE, &g[i]);
        if (r)
            return r;
    }
    if (a[4]) {
        int r = user_gpa(in, a[4], LINUX_TIMESPEC_SIZE, PROT_READ | PROT_WRITE, &g[4]);
        if (r)
            return r;
    }
    return call(in, AZ_OP_SELECT, g);
}

/* Through a kernel buffer: program memory is read only inside copy_from_user's
 * user-access window (SMAP), never under the console lock (a fault there would
 * deadlock the fault report on that lock). */
static int64_t serial_write(struct instance *in, uint64_t buf, uint64_t len)
{
    int r = user_ok(in, buf, len, PROT_READ);
    if (r)
        return r;
    char chunk[256];
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        r = copy_from_user(in, chunk, buf + done, n);
        if (r)
            return done ? (int64_t)done : r;
        console_write(chunk, n);
        done += n;
    }
    return (int64_t)len;
}

static int64_t serial_writev(struct instance *in, uint64_t iov, uint64_t n)
{
    if (n > AZ_IOV_MAX)
        return -EINVAL;
    int64_t total = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t v[2];
        int r = copy_from_user(in, v, iov + LINUX_IOVEC_SIZE * i, sizeof v);
        if (r)
            return r;
        int64_t w = serial_write(in, v[0], v[1]);
        if (w < 0)
            return w;
        total += w;
    }
    return total;
}

static int64_t vec_call(struct instance *in, uint16_t op, const uint64_t *a, uint32_t prot)
{
    uint64_t g[6] = {a[0], 0, a[2], 0, 0, 0};
    int r = iov_gpa(in, a[1], a[2], prot, &g[1]);
    return r ? r : call(in, op, g);
}

_Static_assert(sizeof(((struct thread *)0)->msg_bounce) >= LINUX_MSGHDR_SIZE, "msg_bounce holds a msghdr");

static int64_t msg_call(struct instance *in, uint16_t op, const uint64_t *a, uint32_t prot)
{
    /* struct msghdr: name, namelen(4)+pad, iov, iovlen, control, controllen, flags(4)+pad. */
    uint64_t *m = current_thread()->msg_bounce;
    int r = copy_from_user(in, m, a[1], LINUX_MSGHDR_SIZE);
    if (r)
        return r;
    if (m[4] || m[5])
        return -EINVAL; /* no ancillary data over the channel */
    uint32_t namelen = (uint32_t)m[LINUX_MSGHDR_NAMELEN / 8];
    if (m[0] && namelen && (r = user_gpa(in, m[0], namelen, prot, &m[0])))
        return r;
    if ((r = iov_gpa(in, m[2], m[3], prot, &m[2])))
        return r;
    uint64_t g[6] = {a[0], (uint64_t)m, a[2], 0, 0, 0};
    int64_t res = call(in, op, g);
    if (op == AZ_OP_RECVMSG && res >= 0) {
        /* The host updated namelen and flags in our copy: hand them back. */
        uint64_t back[2] = {m[LINUX_MSGHDR_NAMELEN / 8], m[LINUX_MSGHDR_FLAGS / 8]};
        copy_to_user(in, a[1] + LINUX_MSGHDR_NAMELEN, &back[0], LINUX_SOCKLEN_SIZE);
        copy_to_user(in, a[1] + LINUX_MSGHDR_FLAGS, &back[1], 4);
    }
    return res;
}

int64_t sys_offload_nop(struct instance *in, const uint64_t *a)
{
    (void)a;
    const uint64_t g[6] = {0};
    return call(in, AZ_OP_NOP, g);
}

/* A path under /proc or /sys: those describe this instance, not the host,
 * and no file system here has them (glibc then counts CPUs with
 * sched_getaffinity).  Only absolute paths: 1 if so. */
static int is_kernel_path(struct instance *in, uint64_t va)
{
    char buf[6];
    uint64_t len;
    int r = user_strlen(in, va, AZ_PATH_MAX, &len);
    if (r || len < 5 || copy_from_user(in, buf, va, 6))
        return 0;
    return memcmp(buf, "/proc/", 6) == 0 || memcmp(buf, "/sys/", 5) == 0 ||
           (len == 5 && memcmp(buf, "/proc", 5) == 0) || (len == 4 && memcmp(buf, "/sys", 4) == 0);
}

/* "/proc/self/exe" at va (a readlink path): 1 if so. */
static int is_self_exe(struct instance *in, uint64_t va)
{
    static const char self[] = "/proc/self/exe";
    char buf[sizeof self];
    uint64_t len;
    if (user_strlen(in, va, sizeof buf, &len) || len != sizeof self - 1)
        return 0;
    if (copy_from_user(in, buf, va, sizeof buf))
        return 0;
    return memcmp(buf, self, sizeof self) == 0;
}

/* The program's own path for readlink("/proc/self/exe"): argv[0], made absolute. */
static int64_t self_exe(struct instance *in, uint64_t buf, uint64_t size)
{
    char path[256];
    const char *argv0 = (const char *)in->strings_gpa;
    uint64_t n = strnlen(argv0, in->strings_size);
    uint64_t at = 0;
    if (n == 0 || argv0[0] != '/')
        path[at++] = '/';
    if (n > sizeof path - at)
        n = sizeof path - at;
    memcpy(path + at, argv0, n);
    at += n;
    if (at > size)
        at = size;
    int r = copy_to_user(in, buf, path, at);
    return r ? r : (int64_t)at;
}

static int64_t offload(struct instance *in, uint64_t nr, const uint64_t *a, int *handled);

int64_t sys_offload(struct instance *in, uint64_t nr, const uint64_t *a, int *handled)
{
    int64_t res = offload(in, nr, a, handled);
    if (*handled) {
        note_stdio_moved(in, nr, a, res);
        note_epipe(in, nr, a, res);
    }
    return res;
}

static int64_t offload(struct instance *in, uint64_t nr, const uint64_t *a, int *handled)
{
    *handled = 1;
    if (nr == SYS_readlink && is_self_exe(in, a[0]))
        return self_exe(in, a[1], a[2]);
    if (nr == SYS_readlinkat && (int)a[0] == -100 && is_self_exe(in, a[1]))
        return self_exe(in, a[2], a[3]);
    switch (nr) {
    case SYS_open:
    case SYS_stat:
    case SYS_lstat:
    case SYS_access:
    case SYS_readlink:
        if (is_kernel_path(in, a[0]))
            return -ENOENT;
        break;
    case SYS_openat:
    case SYS_newfstatat:
    case SYS_faccessat:
    case SYS_faccessat2:
    case SYS_readlinkat:
        if (is_kernel_path(in, a[1]))
            return -ENOENT;
        break;
    }
    /* Serial stdio first: it needs no channel. */
    if ((nr == SYS_write || nr == SYS_pwrite64) && stdio_fd(in, a[0]))
        return serial_write(in, a[1], a[2]);
    if (nr == SYS_writev && stdio_fd(in, a[0]))
        return serial_writev(in, a[1], a[2]);
    if ((in->flags & AZ_BOOT_SERIAL_STDIO) && !in->have_client && nr == SYS_read && a[0] == 0 && !(in->stdio_moved & 1))
        return 0; /* no stdin: end of file */

    switch (nr) {
    case SYS_ioctl:
        return ioctl_call(in, a);
    case SYS_select:
        return select_call(in, a, 1);
    case SYS_pselect6:
        return select_call(in, a, 0); /* a[5], the signal mask, does not cross the channel */
    case SYS_epoll_create: {
        if ((int)a[0] <= 0)
            return -EINVAL;
        const uint64_t g[6] = {0};
        return call(in, AZ_OP_EPOLL_CREATE1, g);
    }
    case SYS_fcntl: {
        uint64_t g[6] = {a[0], a[1], a[2], 0, 0, 0};
        if (a[1] == F_GETLK || a[1] == F_SETLK || a[1] == F_SETLKW || a[1] == F_OFD_GETLK || a[1] == F_OFD_SETLK ||
            a[1] == F_OFD_SETLKW) {
            int r = user_gpa(in, a[2], LINUX_FLOCK_SIZE, PROT_READ | PROT_WRITE, &g[2]);
            if (r)
                return r;
        }
        return call(in, AZ_OP_FCNTL, g);
    }
    case SYS_readv:
        return vec_call(in, AZ_OP_READV, a, PROT_WRITE);
    case SYS_writev:
        return vec_call(in, AZ_OP_WRITEV, a, PROT_READ);
    case SYS_sendmsg:
        return msg_call(in, AZ_OP_SENDMSG, a, PROT_READ);
    case SYS_recvmsg:
        return msg_call(in, AZ_OP_RECVMSG, a, PROT_WRITE);
    case SYS_renameat:
        break;
    case SYS_faccessat2:
        if (a[3] != 0)
            return -ENOSYS; /* the channel's faccessat has no flags */
        nr = SYS_faccessat;
        break;
    }
    const struct offload *o = &table[nr];
    if (!o->valid) {
        *handled = 0;
        return -ENOSYS;
    }
    uint64_t g[6] = {0};
    for (int i = 0; i < 6; i++) {
        int r = translate(in, &o->a[i], a, i, g);
        if (r)
            return r;
    }
    if (nr == SYS_renameat)
        g[4] = 0;
    if (nr == SYS_ppoll)
        g[3] = 0; /* no signal mask over the channel */
    if (nr == SYS_timerfd_settime) {
        /* An absolute expiry is on the instance's clocks, which are not the host's. */
        g[4] = (uint64_t)clock_now(in, 1 /* CLOCK_MONOTONIC */);
        g[5] = (uint64_t)clock_now(in, 0 /* CLOCK_REALTIME */);
    }
    return call(in, o->op, g);
}
