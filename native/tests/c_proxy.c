/*
 * c-proxy -- a minimal offload proxy in C, for testing the stub without the
 * JVM and for a C-to-C floor in benchmarks.  NOT the real proxy: it runs
 * every request with the host's own system call, on host fd numbers, in its
 * working directory (--root) with no confinement, one request at a time.
 * The real proxy is the Java one (org.azalea.proxy).
 *
 *   c-proxy --shm PATH --size BYTES --gpa-base HEX --region-offset HEX
 *           [--channels N] [--entries N] [--root DIR] [--spin]
 *
 * Creates PATH (BYTES long), formats a region at the offset, prints "ready"
 * on stdout, and serves until SIGTERM or SIGINT.  Sleeps on the doorbell
 * when idle unless --spin.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ring_host.h"

struct map {
    char *base;
    uint64_t gpa_base, size;
};

static struct map gm;
static struct ring_host host;

/* GPA -> pointer; 0 stays NULL; outside the file: NULL with *bad set. */
static void *ptr(uint64_t gpa, int *bad)
{
    if (gpa == 0)
        return NULL;
    if (gpa < gm.gpa_base || gpa - gm.gpa_base >= gm.size) {
        *bad = 1;
        return NULL;
    }
    return gm.base + (gpa - gm.gpa_base);
}

/* Each opcode: its Linux system call and which arguments are pointers.
 * NOP, READV, WRITEV, SENDMSG and RECVMSG are served in handle().  Not served
 * (-ENOSYS; scripts/check-opcodes.py): AZ_OP_GETHOSTNAME, AZ_OP_GETHOSTBYNAME,
 * which no Linux system call matches; AZ_OP_SELECT and AZ_OP_TIMERFD_SETTIME,
 * whose last arguments are not Linux's; AZ_OP_FMAP_OPEN, AZ_OP_FMAP_READ,
 * AZ_OP_FMAP_WRITE, AZ_OP_FMAP_SYNC, AZ_OP_FMAP_CLOSE (file mappings'
 * handles: only the Java proxy serves them). */
struct op {
    int present; /* read is system call 0, so the number cannot say "none" */
    long nr;
    unsigned ptrs; /* bit i: args[i] is a GPA */
};
#define OP(nr, ptrs)                                                                                                   \
    {                                                                                                                  \
        1, nr, ptrs                                                                                                    \
    }

