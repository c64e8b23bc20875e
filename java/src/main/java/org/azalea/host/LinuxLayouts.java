package org.azalea.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * Layouts of the Linux x86-64 structures the proxy reads or writes field by
 * field.  Guest and host share these layouts (both are x86-64 Linux), so one
 * layout reads a guest's copy and writes the host's.  Pointer fields are
 * JAVA_LONG: in guest memory they hold guest-physical addresses, in a host
 * copy the translated host address.  Structures the proxy only passes through
 * (struct stat, statfs, utsname...) appear as sizes: the kernel fills them in
 * place and the guest reads them with the same layout.
 */
public final class LinuxLayouts {
    private LinuxLayouts() {}

    /** struct iovec { void *iov_base; size_t iov_len; } */
    public static final StructLayout IOVEC =
            MemoryLayout.structLayout(JAVA_LONG.withName("iov_base"), JAVA_LONG.withName("iov_len"));

    public static final long IOV_BASE = IOVEC.byteOffset(groupElement("iov_base"));
    public static final long IOV_LEN = IOVEC.byteOffset(groupElement("iov_len"));

    /** struct pollfd { int fd; short events; short revents; } */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));

    public static final long POLLFD_FD = POLLFD.byteOffset(groupElement("fd"));
    public static final long POLLFD_EVENTS = POLLFD.byteOffset(groupElement("events"));
    public static final long POLLFD_REVENTS = POLLFD.byteOffset(groupElement("revents"));

    /** struct timespec { time_t tv_sec; long tv_nsec; } */
    public static final StructLayout TIMESPEC =
            MemoryLayout.structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

    public static final long TV_SEC = TIMESPEC.byteOffset(groupElement("tv_sec"));
    public static final long TV_NSEC = TIMESPEC.byteOffset(groupElement("tv_nsec"));

    /** struct timeval { time_t tv_sec; suseconds_t tv_usec; }: SO_RCVTIMEO and SO_SNDTIMEO. */
    public static final StructLayout TIMEVAL =
            MemoryLayout.structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_usec"));

    public static final long TV_USEC = TIMEVAL.byteOffset(groupElement("tv_usec"));

    /** struct flock { short l_type; short l_whence; off_t l_start; off_t l_len; pid_t l_pid; } */
    public static final StructLayout FLOCK = MemoryLayout.structLayout(
            JAVA_SHORT.withName("l_type"),
            JAVA_SHORT.withName("l_whence"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("l_start"),
            JAVA_LONG.withName("l_len"),
            JAVA_INT.withName("l_pid"),
            MemoryLayout.paddingLayout(4));

    public static final long FLOCK_TYPE = FLOCK.byteOffset(groupElement("l_type"));
    public static final long FLOCK_START = FLOCK.byteOffset(groupElement("l_start"));
    public static final long FLOCK_LEN = FLOCK.byteOffset(groupElement("l_len"));
    public static final long FLOCK_PID = FLOCK.byteOffset(groupElement("l_pid"));

    /** struct open_how { u64 flags; u64 mode; u64 resolve; }: openat2's argument. */
    public static final StructLayout OPEN_HOW = MemoryLayout.structLayout(
            JAVA_LONG.withName("flags"), JAVA_LONG.withName("mode"), JAVA_LONG.withName("resolve"));

    public static final long HOW_FLAGS = OPEN_HOW.byteOffset(groupElement("flags"));
    public static final long HOW_MODE = OPEN_HOW.byteOffset(groupElement("mode"));
    public static final long HOW_RESOLVE = OPEN_HOW.byteOffset(groupElement("resolve"));

    /** struct msghdr (x86-64): pointers as JAVA_LONG, see the class comment. */
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            JAVA_LONG.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));

    public static final long MSG_NAME = MSGHDR.byteOffset(groupElement("msg_name"));
    public static final long MSG_NAMELEN = MSGHDR.byteOffset(groupElement("msg_namelen"));
    public static final long MSG_IOV = MSGHDR.byteOffset(groupElement("msg_iov"));
    public static final long MSG_IOVLEN = MSGHDR.byteOffset(groupElement("msg_iovlen"));
    public static final long MSG_CONTROL = MSGHDR.byteOffset(groupElement("msg_control"));
    public static final long MSG_CONTROLLEN = MSGHDR.byteOffset(groupElement("msg_controllen"));
    public static final long MSG_FLAGS = MSGHDR.byteOffset(groupElement("msg_flags"));

    /** struct stat (x86-64): the kernel fills it in place; the proxy reads st_mode and fakes one for streams. */
    public static final StructLayout STAT = MemoryLayout.structLayout(
            JAVA_LONG.withName("st_dev"),
            JAVA_LONG.withName("st_ino"),
            JAVA_LONG.withName("st_nlink"),
            JAVA_INT.withName("st_mode"),
            JAVA_INT.withName("st_uid"),
            JAVA_INT.withName("st_gid"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("st_rdev"),
            JAVA_LONG.withName("st_size"),
            JAVA_LONG.withName("st_blksize"),
            JAVA_LONG.withName("st_blocks"),
            MemoryLayout.sequenceLayout(6, JAVA_LONG).withName("st_times"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("reserved"));

    public static final long STAT_SIZE = STAT.byteSize();
    public static final long STAT_INO = STAT.byteOffset(groupElement("st_ino"));
    public static final long STAT_NLINK = STAT.byteOffset(groupElement("st_nlink"));
    public static final long STAT_MODE = STAT.byteOffset(groupElement("st_mode"));
    public static final long STAT_BLKSIZE = STAT.byteOffset(groupElement("st_blksize"));
    /** Offset of st_size (STAT_SIZE is the size of the whole struct). */
    public static final long STAT_ST_SIZE = STAT.byteOffset(groupElement("st_size"));
    /** sizeof(struct statfs) on x86-64. */
    public static final long STATFS_SIZE = 120;
    /** One field of struct utsname: 64 characters and a NUL. */
    public static final int UTSNAME_FIELD = 65;
    /** sizeof(struct utsname): six fields. */
    public static final long UTSNAME_SIZE = 6L * UTSNAME_FIELD;
    /** sizeof(struct termios) as the kernel's TCGETS writes it (not glibc's 60-byte one). */
    public static final long KERNEL_TERMIOS_SIZE = 36;
    /** sizeof(struct winsize). */
    public static final long WINSIZE_SIZE = 8;
    /** sizeof(struct sockaddr_storage): the largest socket address. */
    public static final int SOCKADDR_STORAGE_SIZE = 128;
    /** sizeof(loff_t): sendfile's offset. */
    public static final long LOFF_SIZE = 8;
}
