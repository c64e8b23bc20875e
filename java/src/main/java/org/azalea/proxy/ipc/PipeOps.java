package org.azalea.proxy.ipc;

import static org.azalea.host.Linux.*;
import static org.azalea.host.LinuxNet.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcEvents;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPoll;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.OpenFile;
import org.azalea.ring.Request;

/**
 * pipe2, eventfd2 and socketpair: the objects are the host's, non-blocking
 * and close-on-exec there; the guest's O_NONBLOCK lives in its {@link OpenFile}
 * and its blocking reads and writes wait through the instance's waiter
 * ({@link org.azalea.proxy.instance.Blocking}), so close() of the instance
 * wakes them.  Poll, select and epoll then cover them like any host fd.
 */
public final class PipeOps {
    private static final int PIPE_FLAGS = O_CLOEXEC | O_NONBLOCK | O_DIRECT;
    private static final int EVENTFD_FLAGS = EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC;

    private final InstanceState s;

    public PipeOps(InstanceState s) {
        this.s = s;
    }

    /** pipe2(fds, flags): O_CLOEXEC, O_NONBLOCK and O_DIRECT (packet mode, served by the host's pipe). */
    public long pipe2(Request r) throws ErrnoException {
        int flags = (int) r.a1();
        if ((flags & ~PIPE_FLAGS) != 0) throw new ErrnoException(Errno.EINVAL, "pipe2 flags 0x" + hex(flags));
        MemorySegment out = s.guest().object(r.a0(), 8); // checked before anything is created
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            long res = LibcPoll.pipe2(fds, O_NONBLOCK | O_CLOEXEC | (flags & O_DIRECT));
            if (res < 0) return res;
            boolean nonBlocking = (flags & O_NONBLOCK) != 0;
            // The two ends are two open files, as in Linux: O_NONBLOCK on one is not on the other.
            return installPair(
                    out, fds, OpenFile.pipe(nonBlocking), OpenFile.pipe(nonBlocking), (flags & O_CLOEXEC) != 0);
        }
    }

    /** eventfd2(initval, flags): EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC. */
    public long eventfd2(Request r) throws ErrnoException {
        int flags = (int) r.a1();
        if ((flags & ~EVENTFD_FLAGS) != 0) throw new ErrnoException(Errno.EINVAL, "eventfd2 flags 0x" + hex(flags));
        long h = LibcPoll.eventfd((int) r.a0(), (flags & EFD_SEMAPHORE) | EFD_NONBLOCK | EFD_CLOEXEC);
        if (h < 0) return h;
        OpenFile file = OpenFile.event((flags & EFD_NONBLOCK) != 0);
        return s.fds().install(new GuestFd((int) h, file, (flags & EFD_CLOEXEC) != 0), 0);
    }

    /** socketpair(domain, type, protocol, fds): AF_UNIX (stream, datagram, seqpacket). */
    public long socketpair(Request r) throws ErrnoException {
        int domain = (int) r.a0();
        int type = (int) r.a1();
        int base = type & SOCK_TYPE_MASK;
        int flags = type & ~SOCK_TYPE_MASK;
        if (domain != AF_UNIX) {
            // Linux: the IP families have no socketpair; families it does not know at all.
            int errno = domain == AF_INET || domain == AF_INET6 ? Errno.EOPNOTSUPP : Errno.EAFNOSUPPORT;
            throw new ErrnoException(errno, "socketpair domain " + domain);
        }
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "socketpair type flags 0x" + hex(flags));
        }
        // AF_UNIX only: the host's own checks of the type (and its errno) are Linux's.
        MemorySegment out = s.guest().object(r.a3(), 8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            long res = LibcEvents.socketpair(AF_UNIX, base | SOCK_NONBLOCK | SOCK_CLOEXEC, (int) r.a2(), fds);
            if (res < 0) return res;
            boolean nonBlocking = (flags & SOCK_NONBLOCK) != 0;
            return installPair(
                    out,
                    fds,
                    OpenFile.socket(AF_UNIX, nonBlocking),
                    OpenFile.socket(AF_UNIX, nonBlocking),
                    (flags & SOCK_CLOEXEC) != 0);
        }
    }

    /** Installs host fds[0], fds[1] as two guest fds and writes their numbers to {@code out}; 0. */
    private long installPair(MemorySegment out, MemorySegment fds, OpenFile a, OpenFile b, boolean cloexec)
            throws ErrnoException {
        int h0 = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        int h1 = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        int g0;
        try {
            g0 = s.fds().install(new GuestFd(h0, a, cloexec), 0);
        } catch (ErrnoException e) {
            LibcIo.close(h1); // install released (closed) h0
            throw e;
        }
        int g1;
        try {
            g1 = s.fds().install(new GuestFd(h1, b, cloexec), 0);
        } catch (ErrnoException e) {
            s.fds().close(g0);
            throw e;
        }
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 0, g0);
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 4, g1);
        return 0;
    }

    private static String hex(int v) {
        return Integer.toHexString(v);
    }
}
