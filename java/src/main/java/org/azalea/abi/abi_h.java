package org.azalea.abi;

/**
 * Constants of {@code include/azalea/abi.h}, in jextract's conventions: one static
 * accessor per object-like macro and enum constant, named as in C.  Kept honest by
 * {@code AbiLayoutTest}, which compares every value with what the C compiler says.
 */
@SuppressWarnings("checkstyle:MethodName")
public final class abi_h {
    private abi_h() {}

    public static long AZ_REGION_MAGIC() { return 0x464F41454C415A41L; }
    public static int AZ_ABI_VERSION() { return 1; }
    public static int AZ_FEATURE_FUTEX_DOORBELL() { return (1 << 0); }
    public static int AZ_FEATURE_TIMED_POLL() { return (1 << 1); }
    public static int AZ_HOST_STOPPED() { return 0; }
    public static int AZ_HOST_SERVING() { return 1; }
    public static int AZ_CHANNEL_NEED_WAKEUP() { return (1 << 0); }
    public static int AZ_CACHE_LINE() { return 64; }
    public static int AZ_REGION_ALIGN() { return 4096; }
    public static int AZ_MAX_CHANNELS() { return 256; }
    public static int AZ_MIN_RING_ENTRIES() { return 2; }
    public static int AZ_MAX_RING_ENTRIES() { return 4096; }
    public static int AZ_PATH_MAX() { return 4096; }
    public static int AZ_IOV_MAX() { return 1024; }
    public static int AZ_POLL_MAX() { return 1024; }
    public static int AZ_HOSTENT_MAX_ADDRS() { return 16; }

    // enum az_opcode
    public static int AZ_OP_NOP() { return 0; }
    public static int AZ_OP_READ() { return 1; }
    public static int AZ_OP_WRITE() { return 2; }
    public static int AZ_OP_OPEN() { return 3; }
    public static int AZ_OP_CREAT() { return 4; }
    public static int AZ_OP_CLOSE() { return 5; }
    public static int AZ_OP_LSEEK() { return 6; }
    public static int AZ_OP_LSTAT() { return 7; }
    public static int AZ_OP_MKDIR() { return 8; }
    public static int AZ_OP_LINK() { return 9; }
    public static int AZ_OP_UNLINK() { return 10; }
    public static int AZ_OP_READLINK() { return 11; }
    public static int AZ_OP_OPENAT() { return 12; }
    public static int AZ_OP_UNAME() { return 13; }
    public static int AZ_OP_GETCWD() { return 14; }
    public static int AZ_OP_CHDIR() { return 15; }
    public static int AZ_OP_ACCESS() { return 16; }
    public static int AZ_OP_STAT() { return 17; }
    public static int AZ_OP_SYNC() { return 18; }
    public static int AZ_OP_FSTAT() { return 19; }
    public static int AZ_OP_IOCTL() { return 20; }
    public static int AZ_OP_GETHOSTNAME() { return 21; }
    public static int AZ_OP_GETHOSTBYNAME() { return 22; }
    public static int AZ_OP_GETSOCKNAME() { return 23; }
    public static int AZ_OP_SOCKET() { return 24; }
    public static int AZ_OP_BIND() { return 25; }
    public static int AZ_OP_LISTEN() { return 26; }
    public static int AZ_OP_CONNECT() { return 27; }
    public static int AZ_OP_ACCEPT() { return 28; }
    public static int AZ_OP_PREAD64() { return 29; }
    public static int AZ_OP_PWRITE64() { return 30; }
    public static int AZ_OP_READV() { return 31; }
    public static int AZ_OP_WRITEV() { return 32; }
    public static int AZ_OP_GETDENTS64() { return 33; }
    public static int AZ_OP_NEWFSTATAT() { return 34; }
    public static int AZ_OP_FCNTL() { return 35; }
    public static int AZ_OP_FSYNC() { return 36; }
    public static int AZ_OP_FDATASYNC() { return 37; }
    public static int AZ_OP_FTRUNCATE() { return 38; }
    public static int AZ_OP_RENAME() { return 39; }
    public static int AZ_OP_RENAMEAT2() { return 40; }
    public static int AZ_OP_RMDIR() { return 41; }
    public static int AZ_OP_SYMLINK() { return 42; }
    public static int AZ_OP_CHMOD() { return 43; }
    public static int AZ_OP_FCHMOD() { return 44; }
    public static int AZ_OP_CHOWN() { return 45; }
    public static int AZ_OP_FCHOWN() { return 46; }
    public static int AZ_OP_LCHOWN() { return 47; }
    public static int AZ_OP_UTIMENSAT() { return 48; }
    public static int AZ_OP_UNLINKAT() { return 49; }
    public static int AZ_OP_MKDIRAT() { return 50; }
    public static int AZ_OP_DUP() { return 51; }
    public static int AZ_OP_DUP2() { return 52; }
    public static int AZ_OP_DUP3() { return 53; }
    public static int AZ_OP_SENDFILE() { return 54; }
    public static int AZ_OP_UMASK() { return 55; }
    public static int AZ_OP_STATFS() { return 56; }
    public static int AZ_OP_FSTATFS() { return 57; }
    public static int AZ_OP_POLL() { return 58; }
    public static int AZ_OP_SENDTO() { return 59; }
    public static int AZ_OP_RECVFROM() { return 60; }
    public static int AZ_OP_SENDMSG() { return 61; }
    public static int AZ_OP_RECVMSG() { return 62; }
    public static int AZ_OP_SHUTDOWN() { return 63; }
    public static int AZ_OP_SETSOCKOPT() { return 64; }
    public static int AZ_OP_GETSOCKOPT() { return 65; }
    public static int AZ_OP_GETPEERNAME() { return 66; }
    public static int AZ_OP_ACCEPT4() { return 67; }
    public static int AZ_OP_FACCESSAT() { return 68; }
    public static int AZ_OP_READLINKAT() { return 69; }
    public static int AZ_OP_SYMLINKAT() { return 70; }
    public static int AZ_OP_LINKAT() { return 71; }
    public static int AZ_OP_FCHMODAT() { return 72; }
    public static int AZ_OP_FCHOWNAT() { return 73; }
    public static int AZ_OP_FCHDIR() { return 74; }
    public static int AZ_OP_TRUNCATE() { return 75; }
    public static int AZ_OP_PPOLL() { return 76; }
    public static int AZ_OP__LAST() { return 77; }
}
