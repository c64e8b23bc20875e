package org.azalea.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * File-descriptor calls of libc: reads, writes, metadata of open files.
 * Every method returns the kernel's convention: {@code >= 0}, or {@code -errno}.
 */
public final class LibcIo {
    private LibcIo() {}

    private static final MethodHandle READ_H =
            Native.errnoCall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE_H =
            Native.errnoCall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle PREAD_H =
            Native.errnoCall("pread64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE_H =
            Native.errnoCall("pwrite64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle READV_H =
            Native.errnoCall("readv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WRITEV_H =
            Native.errnoCall("writev", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LSEEK_H =
            Native.errnoCall("lseek64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SENDFILE_H =
            Native.errnoCall("sendfile64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle FSYNC_H = Native.errnoCall("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FDATASYNC_H =
            Native.errnoCall("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FTRUNCATE_H =
            Native.errnoCall("ftruncate64", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle SYNCFS_H = Native.errnoCall("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETDENTS64_H =
            Native.errnoCall("getdents64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE_H = Native.errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FCNTL_H =
            Native.variadicErrnoCall("fcntl64", 2, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle FCNTLPTR_H =
            Native.variadicErrnoCall("fcntl64", 2, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle IOCTL_H =
            Native.variadicErrnoCall("ioctl", 2, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle FSTATAT_H =
            Native.errnoCall("fstatat64", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle FSTATFS_H =
            Native.errnoCall("fstatfs64", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /** read(2). */
    public static long read(int fd, MemorySegment buf, long count) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) READ_H.invokeExact(st, fd, buf, count), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** write(2). */
    public static long write(int fd, MemorySegment buf, long count) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) WRITE_H.invokeExact(st, fd, buf, count), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** pread64(2). */
    public static long pread(int fd, MemorySegment buf, long count, long offset) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) PREAD_H.invokeExact(st, fd, buf, count, offset), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** pwrite64(2). */
    public static long pwrite(int fd, MemorySegment buf, long count, long offset) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) PWRITE_H.invokeExact(st, fd, buf, count, offset), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** readv(2): {@code iov} holds host addresses. */
    public static long readv(int fd, MemorySegment iov, int iovcnt) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) READV_H.invokeExact(st, fd, iov, iovcnt), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** writev(2): {@code iov} holds host addresses. */
    public static long writev(int fd, MemorySegment iov, int iovcnt) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) WRITEV_H.invokeExact(st, fd, iov, iovcnt), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** lseek(2). */
    public static long lseek(int fd, long offset, int whence) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) LSEEK_H.invokeExact(st, fd, offset, whence), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** sendfile(2); {@code offset} may be NULL. */
    public static long sendfile(int outFd, int inFd, MemorySegment offset, long count) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) SENDFILE_H.invokeExact(st, outFd, inFd, offset, count), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fsync(2). */
    public static long fsync(int fd) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FSYNC_H.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fdatasync(2). */
    public static long fdatasync(int fd) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FDATASYNC_H.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** ftruncate(2). */
    public static long ftruncate(int fd, long length) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FTRUNCATE_H.invokeExact(st, fd, length), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** syncfs(2): flushes only the file system holding {@code fd}. */
    public static long syncfs(int fd) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) SYNCFS_H.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** getdents64(2): linux_dirent64 records, written in place. */
    public static long getdents64(int fd, MemorySegment buf, long count) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) GETDENTS64_H.invokeExact(st, fd, buf, count), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** close(2). */
    public static long close(int fd) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) CLOSE_H.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fcntl(2) with an integer argument. */
    public static long fcntl(int fd, int cmd, long arg) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FCNTL_H.invokeExact(st, fd, cmd, arg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fcntl(2) with a pointer argument (struct flock). */
    public static long fcntlPtr(int fd, int cmd, MemorySegment arg) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FCNTLPTR_H.invokeExact(st, fd, cmd, arg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** ioctl(2) with a pointer argument. */
    public static long ioctl(int fd, long request, MemorySegment arg) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) IOCTL_H.invokeExact(st, fd, request, arg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fstatat(2) (newfstatat): a struct stat written in place. */
    public static long fstatat(int dirfd, MemorySegment path, MemorySegment statbuf, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FSTATAT_H.invokeExact(st, dirfd, path, statbuf, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fstatfs(2): a struct statfs written in place. */
    public static long fstatfs(int fd, MemorySegment statfsbuf) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FSTATFS_H.invokeExact(st, fd, statfsbuf), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
