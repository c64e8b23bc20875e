package org.azalea.proxy.fs;

import static org.azalea.host.LinuxLayouts.POLLFD;
import static org.azalea.host.LinuxLayouts.POLLFD_EVENTS;
import static org.azalea.host.LinuxLayouts.POLLFD_FD;
import static org.azalea.host.LinuxLayouts.POLLFD_REVENTS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.Linux;
import org.azalea.host.LinuxLayouts;
import org.azalea.proxy.instance.FdTable;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.ring.Request;

/**
 * select and pselect6 (one opcode): the three fd_sets over guest fds are read
 * once, turned into a poll of the host fds with the instance's eventfd, and
 * written back with the ready bits, as Linux's select does on top of its poll:
 * readable is POLLIN, POLLHUP or POLLERR; writable is POLLOUT or POLLERR;
 * exceptional is POLLPRI.  A set fd that is not open is EBADF.  The time left
 * is written back into the timeout (a timeval for select, a timespec for
 * pselect6), as Linux does.
 */
public final class SelectOps {
    private static final long ENTRY = POLLFD.byteSize();
    private static final long NS = 1_000_000_000L;
    private static final short IN_SET = Linux.POLLIN | Linux.POLLHUP | Linux.POLLERR;
    private static final short OUT_SET = Linux.POLLOUT | Linux.POLLERR;
    private static final short EX_SET = Linux.POLLPRI;

    private final InstanceState s;

    public SelectOps(InstanceState s) {
        this.s = s;
    }

    /**
     * The timeout in nanoseconds, -1 for none (a NULL pointer): read once, by
     * {@link org.azalea.proxy.SyscallDispatcher#prepare}.  EINVAL when malformed.
     */
    public static long timeoutNs(InstanceState s, Request r) throws ErrnoException {
        if (r.a4() == 0) return -1;
        MemorySegment t = s.guest().object(r.a4(), LinuxLayouts.TIMESPEC.byteSize());
        long sec = t.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        long frac = t.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
        if (r.a5() != 0) { // a timeval: Linux carries whole seconds out of tv_usec
            if (sec < 0 || frac < 0)
                throw new ErrnoException(Errno.EINVAL, "select timeval {" + sec + ", " + frac + "}");
            sec += frac / 1_000_000;
            frac = frac % 1_000_000 * 1000;
        } else if (sec < 0 || frac < 0 || frac >= NS) {
            throw new ErrnoException(Errno.EINVAL, "pselect6 timespec {" + sec + ", " + frac + "}");
        }
        if (sec < 0 || sec > Long.MAX_VALUE / NS - 1) return -1; // longer than the JVM will live
        return sec * NS + frac;
    }

    /** select(nfds, readfds, writefds, exceptfds, timeout) with {@code timeoutNs} already read. */
    public long select(Request r, long timeoutNs) throws ErrnoException {
        long nfds = r.a0();
        if (nfds < 0 || nfds > FdTable.MAX_FDS) throw new ErrnoException(Errno.EINVAL, "select nfds " + nfds);
        int n = (int) nfds;
        int words = (n + 63) / 64;
        MemorySegment[] guest = new MemorySegment[3];
        long[][] in = new long[3][words];
        for (int k = 0; k < 3; k++) {
            long gpa = k == 0 ? r.a1() : k == 1 ? r.a2() : r.a3();
            if (gpa == 0 || words == 0) continue;
            guest[k] = s.guest().buffer(gpa, words * 8L);
            for (int w = 0; w < words; w++) in[k][w] = guest[k].get(ValueLayout.JAVA_LONG_UNALIGNED, w * 8L);
        }
        int count = 0;
        int[] fdOf = new int[n];
        for (int fd = 0; fd < n; fd++) if (bit(in[0], fd) || bit(in[1], fd) || bit(in[2], fd)) fdOf[count++] = fd;
        GuestFd[] held = new GuestFd[count];
        long[][] out = new long[3][words];
        long start = System.nanoTime();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(POLLFD, count + 1L);
            int readyNow = 0;
            for (int i = 0; i < count; i++) {
                int fd = fdOf[i];
                held[i] = s.fds().acquire(fd); // EBADF, as Linux's select for a set fd that is not open
                short events = (short) ((bit(in[0], fd) ? Linux.POLLIN : 0)
                        | (bit(in[1], fd) ? Linux.POLLOUT : 0)
                        | (bit(in[2], fd) ? Linux.POLLPRI : 0));
                set(host, i, held[i].hostFdOrMinusOne(), events);
                if (!held[i].hasHostFd() && bit(in[1], fd)) readyNow++; // a Java stream is always writable
            }
            set(host, count, s.waiter().eventFd(), Linux.POLLIN);
            long waitMs = readyNow > 0 || timeoutNs == 0 ? 0 : timeoutNs < 0 ? -1 : (timeoutNs + 999_999) / 1_000_000;
            PollOps.waitForEvents(s, host, count, waitMs);
            int ready = 0;
            for (int i = 0; i < count; i++) {
                int fd = fdOf[i];
                short rev = held[i].hasHostFd()
                        ? host.get(ValueLayout.JAVA_SHORT, i * ENTRY + POLLFD_REVENTS)
                        : Linux.POLLOUT;
                ready += mark(out[0], in[0], fd, rev, IN_SET);
                ready += mark(out[1], in[1], fd, rev, OUT_SET);
                ready += mark(out[2], in[2], fd, rev, EX_SET);
            }
            for (int k = 0; k < 3; k++) {
                if (guest[k] == null) continue;
                for (int w = 0; w < words; w++) guest[k].set(ValueLayout.JAVA_LONG_UNALIGNED, w * 8L, out[k][w]);
            }
            writeBack(r, timeoutNs, start);
            return ready;
        } finally {
            for (GuestFd f : held) if (f != null) f.release();
        }
    }

    /** The time left, into the guest's timeout, as Linux writes it (not for a zero or absent timeout). */
    private void writeBack(Request r, long timeoutNs, long start) throws ErrnoException {
        if (timeoutNs <= 0) return;
        long left = Math.max(0, timeoutNs - (System.nanoTime() - start));
        MemorySegment t = s.guest().object(r.a4(), LinuxLayouts.TIMESPEC.byteSize());
        t.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, left / NS);
        t.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, r.a5() != 0 ? left % NS / 1000 : left % NS);
    }

    private static boolean bit(long[] set, int fd) {
        return (set[fd >>> 6] & (1L << (fd & 63))) != 0;
    }

    private static int mark(long[] out, long[] in, int fd, short rev, short mask) {
        if (!bit(in, fd) || (rev & mask) == 0) return 0;
        out[fd >>> 6] |= 1L << (fd & 63);
        return 1;
    }

    private static void set(MemorySegment fds, long i, int fd, short events) {
        fds.set(ValueLayout.JAVA_INT, i * ENTRY + POLLFD_FD, fd);
        fds.set(ValueLayout.JAVA_SHORT, i * ENTRY + POLLFD_EVENTS, events);
        fds.set(ValueLayout.JAVA_SHORT, i * ENTRY + POLLFD_REVENTS, (short) 0);
    }
}
