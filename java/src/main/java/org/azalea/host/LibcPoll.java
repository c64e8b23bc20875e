package org.azalea.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Waiting and wake-up primitives of libc.
 * Every method returns the kernel's convention: {@code >= 0}, or {@code -errno}.
 */
public final class LibcPoll {
    private LibcPoll() {}

    private static final MethodHandle POLL_H =
            Native.errnoCall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EVENTFD_H =
            Native.errnoCall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIPE2_H =
            Native.errnoCall("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    /** poll(2). */
    public static long poll(MemorySegment fds, long nfds, int timeoutMs) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) POLL_H.invokeExact(st, fds, nfds, timeoutMs), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** eventfd(2). */
    public static long eventfd(int initval, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) EVENTFD_H.invokeExact(st, initval, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** pipe2(2): {@code fds} is an int[2]. */
    public static long pipe2(MemorySegment fds, int flags) {
        MemorySegment st = Native.state();
        try {
            return Native.result((int) PIPE2_H.invokeExact(st, fds, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
