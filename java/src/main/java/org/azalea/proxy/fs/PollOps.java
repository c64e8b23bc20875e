package org.azalea.proxy.fs;

import static org.azalea.host.LinuxLayouts.POLLFD;
import static org.azalea.host.LinuxLayouts.POLLFD_EVENTS;
import static org.azalea.host.LinuxLayouts.POLLFD_FD;
import static org.azalea.host.LinuxLayouts.POLLFD_REVENTS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.abi.abi_h;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcPoll;
import org.azalea.host.Linux;
import org.azalea.host.LinuxLayouts;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.Waiter;
import org.azalea.ring.Request;

/**
 * poll and ppoll: the guest's pollfd array is copied once, its fds translated
 * to host fds, and the host polls them together with the instance's eventfd
 * (so close() interrupts the wait).  Only revents is written back, as Linux
 * does.  A guest fd that is not open gets POLLNVAL; a negative one is ignored.
 */
public final class PollOps {
    private static final long ENTRY = POLLFD.byteSize();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final InstanceState s;

    public PollOps(InstanceState s) {
        this.s = s;
    }

    /** poll(fds, nfds, timeout_ms): a negative timeout waits forever. */
    public long poll(Request r) throws ErrnoException {
        int timeout = (int) r.a2();
        return poll(r.a0(), r.a1(), timeout < 0 ? -1 : timeout);
    }

    /** ppoll(fds, nfds, timespec or 0, sigmask, sigsetsize): the signal mask is ignored (no signals here). */
    public long ppoll(Request r) throws ErrnoException {
        return poll(r.a0(), r.a1(), timeoutMs(s, r));
    }

    /** The timeout {@link org.azalea.proxy.SyscallDispatcher#prepare} fetched, or (called without it) read now. */
    public static long timeoutMs(InstanceState s, Request r) throws ErrnoException {
        return r.isFetched() ? r.fetched() : timeoutMs(s, r.a2());
    }

    /** The ppoll timeout in milliseconds (rounded up), -1 for none; EINVAL for a malformed timespec. */
    public static long timeoutMs(InstanceState s, long tsGpa) throws ErrnoException {
        if (tsGpa == 0) return -1;
        MemorySegment ts = s.guest().object(tsGpa, LinuxLayouts.TIMESPEC.byteSize());
        long sec = ts.get(ValueLayout.JAVA_LONG_UNALIGNED, LinuxLayouts.TV_SEC);
        long nsec = ts.get(ValueLayout.JAVA_LONG_UNALIGNED, LinuxLayouts.TV_NSEC);
        if (sec < 0 || nsec < 0 || nsec >= NANOS_PER_SECOND) {
            throw new ErrnoException(Errno.EINVAL, "ppoll timespec {" + sec + ", " + nsec + "}");
        }
        if (sec > Long.MAX_VALUE / 1000 - 1) return -1; // longer than the JVM will live
        return sec * 1000 + (nsec + 999_999) / 1_000_000;
    }

    private long poll(long fdsGpa, long nfds, long timeoutMs) throws ErrnoException {
        if (nfds < 0 || nfds > abi_h.AZ_POLL_MAX()) {
            throw new ErrnoException(Errno.EINVAL, "nfds " + nfds + " outside [0, " + abi_h.AZ_POLL_MAX() + "]");
        }
        int n = (int) nfds;
        MemorySegment guest = s.guest().buffer(fdsGpa, n * ENTRY);
        GuestFd[] held = new GuestFd[n];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(POLLFD, n + 1L);
            MemorySegment.copy(guest, 0, host, 0, n * ENTRY); // the one read of the guest's array
            short[] synthetic = new short[n];
            int readyNow = 0;
            for (int i = 0; i < n; i++) {
                long at = i * ENTRY;
                int fd = host.get(ValueLayout.JAVA_INT, at + POLLFD_FD);
                short events = host.get(ValueLayout.JAVA_SHORT, at + POLLFD_EVENTS);
                host.set(ValueLayout.JAVA_SHORT, at + POLLFD_REVENTS, (short) 0);
                if (fd < 0) continue; // ignored, as in Linux
                held[i] = tryAcquire(fd);
                if (held[i] == null) {
                    synthetic[i] = Linux.POLLNVAL;
                } else if (!held[i].hasHostFd()) {
                    synthetic[i] = (short) (events & Linux.POLLOUT); // a Java output stream is always writable
                }
                if (synthetic[i] != 0) readyNow++;
                host.set(ValueLayout.JAVA_INT, at + POLLFD_FD, held[i] == null ? -1 : held[i].hostFdOrMinusOne());
            }
            host.set(ValueLayout.JAVA_INT, n * ENTRY + POLLFD_FD, s.waiter().eventFd());
            host.set(ValueLayout.JAVA_SHORT, n * ENTRY + POLLFD_EVENTS, Linux.POLLIN);
            host.set(ValueLayout.JAVA_SHORT, n * ENTRY + POLLFD_REVENTS, (short) 0);
            waitForEvents(s, host, n, readyNow > 0 ? 0 : timeoutMs);
            int ready = 0;
            for (int i = 0; i < n; i++) {
                short rev = (short) (synthetic[i] | host.get(ValueLayout.JAVA_SHORT, i * ENTRY + POLLFD_REVENTS));
                if (rev != 0) ready++;
                guest.set(ValueLayout.JAVA_SHORT_UNALIGNED, i * ENTRY + POLLFD_REVENTS, rev);
            }
            return ready;
        } finally {
            for (GuestFd f : held) if (f != null) f.release();
        }
    }

    private GuestFd tryAcquire(int fd) {
        try {
            return s.fds().acquire(fd);
        } catch (ErrnoException closedMeanwhile) {
            return null;
        }
    }

    /**
     * poll(2) on n host entries plus the instance's eventfd (entry n, set by the
     * caller), retrying host EINTR until the deadline; EINTR when the instance closes.
     */
    static void waitForEvents(InstanceState s, MemorySegment host, int n, long timeoutMs) throws ErrnoException {
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000;
        for (; ; ) {
            if (s.waiter().woken()) throw Waiter.interrupted();
            long left = timeoutMs < 0 ? -1 : Math.min(Integer.MAX_VALUE, Waiter.remainingMs(deadline));
            long res = LibcPoll.poll(host, n + 1L, (int) left);
            if (res == -Errno.EINTR) continue;
            if (res < 0) throw new ErrnoException((int) -res, "host poll of " + n + " fds");
            if (host.get(ValueLayout.JAVA_SHORT, n * ENTRY + POLLFD_REVENTS) != 0) throw Waiter.interrupted();
            if (res > 0 || timeoutMs >= 0 && Waiter.remainingMs(deadline) <= 0) return;
        }
    }
}
