package org.azalea.proxy;

import org.azalea.host.ErrnoException;
import org.azalea.ring.Request;

/**
 * Executes offloaded system calls for one instance.  The proxy's polling
 * thread asks {@link #mayBlock} first: requests that may block run on a
 * worker thread, so one instance's blocking accept never stalls another
 * request.
 */
public interface SyscallDispatcher extends AutoCloseable {
    /** Runs the request; returns its result: {@code >= 0}, or {@code -errno}.  Never throws for guest errors. */
    long dispatch(Request request);

    /**
     * Reads, once, whatever guest memory decides where the request runs (the
     * ppoll timeout), and returns the request carrying it ({@link Request#fetched}),
     * so that {@link #mayBlock} and {@link #dispatch} see the same value however
     * the guest rewrites its memory meanwhile.  An ErrnoException is the
     * request's answer (a bad pointer, a malformed timespec).
     */
    default Request prepare(Request request) throws ErrnoException {
        return request;
    }

    /** True when the request may wait for an outside event (a socket, a pipe, a terminal, a lock). */
    boolean mayBlock(Request request);

    /** Wakes every request blocked in {@link #dispatch} (they complete with -EINTR) and releases host resources. */
    @Override
    void close();
}