static const struct op ops[AZ_OP__LAST] = {
    [AZ_OP_READ] = OP(SYS_read, 1u << 1),
    [AZ_OP_WRITE] = OP(SYS_write, 1u << 1),
    [AZ_OP_OPEN] = OP(SYS_open, 1u << 0),
    [AZ_OP_CREAT] = OP(SYS_creat, 1u << 0),
    [AZ_OP_CLOSE] = OP(SYS_close, 0),
    [AZ_OP_LSEEK] = OP(SYS_lseek, 0),
    [AZ_OP_LSTAT] = OP(SYS_lstat, 3u),
    [AZ_OP_MKDIR] = OP(SYS_mkdir, 1u),
    [AZ_OP_LINK] = OP(SYS_link, 3u),
    [AZ_OP_UNLINK] = OP(SYS_unlink, 1u),
    [AZ_OP_READLINK] = OP(SYS_readlink, 3u),
    [AZ_OP_OPENAT] = OP(SYS_openat, 1u << 1),
    [AZ_OP_UNAME] = OP(SYS_uname, 1u),
    [AZ_OP_GETCWD] = OP(SYS_getcwd, 1u),
    [AZ_OP_CHDIR] = OP(SYS_chdir, 1u),
    [AZ_OP_ACCESS] = OP(SYS_access, 1u),
    [AZ_OP_STAT] = OP(SYS_stat, 3u),
    [AZ_OP_SYNC] = OP(SYS_sync, 0),
    [AZ_OP_FSTAT] = OP(SYS_fstat, 1u << 1),
    [AZ_OP_IOCTL] = OP(SYS_ioctl, 0),
    [AZ_OP_GETSOCKNAME] = OP(SYS_getsockname, 6u),
    [AZ_OP_SOCKET] = OP(SYS_socket, 0),
    [AZ_OP_BIND] = OP(SYS_bind, 2u),
    [AZ_OP_LISTEN] = OP(SYS_listen, 0),
    [AZ_OP_CONNECT] = OP(SYS_connect, 2u),
    [AZ_OP_ACCEPT] = OP(SYS_accept, 6u),
    [AZ_OP_PREAD64] = OP(SYS_pread64, 2u),
    [AZ_OP_PWRITE64] = OP(SYS_pwrite64, 2u),
    [AZ_OP_GETDENTS64] = OP(SYS_getdents64, 2u),
    [AZ_OP_NEWFSTATAT] = OP(SYS_newfstatat, 6u),
    [AZ_OP_FCNTL] = OP(SYS_fcntl, 0), /* arg is a GPA for the lock commands: see handle() */
    [AZ_OP_FSYNC] = OP(SYS_fsync, 0),
    [AZ_OP_FDATASYNC] = OP(SYS_fdatasync, 0),
    [AZ_OP_FTRUNCATE] = OP(SYS_ftruncate, 0),
    [AZ_OP_RENAME] = OP(SYS_rename, 3u),
    [AZ_OP_RENAMEAT2] = OP(SYS_renameat2, 10u),
    [AZ_OP_RMDIR] = OP(SYS_rmdir, 1u),
    [AZ_OP_SYMLINK] = OP(SYS_symlink, 3u),
    [AZ_OP_CHMOD] = OP(SYS_chmod, 1u),
    [AZ_OP_FCHMOD] = OP(SYS_fchmod, 0),
    [AZ_OP_CHOWN] = OP(SYS_chown, 1u),
    [AZ_OP_FCHOWN] = OP(SYS_fchown, 0),
    [AZ_OP_LCHOWN] = OP(SYS_lchown, 1u),
    [AZ_OP_UTIMENSAT] = OP(SYS_utimensat, 6u),
    [AZ_OP_UNLINKAT] = OP(SYS_unlinkat, 2u),
    [AZ_OP_MKDIRAT] = OP(SYS_mkdirat, 2u),
    [AZ_OP_DUP] = OP(SYS_dup, 0),
    [AZ_OP_DUP2] = OP(SYS_dup2, 0),
    [AZ_OP_DUP3] = OP(SYS_dup3, 0),
    [AZ_OP_SENDFILE] = OP(SYS_sendfile, 4u),
    [AZ_OP_UMASK] = OP(SYS_umask, 0),
    [AZ_OP_STATFS] = OP(SYS_statfs, 3u),
    [AZ_OP_FSTATFS] = OP(SYS_fstatfs, 2u),
    [AZ_OP_POLL] = OP(SYS_poll, 1u),
    [AZ_OP_SENDTO] = OP(SYS_sendto, 0x12u),
    [AZ_OP_RECVFROM] = OP(SYS_recvfrom, 0x32u),
    [AZ_OP_SHUTDOWN] = OP(SYS_shutdown, 0),
    [AZ_OP_SETSOCKOPT] = OP(SYS_setsockopt, 8u),
    [AZ_OP_GETSOCKOPT] = OP(SYS_getsockopt, 0x18u),
    [AZ_OP_GETPEERNAME] = OP(SYS_getpeername, 6u),
    [AZ_OP_ACCEPT4] = OP(SYS_accept4, 6u),
    [AZ_OP_FACCESSAT] = OP(SYS_faccessat, 2u),
    [AZ_OP_READLINKAT] = OP(SYS_readlinkat, 6u),
    [AZ_OP_SYMLINKAT] = OP(SYS_symlinkat, 5u),
    [AZ_OP_LINKAT] = OP(SYS_linkat, 10u),
    [AZ_OP_FCHMODAT] = OP(SYS_fchmodat, 2u),
    [AZ_OP_FCHOWNAT] = OP(SYS_fchownat, 2u),
    [AZ_OP_FCHDIR] = OP(SYS_fchdir, 0),
    [AZ_OP_TRUNCATE] = OP(SYS_truncate, 1u),
    [AZ_OP_PPOLL] = OP(SYS_ppoll, 5u),
    [AZ_OP_PIPE2] = OP(SYS_pipe2, 1u),
    [AZ_OP_EVENTFD2] = OP(SYS_eventfd2, 0),
    [AZ_OP_SOCKETPAIR] = OP(SYS_socketpair, 8u),
    [AZ_OP_EPOLL_CREATE1] = OP(SYS_epoll_create1, 0),
    [AZ_OP_EPOLL_CTL] = OP(SYS_epoll_ctl, 8u),
    [AZ_OP_EPOLL_PWAIT] = OP(SYS_epoll_pwait, 2u),
    [AZ_OP_TIMERFD_CREATE] = OP(SYS_timerfd_create, 0),
    [AZ_OP_TIMERFD_GETTIME] = OP(SYS_timerfd_gettime, 2u),
};

static long ret(long r)
{
    return r < 0 ? -errno : r;
}

/* A GPA iovec table -> host iovecs. */
static int iovecs(uint64_t gpa, uint64_t count, struct iovec *out)
{
    int bad = 0;
    if (count > AZ_IOV_MAX)
        return -EINVAL;
    const uint64_t *t = ptr(gpa, &bad);
    if (bad || (!t && count))
        return -EFAULT;
    for (uint64_t i = 0; i < count; i++) {
        out[i].iov_base = ptr(t[2 * i], &bad);
        out[i].iov_len = t[2 * i + 1];
    }
    return bad ? -EFAULT : 0;
}

