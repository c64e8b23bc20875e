package org.azalea.proxy.instance;

import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;

/**
 * The instance kernel's references to files it maps MAP_SHARED or is filling
 * a private mapping from: each a retained {@link GuestFd}, so the host fd stays
 * open after the program closes its own fd (Linux keeps the file of a mapping
 * the same way).  Handles are small numbers of this table, never guest fds: the
 * program cannot name them, and the table is emptied when the instance ends.
 */
public final class MapHandles {
    /** Files mapped at once; the kernel keeps one handle per mapped file. */
    public static final int MAX = 256;

    private final GuestFd[] slots = new GuestFd[MAX];
    private boolean closed;

    /** Takes over the reference {@code f} carries; the handle, or EMFILE (releasing {@code f}). */
    public int install(GuestFd f) throws ErrnoException {
        synchronized (this) {
            if (!closed) {
                for (int i = 0; i < MAX; i++) {
                    if (slots[i] == null) {
                        slots[i] = f;
                        return i;
                    }
                }
            }
        }
        f.release();
        throw new ErrnoException(Errno.EMFILE, "no free map handle (limit " + MAX + ")");
    }

    /** The entry of {@code handle}, retained: the caller must release it. */
    public GuestFd acquire(long handle) throws ErrnoException {
        synchronized (this) {
            GuestFd f = handle >= 0 && handle < MAX ? slots[(int) handle] : null;
            if (f == null || !f.retain())
                throw new ErrnoException(Errno.EBADF, "map handle " + handle + " is not open");
            return f;
        }
    }

    /** Drops the handle's reference (the host fd closes once no fd or request holds it). */
    public void close(long handle) throws ErrnoException {
        GuestFd f;
        synchronized (this) {
            f = handle >= 0 && handle < MAX ? slots[(int) handle] : null;
            if (f == null) throw new ErrnoException(Errno.EBADF, "map handle " + handle + " is not open");
            slots[(int) handle] = null;
        }
        f.release();
    }

    /** Empties the table for good (the instance ended). */
    public void closeAll() {
        GuestFd[] all;
        synchronized (this) {
            closed = true;
            all = slots.clone();
            java.util.Arrays.fill(slots, null);
        }
        for (GuestFd f : all) if (f != null) f.release();
    }

    /** How many handles are open (for tests). */
    public synchronized int count() {
        int n = 0;
        for (GuestFd f : slots) if (f != null) n++;
        return n;
    }
}
