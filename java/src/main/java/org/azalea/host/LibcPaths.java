package org.azalea.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Path calls of libc.  The proxy only ever passes a directory fd it resolved
 * inside an instance's root plus one final name, an empty path with
 * AT_EMPTY_PATH, or a /proc/self/fd/N magic link to an fd it resolved.
 * Every method returns the kernel's convention: {@code >= 0}, or {@code -errno}.
 */
public final class LibcPaths {
    private LibcPaths() {}

    private static final MethodHandle OPENAT2_H = Native.variadicErrnoCall(
            "syscall", 1, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle OPEN_H =
            Native.variadicErrnoCall("open", 2, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle MKDIRAT_H =
            Native.errnoCall("mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle UNLINKAT_H =
            Native.errnoCall("unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RENAMEAT2_H = Native.errnoCall(
            "renameat2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LINKAT_H =
            Native.errnoCall("linkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SYMLINKAT_H =
            Native.errnoCall("symlinkat", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle READLINKAT_H =
            Native.errnoCall("readlinkat", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle FCHMODAT_H =
            Native.errnoCall("fchmodat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHMOD_H =
            Native.errnoCall("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHOWNAT_H = Native.errnoCall(
            "fchownat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHOWN_H =
            Native.errnoCall("fchown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle UTIMENSAT_H =
            Native.errnoCall("utimensat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle FACCESSAT_H =
            Native.errnoCall("faccessat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle TRUNCATE_H =
            Native.errnoCall("truncate64", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /** openat2(2), through syscall(2): glibc 2.36 has no wrapper; pass {@link Linux#SYS_OPENAT2}. */
    public static long openat2(long sysno, int dirfd, MemorySegment path, MemorySegment how, long size) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) OPENAT2_H.invokeExact(st, sysno, dirfd, path, how, size), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** open(2), for host paths the caller names (stdio files), never for guest paths. */
    public static long open(MemorySegment path, int flags, int mode) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) OPEN_H.invokeExact(st, path, flags, mode), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** mkdirat(2). */
    public static long mkdirat(int dirfd, MemorySegment path, int mode) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) MKDIRAT_H.invokeExact(st, dirfd, path, mode), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** unlinkat(2). */
    public static long unlinkat(int dirfd, MemorySegment path, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) UNLINKAT_H.invokeExact(st, dirfd, path, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** renameat2(2). */
    public static long renameat2(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) RENAMEAT2_H.invokeExact(st, olddirfd, oldpath, newdirfd, newpath, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** linkat(2). */
    public static long linkat(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) LINKAT_H.invokeExact(st, olddirfd, oldpath, newdirfd, newpath, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** symlinkat(2). */
    public static long symlinkat(MemorySegment target, int newdirfd, MemorySegment linkpath) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) SYMLINKAT_H.invokeExact(st, target, newdirfd, linkpath), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** readlinkat(2). */
    public static long readlinkat(int dirfd, MemorySegment path, MemorySegment buf, long size) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) READLINKAT_H.invokeExact(st, dirfd, path, buf, size), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fchmodat(2). */
    public static long fchmodat(int dirfd, MemorySegment path, int mode, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FCHMODAT_H.invokeExact(st, dirfd, path, mode, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fchmod(2). */
    public static long fchmod(int fd, int mode) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FCHMOD_H.invokeExact(st, fd, mode), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fchownat(2). */
    public static long fchownat(int dirfd, MemorySegment path, int uid, int gid, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FCHOWNAT_H.invokeExact(st, dirfd, path, uid, gid, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fchown(2). */
    public static long fchown(int fd, int uid, int gid) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FCHOWN_H.invokeExact(st, fd, uid, gid), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** utimensat(2) (glibc refuses a NULL path: use "" with AT_EMPTY_PATH). */
    public static long utimensat(int dirfd, MemorySegment path, MemorySegment times, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) UTIMENSAT_H.invokeExact(st, dirfd, path, times, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** faccessat(2) (glibc calls faccessat2, which takes the flags). */
    public static long faccessat(int dirfd, MemorySegment path, int mode, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) FACCESSAT_H.invokeExact(st, dirfd, path, mode, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** truncate(2). */
    public static long truncate(MemorySegment path, long length) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) TRUNCATE_H.invokeExact(st, path, length), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
