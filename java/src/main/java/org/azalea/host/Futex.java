package org.azalea.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Linux futex wait and wake on a 32-bit word in shared memory, through
 * {@code syscall(SYS_futex, ...)}.  Not FUTEX_PRIVATE: the word lives in a
 * shared file mapping and the waker may be another process (the host stub).
 */
@SuppressWarnings("restricted")
public final class Futex {
    private Futex() {}

    // Linux x86-64 ABI numbers (<sys/syscall.h>, <linux/futex.h>); not ours to define in abi.h.
    private static final long SYS_FUTEX = 202;
    private static final long FUTEX_WAIT = 0;
    private static final long FUTEX_WAKE = 1;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();
    private static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));
    /** {@code long syscall(long nr, void *uaddr, long op, long val, void *timeout)}, variadic after nr. */
    private static final MethodHandle SYSCALL = bind();

    private static MethodHandle bind() {
        try {
            Linker linker = Linker.nativeLinker();
            MemorySegment syscall = linker.defaultLookup().find("syscall").orElseThrow();
            // Variadic arguments go as 64-bit values: glibc's syscall() reads each with va_arg(ap, long).
            return linker.downcallHandle(syscall,
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS),
                    Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        } catch (IllegalCallerException e) {
            throw new IllegalStateException("futex needs native access: run java with --enable-native-access=ALL-UNNAMED", e);
        }
    }

    private static void checkWord(MemorySegment word) {
        if (!word.isNative() || word.byteSize() < JAVA_INT.byteSize() || word.address() % JAVA_INT.byteAlignment() != 0) {
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
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment timeout = arena.allocate(TIMESPEC);
            timeout.set(JAVA_LONG, 0, timeoutNanos / NANOS_PER_SECOND);
            timeout.set(JAVA_LONG, 8, timeoutNanos % NANOS_PER_SECOND);
            long rc = (long) SYSCALL.invokeExact(state, SYS_FUTEX, word, FUTEX_WAIT, (long) expected, timeout);
            if (rc == 0) return 0;
            int errno = (int) ERRNO.get(state, 0L);
            if (errno == Errno.EAGAIN || errno == Errno.ETIMEDOUT || errno == Errno.EINTR) return errno;
            throw new IllegalStateException("futex wait at 0x" + Long.toHexString(word.address()) + " failed, errno " + errno);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Wakes up to {@code count} waiters on {@code word}.
     *
     * @return how many were woken
     */
    public static int wake(MemorySegment word, int count) {
        checkWord(word);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long rc = (long) SYSCALL.invokeExact(state, SYS_FUTEX, word, FUTEX_WAKE, (long) count, MemorySegment.NULL);
            if (rc >= 0) return (int) rc;
            int errno = (int) ERRNO.get(state, 0L);
            throw new IllegalStateException("futex wake at 0x" + Long.toHexString(word.address()) + " failed, errno " + errno);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
