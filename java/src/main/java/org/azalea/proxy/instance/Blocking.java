package org.azalea.proxy.instance;

import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.ring.Request;

/**
 * The guest's blocking semantics on host fds that never block the proxy.
 *
 * <p>Sockets and pipes the proxy opened are non-blocking on the host; a request
 * from a guest that wants to block tries the call, and on EAGAIN waits in
 * {@link Waiter#await} (which close() interrupts) and tries again.  Fds the
 * caller handed in ({@link OpenFile#foreign()}) keep their flags, so the wait
 * comes first and the call after.  Regular files and directories never wait.
 */
public final class Blocking {
    /**
     * {@link Request#fetched()} of a read or write whose fd was non-blocking when the
     * proxy classified it (HostSyscalls.prepare): it runs inline, on the poller, and
     * must not wait even if the guest clears O_NONBLOCK meanwhile.
     */
    public static final long CLASSIFIED_NON_BLOCKING = 1;

    private final Waiter waiter;

    public Blocking(Waiter waiter) {
        this.waiter = waiter;
    }

    public Waiter waiter() {
        return waiter;
    }

    /** True when {@code r} was classified as non-blocking: its handler must not wait. */
    public static boolean classifiedNonBlocking(Request r) {
        return r.isFetched() && r.fetched() == CLASSIFIED_NON_BLOCKING;
    }

    /**
     * Runs {@code op} (a host call returning {@code >= 0} or {@code -errno}) with the
     * guest's blocking semantics.
     *
     * @param dontWait MSG_DONTWAIT: this call alone is non-blocking
     * @param timeoutMs SO_RCVTIMEO/SO_SNDTIMEO, -1 for none; expiry gives EAGAIN as in Linux
     */
    public long call(GuestFd f, int hostFd, short events, boolean dontWait, long timeoutMs, LongSupplier op)
            throws ErrnoException {
        OpenFile file = f.file();
        if (!file.waitable()) return op.getAsLong();
        boolean nonBlocking = dontWait || file.nonBlocking();
        if (file.foreign()) {
            if (nonBlocking) {
                if (!waiter.ready(hostFd, events)) return -Errno.EAGAIN;
            } else {
                waiter.await(hostFd, events, timeoutMs);
            }
            return op.getAsLong();
        }
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000;
        for (; ; ) {
            long r = op.getAsLong();
            if (r != -Errno.EAGAIN || nonBlocking) return r;
            waiter.await(hostFd, events, timeoutMs < 0 ? -1 : Waiter.remainingMs(deadline));
        }
    }

    /**
     * Like {@link #call} for writes: a blocking guest's write to a socket or pipe
     * returns only when all {@code total} bytes are written, as Linux's does, or
     * with the partial count when an error (or close()) cuts it short.
     *
     * @param opAt writes from byte {@code done} on; returns the count or {@code -errno}
     */
    public long transfer(
            GuestFd f, int hostFd, short events, boolean dontWait, long timeoutMs, long total, LongUnaryOperator opAt)
            throws ErrnoException {
        OpenFile file = f.file();
        if (!file.waitable() || dontWait || file.nonBlocking()) {
            return call(f, hostFd, events, dontWait, timeoutMs, () -> opAt.applyAsLong(0));
        }
        long done = 0;
        do {
            final long from = done;
            long r;
            try {
                r = call(f, hostFd, events, false, timeoutMs, () -> opAt.applyAsLong(from));
            } catch (ErrnoException e) {
                if (done > 0) return done;
                throw e;
            }
            if (r < 0) return done > 0 ? done : r;
            if (r == 0) break;
            done += r;
        } while (done < total);
        return done;
    }
}
