package org.azalea.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The descriptor objects of libc an instance's pipes, eventfds, timerfds,
 * socketpairs and epoll sets are made of (pipe2 and eventfd are in {@link LibcPoll}).
 * Every method returns the kernel's convention: {@code >= 0}, or {@code -errno}.
 */
public final class LibcEvents {
    private LibcEvents() {}

    private static final MethodHandle SOCKETPAIR_H =
            Native.errnoCall("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_CREATE1_H =
            Native.errnoCall("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL_H =
            Native.errnoCall("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT_H =
            Native.errnoCall("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle TIMERFD_CREATE_H =
            Native.errnoCall("timerfd_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle TIMERFD_SETTIME_H =
            Native.errnoCall("timerfd_settime", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle TIMERFD_GETTIME_H =
            Native.errnoCall("timerfd_gettime", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /** socketpair(2): {@code fds} is an int[2]. */
    public static long socketpair(int domain, int type, int protocol, MemorySegment fds) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) SOCKETPAIR_H.invokeExact(st, domain, type, protocol, fds), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** epoll_create1(2). */
    public static long epollCreate1(int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) EPOLL_CREATE1_H.invokeExact(st, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** epoll_ctl(2): {@code event} is a packed struct epoll_event or NULL. */
    public static long epollCtl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) EPOLL_CTL_H.invokeExact(st, epfd, op, fd, event), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** epoll_wait(2). */
    public static long epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) EPOLL_WAIT_H.invokeExact(st, epfd, events, maxEvents, timeoutMs), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** timerfd_create(2). */
    public static long timerfdCreate(int clockId, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) TIMERFD_CREATE_H.invokeExact(st, clockId, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** timerfd_settime(2): {@code old} may be NULL. */
    public static long timerfdSettime(int fd, int flags, MemorySegment value, MemorySegment old) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) TIMERFD_SETTIME_H.invokeExact(st, fd, flags, value, old), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** timerfd_gettime(2). */
    public static long timerfdGettime(int fd, MemorySegment current) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) TIMERFD_GETTIME_H.invokeExact(st, fd, current), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
