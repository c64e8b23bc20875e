package org.azalea.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * Linux futex wait and wake on a 32-bit word in shared memory, through
 * {@code syscall(SYS_futex, ...)}.  Not FUTEX_PRIVATE: the word lives in a
 * shared file mapping and the waker may be another process (the host stub).
 */
public final class Futex {
    private Futex() {}

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final StructLayout TIMESPEC =
            MemoryLayout.structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));
    /**
     * {@code long syscall(long nr, void *uaddr, long op, long val, void *timeout)}, variadic after nr:
     * the variadic arguments go as 64-bit values, as glibc's syscall() reads each with va_arg(ap, long).
     */
    private static final MethodHandle SYSCALL = Native.variadicErrnoCall(
            "syscall", 1, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));

    private static void checkWord(MemorySegment word) {
        if (!word.isNative()
                || word.byteSize() < JAVA_INT.byteSize()
                || word.address() % JAVA_INT.byteAlignment() != 0) {
            throw new IllegalArgumentException("futex word must be a native, 4-byte aligned int (address 0x"
                    + Long.toHexString(word.address()) + ", " + word.byteSize() + " bytes)");
        }
    }

    /**
     * Sleeps while {@code word} holds {@code expected}, at most {@code timeoutNanos}.
     *
     * @return 0 when woken, or the errno that ended the wait: EAGAIN (the word
     *     had changed), ETIMEDOUT, EINTR
     */
    public static int await(MemorySegment word, int expected, long timeoutNanos) {
        checkWord(word);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeout = arena.allocate(TIMESPEC);
            timeout.set(JAVA_LONG, 0, timeoutNanos / NANOS_PER_SECOND);
            timeout.set(JAVA_LONG, 8, timeoutNanos % NANOS_PER_SECOND);
            MemorySegment st = Native.state();
            long rc = Native.result(
                    (long) SYSCALL.invokeExact(st, Linux.SYS_FUTEX, word, Linux.FUTEX_WAIT, (long) expected, timeout),
                    st);
            if (rc == 0) return 0;
            int errno = (int) -rc;
            if (errno == Errno.EAGAIN || errno == Errno.ETIMEDOUT || errno == Errno.EINTR) return errno;
            throw new IllegalStateException(
                    "futex wait at 0x" + Long.toHexString(word.address()) + " failed: " + ErrnoNames.of(errno));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Wakes up to {@code count} waiters on {@code word}.
     *
     * @return how many were woken
     */
    public static int wake(MemorySegment word, int count) {
        checkWord(word);
        try {
            MemorySegment st = Native.state();
            long rc = Native.result(
                    (long) SYSCALL.invokeExact(
                            st, Linux.SYS_FUTEX, word, Linux.FUTEX_WAKE, (long) count, MemorySegment.NULL),
                    st);
            if (rc >= 0) return (int) rc;
            throw new IllegalStateException(
                    "futex wake at 0x" + Long.toHexString(word.address()) + " failed: " + ErrnoNames.of((int) -rc));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
