package org.azalea.host;

/**
 * Linux x86-64 constants of the system calls the proxy serves: the numbers a
 * guest passes (it speaks the Linux ABI) and the host's own (the host is
 * x86-64 Linux too).  Not part of abi.h: these are Linux's, checked against
 * the C headers by {@code LinuxConstantsTest}.
 */
public final class Linux {
    private Linux() {}

    // open(2) flags
    public static final int O_ACCMODE = 03;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    public static final int O_ASYNC = 020000;
    public static final int O_DIRECT = 040000;
    /** The kernel's value; glibc defines O_LARGEFILE as 0 on x86-64, musl as this. */
    public static final int O_LARGEFILE = 0100000;

    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_SYNC = 04010000;
    public static final int O_PATH = 010000000;
    public static final int O_TMPFILE = 020200000;

    // *at(2) flags
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EACCESS = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_NO_AUTOMOUNT = 0x800;
    public static final int AT_EMPTY_PATH = 0x1000;

    // openat2(2)
    public static final long SYS_FUTEX = 202;
    public static final long FUTEX_WAIT = 0;
    public static final long FUTEX_WAKE = 1;
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final long SYS_OPENAT2 = 437;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_IN_ROOT = 0x10;

    // fcntl(2)
    public static final int F_DUPFD = 0;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_GETLK = 5;
    public static final int F_SETLK = 6;
    public static final int F_SETLKW = 7;
    public static final int F_OFD_GETLK = 36;
    public static final int F_OFD_SETLK = 37;
    public static final int F_OFD_SETLKW = 38;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int FD_CLOEXEC = 1;
    public static final int F_RDLCK = 0;
    public static final int F_WRLCK = 1;
    public static final int F_UNLCK = 2;

    // ioctl(2) requests the proxy passes on (arguments hold no pointer)
    public static final int TCGETS = 0x5401;
    public static final int TIOCGWINSZ = 0x5413;
    public static final int FIONREAD = 0x541B;
    public static final int FIONBIO = 0x5421;
    public static final int FIONCLEX = 0x5450;
    public static final int FIOCLEX = 0x5451;

    // st_mode
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 060000;
    public static final int S_IFDIR = 040000;
    public static final int S_IFCHR = 020000;
    public static final int S_IFIFO = 010000;
    /** Permission bits plus set-id and sticky: what a mode argument may carry. */
    public static final int S_IALLUGO = 07777;

    // poll(2)
    public static final short POLLIN = 0x1;
    public static final short POLLPRI = 0x2;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    // lseek(2)
    public static final int SEEK_SET = 0;

    // eventfd(2), pipe2(2)
    public static final int EFD_NONBLOCK = O_NONBLOCK;
    public static final int EFD_CLOEXEC = O_CLOEXEC;
    public static final int EFD_SEMAPHORE = 1;

    // fcntl(2) on pipes
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;

    // epoll(7)
    public static final int EPOLL_CLOEXEC = O_CLOEXEC;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    /** struct epoll_event: uint32 events, uint64 data, packed (x86-64). */
    public static final int EPOLL_EVENT_SIZE = 12;

    // timerfd_create(2)
    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int CLOCK_REALTIME_ALARM = 8;
    public static final int TFD_NONBLOCK = O_NONBLOCK;
    public static final int TFD_CLOEXEC = O_CLOEXEC;
    public static final int TFD_TIMER_ABSTIME = 1;
    public static final int TFD_TIMER_CANCEL_ON_SET = 2;
    /** struct itimerspec: it_interval then it_value, each a timespec. */
    public static final int ITIMERSPEC_SIZE = 32;

    // renameat2(2)
    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;
    public static final int RENAME_WHITEOUT = 4;

    /** PATH_MAX of Linux, including the NUL: the longest path string the kernel accepts. */
    public static final int PATH_MAX = 4096;
}
