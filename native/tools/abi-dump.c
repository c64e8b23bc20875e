/*
 * abi-dump: prints every size, offset and constant of azalea/abi.h as
 * "name value" lines, in the C compiler's own words.  AbiLayoutTest compiles
 * and runs it, then compares each line with the Java bindings (and checks
 * that every name the header declares appears here).
 *
 * Names: sizeof.<struct>, offsetof.<struct>.<field>, and constants as in C.
 */
#include <stdio.h>

#include "azalea/abi.h"

#define SIZE(s) printf("sizeof.%s %zu\n", #s, sizeof(struct s))
#define OFF(s, f) printf("offsetof.%s.%s %zu\n", #s, #f, offsetof(struct s, f))
/* Every constant is non-negative; printed unsigned so the 64-bit magic survives. */
#define CONST(c) printf("%s %llu\n", #c, (unsigned long long)(c))

int main(void) {
    SIZE(az_region);
    OFF(az_region, magic);
    OFF(az_region, abi_version);
    OFF(az_region, features);
    OFF(az_region, nchannels);
    OFF(az_region, ring_entries);
    OFF(az_region, region_gpa);
    OFF(az_region, region_size);
    OFF(az_region, channel_offset);
    OFF(az_region, channel_stride);
    OFF(az_region, poll_interval_us);
    OFF(az_region, host_state);
    OFF(az_region, reserved0);
    OFF(az_region, doorbell);
    OFF(az_region, reserved1);

    SIZE(az_channel);
    OFF(az_channel, sq_tail);
    OFF(az_channel, reserved_sq_tail);
    OFF(az_channel, sq_head);
    OFF(az_channel, flags);
    OFF(az_channel, reserved_sq_head);
    OFF(az_channel, cq_tail);
    OFF(az_channel, reserved_cq_tail);
    OFF(az_channel, cq_head);
    OFF(az_channel, reserved_cq_head);

    SIZE(az_sqe);
    OFF(az_sqe, seq);
    OFF(az_sqe, opcode);
    OFF(az_sqe, flags);
    OFF(az_sqe, id);
    OFF(az_sqe, args);

    SIZE(az_cqe);
    OFF(az_cqe, id);
    OFF(az_cqe, result);
    OFF(az_cqe, seq);
    OFF(az_cqe, flags);
    OFF(az_cqe, reserved);

    SIZE(az_hostent);
    OFF(az_hostent, count);
    OFF(az_hostent, reserved);
    OFF(az_hostent, family);
    OFF(az_hostent, addr);

    CONST(AZ_REGION_MAGIC);
    CONST(AZ_ABI_VERSION);
    CONST(AZ_FEATURE_FUTEX_DOORBELL);
    CONST(AZ_FEATURE_TIMED_POLL);
    CONST(AZ_HOST_STOPPED);
    CONST(AZ_HOST_SERVING);
    CONST(AZ_CHANNEL_NEED_WAKEUP);
    CONST(AZ_CACHE_LINE);
    CONST(AZ_REGION_ALIGN);
    CONST(AZ_MAX_CHANNELS);
    CONST(AZ_MIN_RING_ENTRIES);
    CONST(AZ_MAX_RING_ENTRIES);
    CONST(AZ_PATH_MAX);
    CONST(AZ_IOV_MAX);
    CONST(AZ_POLL_MAX);
    CONST(AZ_HOSTENT_MAX_ADDRS);

    CONST(AZ_OP_NOP);
    CONST(AZ_OP_READ);
    CONST(AZ_OP_WRITE);
    CONST(AZ_OP_OPEN);
    CONST(AZ_OP_CREAT);
    CONST(AZ_OP_CLOSE);
    CONST(AZ_OP_LSEEK);
    CONST(AZ_OP_LSTAT);
    CONST(AZ_OP_MKDIR);
    CONST(AZ_OP_LINK);
    CONST(AZ_OP_UNLINK);
    CONST(AZ_OP_READLINK);
    CONST(AZ_OP_OPENAT);
    CONST(AZ_OP_UNAME);
    CONST(AZ_OP_GETCWD);
    CONST(AZ_OP_CHDIR);
    CONST(AZ_OP_ACCESS);
    CONST(AZ_OP_STAT);
    CONST(AZ_OP_SYNC);
    CONST(AZ_OP_FSTAT);
    CONST(AZ_OP_IOCTL);
    CONST(AZ_OP_GETHOSTNAME);
    CONST(AZ_OP_GETHOSTBYNAME);
    CONST(AZ_OP_GETSOCKNAME);
    CONST(AZ_OP_SOCKET);
    CONST(AZ_OP_BIND);
    CONST(AZ_OP_LISTEN);
    CONST(AZ_OP_CONNECT);
    CONST(AZ_OP_ACCEPT);
    CONST(AZ_OP_PREAD64);
    CONST(AZ_OP_PWRITE64);
    CONST(AZ_OP_READV);
    CONST(AZ_OP_WRITEV);
    CONST(AZ_OP_GETDENTS64);
    CONST(AZ_OP_NEWFSTATAT);
    CONST(AZ_OP_FCNTL);
    CONST(AZ_OP_FSYNC);
    CONST(AZ_OP_FDATASYNC);
    CONST(AZ_OP_FTRUNCATE);
    CONST(AZ_OP_RENAME);
    CONST(AZ_OP_RENAMEAT2);
    CONST(AZ_OP_RMDIR);
    CONST(AZ_OP_SYMLINK);
    CONST(AZ_OP_CHMOD);
    CONST(AZ_OP_FCHMOD);
    CONST(AZ_OP_CHOWN);
    CONST(AZ_OP_FCHOWN);
    CONST(AZ_OP_LCHOWN);
    CONST(AZ_OP_UTIMENSAT);
    CONST(AZ_OP_UNLINKAT);
    CONST(AZ_OP_MKDIRAT);
    CONST(AZ_OP_DUP);
    CONST(AZ_OP_DUP2);
    CONST(AZ_OP_DUP3);
    CONST(AZ_OP_SENDFILE);
    CONST(AZ_OP_UMASK);
    CONST(AZ_OP_STATFS);
    CONST(AZ_OP_FSTATFS);
    CONST(AZ_OP_POLL);
    CONST(AZ_OP_SENDTO);
    CONST(AZ_OP_RECVFROM);
    CONST(AZ_OP_SENDMSG);
    CONST(AZ_OP_RECVMSG);
    CONST(AZ_OP_SHUTDOWN);
    CONST(AZ_OP_SETSOCKOPT);
    CONST(AZ_OP_GETSOCKOPT);
    CONST(AZ_OP_GETPEERNAME);
    CONST(AZ_OP_ACCEPT4);
    CONST(AZ_OP_FACCESSAT);
    CONST(AZ_OP_READLINKAT);
    CONST(AZ_OP_SYMLINKAT);
    CONST(AZ_OP_LINKAT);
    CONST(AZ_OP_FCHMODAT);
    CONST(AZ_OP_FCHOWNAT);
    CONST(AZ_OP_FCHDIR);
    CONST(AZ_OP_TRUNCATE);
    CONST(AZ_OP_PPOLL);
    CONST(AZ_OP__LAST);
    return 0;
}
