package org.azalea.host;

/**
 * A request failed with a Linux errno.  Handlers throw it to bail out; the
 * proxy turns it into the completion result {@code -errno}.  The message names
 * the values involved, for the host's log; the guest sees only the number.
 */
public final class ErrnoException extends Exception {
    private final int errno;

    public ErrnoException(int errno, String message) {
        super(message, null, false, false); // no stack trace: this is a normal outcome
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** The completion result for this failure. */
    public long result() {
        return -(long) errno;
    }
}
