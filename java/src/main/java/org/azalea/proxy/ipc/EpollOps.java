package org.azalea.proxy.ipc;

import static org.azalea.host.Linux.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcEvents;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.OpenFile;
import org.azalea.proxy.instance.Waiter;
import org.azalea.ring.Request;

/**
 * epoll_create1, epoll_ctl, epoll_pwait over the host's epoll.  The set holds
 * host fds; the guest's epoll_event data passes through untouched, so what
 * epoll_wait returns is what the guest registered.  Registrations follow the
 * host's open file, as in Linux: a guest fd's host fd is its own dup, so
 * closing one guest dup keeps the registration while another is open.  A
 * blocking epoll_wait waits on the epoll fd together with the instance's
 * eventfd (close() of the instance wakes it with EINTR), then collects with a
 * zero timeout.  stdout and stderr bound to Java streams are watched through
 * a stand-in that is always writable ({@link GuestFd#readinessFd()}), as a
 * pipe to a fast reader would be.
 */
public final class EpollOps {
    /** Linux's EP_MAX_EVENTS. */
    private static final int MAX_EVENTS = Integer.MAX_VALUE / EPOLL_EVENT_SIZE;

    private final InstanceState s;

    public EpollOps(InstanceState s) {
        this.s = s;
    }

    /** epoll_create1(flags): EPOLL_CLOEXEC only. */
    public long create1(Request r) throws ErrnoException {
        int flags = (int) r.a0();
        if ((flags & ~EPOLL_CLOEXEC) != 0) {
            throw new ErrnoException(Errno.EINVAL, "epoll_create1 flags 0x" + Integer.toHexString(flags));
        }
        long h = LibcEvents.epollCreate1(EPOLL_CLOEXEC);
        if (h < 0) return h;
        return s.fds().install(new GuestFd((int) h, OpenFile.event(false), flags != 0), 0);
    }

    /** epoll_ctl(epfd, op, fd, event): the event is copied once, its data kept as the guest wrote it. */
    public long ctl(Request r) throws ErrnoException {
        int op = (int) r.a1();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = MemorySegment.NULL;
            if (op != EPOLL_CTL_DEL) { // read first, as Linux does: EFAULT before EBADF
                if (r.a3() == 0) throw new ErrnoException(Errno.EFAULT, "epoll_ctl without an event");
                event = arena.allocate(EPOLL_EVENT_SIZE, 4);
                MemorySegment.copy(s.guest().object(r.a3(), EPOLL_EVENT_SIZE), 0, event, 0, EPOLL_EVENT_SIZE);
            }
            GuestFd ep = s.fds().acquire(r.a0());
            try {
                GuestFd f = s.fds().acquire(r.a2());
                try {
                    int epHost = ep.host(Errno.EINVAL);
                    // A Java output stream (stdout) is watched through a stand-in: always writable.
                    return LibcEvents.epollCtl(epHost, op, f.readinessFd(), event);
                } finally {
                    f.release();
                }
            } finally {
                ep.release();
            }
        }
    }

    /** {@link Request#fetched()} of an epoll_pwait whose set had events when it was classified. */
    public static final long READY_WHEN_CLASSIFIED = 1;

    /**
     * Classifies an epoll_pwait once: with a timeout but events already there, it
     * runs inline (no hand-off to a worker) and never waits; a busy event loop then
     * costs no hand-off at all.
     */
    public Request prepare(Request r) {
        if (!mayWait(r)) return r;
        GuestFd ep = s.fds().peek(r.a0());
        try {
            if (ep != null && ep.hasHostFd() && s.waiter().ready(ep.hostFdOrMinusOne(), POLLIN)) {
                return r.withFetched(READY_WHEN_CLASSIFIED);
            }
        } catch (ErrnoException e) {
            // the handler meets the same error
        }
        return r;
    }

    /** epoll_pwait(epfd, events, maxevents, timeout_ms): the signal mask does not cross the channel. */
    public long pwait(Request r) throws ErrnoException {
        int max = (int) r.a2();
        boolean inline = r.isFetched() && r.fetched() == READY_WHEN_CLASSIFIED;
        int timeout = inline ? 0 : (int) r.a3();
        GuestFd ep = s.fds().acquire(r.a0());
        try {
            if (max <= 0 || max > MAX_EVENTS) throw new ErrnoException(Errno.EINVAL, "epoll_wait maxevents " + max);
            int h = ep.host(Errno.EINVAL);
            MemorySegment out = s.guest().buffer(r.a1(), (long) max * EPOLL_EVENT_SIZE);
            long deadline = timeout < 0 ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000L;
            for (; ; ) {
                long n = LibcEvents.epollWait(h, out, max, 0);
                if (n != 0 && n != -Errno.EINTR) return n;
                // Inline, the events went to another thread since: it must not wait here,
                // and 0 would say the timeout expired; EINTR sends the program round again.
                if (inline) return -Errno.EINTR;
                if (timeout == 0) return 0;
                long left = timeout < 0 ? -1 : Waiter.remainingMs(deadline);
                if (left == 0) return 0;
                try {
                    s.waiter().await(h, POLLIN, left);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EAGAIN) return 0; // the timeout expired
                    throw e;
                }
            }
        } finally {
            ep.release();
        }
    }

    /** True when an epoll_pwait request may wait (a timeout other than 0, no events when classified). */
    public static boolean mayWait(Request r) {
        return (int) r.a3() != 0 && !(r.isFetched() && r.fetched() == READY_WHEN_CLASSIFIED);
    }
}
