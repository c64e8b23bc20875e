package org.azalea.ring;

/**
 * One submission, copied out of shared memory exactly once.  Handlers only
 * ever see this copy, so a guest that rewrites its ring entry while the
 * request is served changes nothing.  Arguments are the Linux system call's,
 * pointers being guest-physical addresses.
 *
 * <p>{@code fetched} is a value the dispatcher read from guest memory before
 * deciding where the request runs (the ppoll timeout), kept here so that the
 * handler uses the same value instead of reading the guest's copy again
 * ({@link #NOT_FETCHED} when nothing was read).
 */
public record Request(
        long id, int opcode, int flags, long a0, long a1, long a2, long a3, long a4, long a5, long fetched) {
    /** No argument was fetched from guest memory ahead of the handler. */
    public static final long NOT_FETCHED = Long.MIN_VALUE;

    /** A request as it leaves the ring: nothing fetched yet. */
    public Request(long id, int opcode, int flags, long a0, long a1, long a2, long a3, long a4, long a5) {
        this(id, opcode, flags, a0, a1, a2, a3, a4, a5, NOT_FETCHED);
    }

    /** This request with {@code value} fetched from guest memory. */
    public Request withFetched(long value) {
        return new Request(id, opcode, flags, a0, a1, a2, a3, a4, a5, value);
    }

    public boolean isFetched() {
        return fetched != NOT_FETCHED;
    }
}
