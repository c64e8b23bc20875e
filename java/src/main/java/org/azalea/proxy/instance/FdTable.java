package org.azalea.proxy.instance;

import java.util.ArrayList;
import java.util.List;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;

/**
 * An instance's file descriptors: guest numbers 0..{@link #MAX_FDS}-1, each
 * mapping to a {@link GuestFd}.  New fds take the lowest free number, as in
 * Linux.  A number that is negative, too large, closed or never opened is
 * EBADF: an instance can name only its own entries.
 */
public final class FdTable {
    /** Like Linux's default RLIMIT_NOFILE soft limit. */
    public static final int MAX_FDS = 1024;

    private final GuestFd[] slots = new GuestFd[MAX_FDS];
    private boolean closed;

    /** Guest fd arguments are 64-bit registers; anything outside [0, MAX_FDS) names no fd. */
    public static boolean inRange(long fd) {
        return fd >= 0 && fd < MAX_FDS;
    }

    /** The entry for {@code fd}, retained: the caller must {@link GuestFd#release()} it. */
    public GuestFd acquire(long fd) throws ErrnoException {
        GuestFd f;
        synchronized (this) {
            f = inRange(fd) ? slots[(int) fd] : null;
            if (f == null || !f.retain()) throw GuestFd.badFd(fd);
        }
        return f;
    }

    /** The entry for {@code fd} without retaining it (to classify a request), or null. */
    public synchronized GuestFd peek(long fd) {
        return inRange(fd) ? slots[(int) fd] : null;
    }

    /** Installs {@code f} at the lowest free number {@code >= minFd}; on failure releases {@code f}. */
    public int install(GuestFd f, long minFd) throws ErrnoException {
        synchronized (this) {
            if (!closed) {
                for (long i = Math.max(0, minFd); i < MAX_FDS; i++) {
                    if (slots[(int) i] == null) {
                        slots[(int) i] = f;
                        return (int) i;
                    }
                }
            }
        }
        f.release();
        throw new ErrnoException(Errno.EMFILE, "no free guest fd >= " + minFd + " (limit " + MAX_FDS + ")");
    }

    /** Installs {@code f} at {@code fd} (dup2), releasing whatever was there. */
    public void installAt(int fd, GuestFd f) throws ErrnoException {
        GuestFd old;
        synchronized (this) {
            if (closed || !inRange(fd)) {
                f.release();
                throw GuestFd.badFd(fd);
            }
            old = slots[fd];
            slots[fd] = f;
        }
        if (old != null) old.release();
    }

    /** Removes {@code fd} and drops the table's reference (close). */
    public void close(long fd) throws ErrnoException {
        GuestFd f;
        synchronized (this) {
            f = inRange(fd) ? slots[(int) fd] : null;
            if (f == null) throw GuestFd.badFd(fd);
            slots[(int) fd] = null;
        }
        f.release();
    }

    /** Empties the table for good; host fds close as their last request finishes. */
    public void closeAll() {
        List<GuestFd> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (int i = 0; i < MAX_FDS; i++) {
                if (slots[i] != null) all.add(slots[i]);
                slots[i] = null;
            }
        }
        for (GuestFd f : all) f.release();
    }

    /** How many fds are open (for tests and statistics). */
    public synchronized int count() {
        int n = 0;
        for (GuestFd f : slots) if (f != null) n++;
        return n;
    }
}
