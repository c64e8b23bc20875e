package org.azalea.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Socket calls of libc.
 * Every method returns the kernel's convention: {@code >= 0}, or {@code -errno}.
 */
public final class LibcSockets {
    private LibcSockets() {}

    private static final MethodHandle SOCKET_H =
            Native.errnoCall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND_H =
            Native.errnoCall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN_H =
            Native.errnoCall("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT_H =
            Native.errnoCall("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ACCEPT4_H =
            Native.errnoCall("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME_H =
            Native.errnoCall("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME_H =
            Native.errnoCall("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO_H = Native.errnoCall(
            "sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM_H = Native.errnoCall(
            "recvfrom", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDMSG_H =
            Native.errnoCall("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG_H =
            Native.errnoCall("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN_H =
            Native.errnoCall("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT_H = Native.errnoCall(
            "setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT_H = Native.errnoCall(
            "getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    /** socket(2). */
    public static long socket(int domain, int type, int protocol) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) SOCKET_H.invokeExact(st, domain, type, protocol), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** bind(2). */
    public static long bind(int fd, MemorySegment addr, int addrlen) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) BIND_H.invokeExact(st, fd, addr, addrlen), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** listen(2). */
    public static long listen(int fd, int backlog) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) LISTEN_H.invokeExact(st, fd, backlog), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** connect(2). */
    public static long connect(int fd, MemorySegment addr, int addrlen) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) CONNECT_H.invokeExact(st, fd, addr, addrlen), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** accept4(2). */
    public static long accept4(int fd, MemorySegment addr, MemorySegment addrlen, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) ACCEPT4_H.invokeExact(st, fd, addr, addrlen, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** getsockname(2). */
    public static long getsockname(int fd, MemorySegment addr, MemorySegment addrlen) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) GETSOCKNAME_H.invokeExact(st, fd, addr, addrlen), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** getpeername(2). */
    public static long getpeername(int fd, MemorySegment addr, MemorySegment addrlen) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) GETPEERNAME_H.invokeExact(st, fd, addr, addrlen), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** sendto(2). */
    public static long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrlen) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) SENDTO_H.invokeExact(st, fd, buf, len, flags, addr, addrlen), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** recvfrom(2). */
    public static long recvfrom(
            int fd, MemorySegment buf, long len, int flags, MemorySegment addr, MemorySegment addrlen) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) RECVFROM_H.invokeExact(st, fd, buf, len, flags, addr, addrlen), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** sendmsg(2): {@code msg} holds host addresses. */
    public static long sendmsg(int fd, MemorySegment msg, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) SENDMSG_H.invokeExact(st, fd, msg, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** recvmsg(2): {@code msg} holds host addresses. */
    public static long recvmsg(int fd, MemorySegment msg, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((long) RECVMSG_H.invokeExact(st, fd, msg, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** shutdown(2). */
    public static long shutdown(int fd, int how) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) SHUTDOWN_H.invokeExact(st, fd, how), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** setsockopt(2). */
    public static long setsockopt(int fd, int level, int name, MemorySegment value, int len) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) SETSOCKOPT_H.invokeExact(st, fd, level, name, value, len), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** getsockopt(2). */
    public static long getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment len) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) GETSOCKOPT_H.invokeExact(st, fd, level, name, value, len), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
