package org.azalea.proxy.instance;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPoll;
import org.azalea.host.Linux;
import org.azalea.host.LinuxLayouts;

/**
 * How a request waits for a host fd without being stuck forever: it polls the
 * fd together with the instance's eventfd, which {@link #wakeAll()} makes
 * readable for good when the instance closes.  Every waiter then returns
 * EINTR, so no worker thread outlives its instance.
 */
public final class Waiter implements AutoCloseable {
    /** poll(2) takes an int of milliseconds; longer waits are done in slices. */
    private static final long MAX_SLICE_MS = Integer.MAX_VALUE;

    private final int eventFd;
    private volatile boolean woken;

    public Waiter() throws ErrnoException {
        long fd = LibcPoll.eventfd(0, Linux.EFD_CLOEXEC | Linux.EFD_NONBLOCK);
        if (fd < 0) throw new ErrnoException((int) -fd, "eventfd failed");
        this.eventFd = (int) fd;
    }

    /** The eventfd, for a guest poll() that waits on many fds at once. */
    public int eventFd() {
        return eventFd;
    }

    /** True once the instance is closing: waits end with EINTR. */
    public boolean woken() {
        return woken;
    }

    /** Wakes every present and future wait (they return EINTR). */
    public void wakeAll() {
        woken = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
            one.set(ValueLayout.JAVA_LONG, 0, 1L);
            LibcIo.write(eventFd, one, 8); // an eventfd counter cannot overflow from one write
        }
    }

    /**
     * Waits until {@code hostFd} reports one of {@code events} (or an error/hang-up).
     *
     * @param timeoutMs -1 for no limit
     * @return the revents
     * @throws ErrnoException EINTR when the instance closes, EAGAIN when the timeout expires
     */
    public short await(int hostFd, short events, long timeoutMs) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(LinuxLayouts.POLLFD, 2);
            set(fds, 0, hostFd, events);
            set(fds, 1, eventFd, Linux.POLLIN);
            long deadline = timeoutMs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000;
            for (; ; ) {
                if (woken) throw interrupted();
                int slice = (int) Math.min(MAX_SLICE_MS, remainingMs(deadline));
                long n = LibcPoll.poll(fds, 2, timeoutMs < 0 ? -1 : slice);
                if (n < 0 && n != -Errno.EINTR) throw new ErrnoException((int) -n, "poll of host fd " + hostFd);
                if (revents(fds, 1) != 0) throw interrupted();
                short r = revents(fds, 0);
                if (r != 0) return r;
                if (n == 0 && timeoutMs >= 0 && remainingMs(deadline) <= 0) {
                    throw new ErrnoException(Errno.EAGAIN, "timed out after " + timeoutMs + " ms on host fd " + hostFd);
                }
            }
        }
    }

    /** True when {@code hostFd} reports one of {@code events} right now (no wait). */
    public boolean ready(int hostFd, short events) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(LinuxLayouts.POLLFD);
            set(fds, 0, hostFd, events);
            long n = LibcPoll.poll(fds, 1, 0);
            if (n < 0 && n != -Errno.EINTR) throw new ErrnoException((int) -n, "poll of host fd " + hostFd);
            return revents(fds, 0) != 0;
        }
    }

    /** Sleeps {@code ms} unless the instance closes first (then EINTR). */
    public void sleep(long ms) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(LinuxLayouts.POLLFD);
            set(fds, 0, eventFd, Linux.POLLIN);
            long n = LibcPoll.poll(fds, 1, (int) Math.min(ms, MAX_SLICE_MS));
            if (woken || (n > 0 && revents(fds, 0) != 0)) throw interrupted();
        }
    }

    public static long remainingMs(long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) return Long.MAX_VALUE;
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? 0 : (left + 999_999) / 1_000_000; // round up: never return before the deadline
    }

    private static void set(MemorySegment fds, long i, int fd, short events) {
        MemorySegment p = fds.asSlice(i * LinuxLayouts.POLLFD.byteSize(), LinuxLayouts.POLLFD);
        p.set(ValueLayout.JAVA_INT, LinuxLayouts.POLLFD_FD, fd);
        p.set(ValueLayout.JAVA_SHORT, LinuxLayouts.POLLFD_EVENTS, events);
        p.set(ValueLayout.JAVA_SHORT, LinuxLayouts.POLLFD_REVENTS, (short) 0);
    }

    private static short revents(MemorySegment fds, long i) {
        return fds.get(ValueLayout.JAVA_SHORT, i * LinuxLayouts.POLLFD.byteSize() + LinuxLayouts.POLLFD_REVENTS);
    }

    public static ErrnoException interrupted() {
        return new ErrnoException(Errno.EINTR, "instance closing: wait interrupted");
    }

    @Override
    public void close() {
        LibcIo.close(eventFd);
    }
}