static int64_t msg_call(const struct az_sqe *r)
{
    static struct iovec iov[AZ_IOV_MAX];
    int bad = 0;
    struct msghdr *g = ptr(r->args[1], &bad);
    if (bad || !g)
        return -EFAULT;
    struct msghdr m = *g;
    m.msg_name = ptr((uint64_t)(uintptr_t)g->msg_name, &bad);
    int e = iovecs((uint64_t)(uintptr_t)g->msg_iov, g->msg_iovlen, iov);
    if (bad || e)
        return bad ? -EFAULT : e;
    m.msg_iov = iov;
    m.msg_control = NULL;
    m.msg_controllen = 0;
    long n = r->opcode == AZ_OP_SENDMSG ? sendmsg((int)r->args[0], &m, (int)r->args[2])
                                        : recvmsg((int)r->args[0], &m, (int)r->args[2]);
    if (n >= 0) {
        g->msg_namelen = m.msg_namelen;
        g->msg_flags = m.msg_flags;
    }
    return ret(n);
}

static int64_t handle(struct ring_host *h, const struct az_sqe *r)
{
    (void)h;
    static struct iovec iov[AZ_IOV_MAX];
    if (r->opcode == AZ_OP_NOP)
        return 0;
    if (r->opcode == AZ_OP_READV || r->opcode == AZ_OP_WRITEV) {
        int e = iovecs(r->args[1], r->args[2], iov);
        if (e)
            return e;
        return ret(r->opcode == AZ_OP_READV ? readv((int)r->args[0], iov, (int)r->args[2])
                                            : writev((int)r->args[0], iov, (int)r->args[2]));
    }
    if (r->opcode == AZ_OP_SENDMSG || r->opcode == AZ_OP_RECVMSG)
        return msg_call(r);
    if (r->opcode >= AZ_OP__LAST || !ops[r->opcode].present)
        return -ENOSYS;
    uint64_t a[6];
    int bad = 0;
    unsigned ptrs = ops[r->opcode].ptrs;
    if (r->opcode == AZ_OP_FCNTL) {
        int cmd = (int)r->args[1];
        ptrs = (cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW) ? 4u : 0u;
    }
    for (int i = 0; i < 6; i++)
        a[i] = (ptrs >> i) & 1 ? (uint64_t)(uintptr_t)ptr(r->args[i], &bad) : r->args[i];
    if (bad)
        return -EFAULT;
    return ret(syscall(ops[r->opcode].nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}

static void on_signal(int sig)
{
    (void)sig;
    host.stop = 1;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"shm", required_argument, 0, 's'},
        {"size", required_argument, 0, 'z'},
        {"gpa-base", required_argument, 0, 'g'},
        {"region-offset", required_argument, 0, 'r'},
        {"channels", required_argument, 0, 'c'},
        {"entries", required_argument, 0, 'e'},
        {"root", required_argument, 0, 'R'},
        {"spin", no_argument, 0, 'S'},
        {0, 0, 0, 0},
    };
    const char *path = NULL, *root = ".";
    uint64_t size = 16 << 20, offset = 0;
    unsigned channels = 4, entries = 64;
    int spin = 0, c;
    gm.gpa_base = 0x100000000ull;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            path = optarg;
            break;
        case 'z':
            size = strtoull(optarg, NULL, 0);
            break;
        case 'g':
            gm.gpa_base = strtoull(optarg, NULL, 16);
            break;
        case 'r':
            offset = strtoull(optarg, NULL, 16);
            break;
        case 'c':
            channels = (unsigned)atoi(optarg);
            break;
        case 'e':
            entries = (unsigned)atoi(optarg);
            break;
        case 'R':
            root = optarg;
            break;
        case 'S':
            spin = 1;
            break;
        default:
            return 2;
        }
    }
    if (!path || offset % 4096 || offset + ring_host_region_size(channels, entries) > size) {
        fprintf(stderr, "c-proxy: need --shm, and a 4 KiB-aligned region that fits in --size\n");
        return 2;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
        perror(path);
        return 2;
    }
    gm.base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    gm.size = size;
    if (gm.base == MAP_FAILED || chdir(root) != 0) {
        perror("c-proxy");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    ring_host_format(gm.base + offset, gm.gpa_base + offset, channels, entries, 0);
    host.handle = handle;
    host.sleepy = !spin;
    host.idle_spins = 20000;
    host.sleep_timeout_ms = 100;
    printf("ready\n");
    fflush(stdout);
    ring_host_serve(&host, gm.base + offset);
    munmap(gm.base, size);
    return 0;
}
