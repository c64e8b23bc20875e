package org.azalea.proxy.instance;

import java.util.concurrent.atomic.AtomicInteger;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPoll;

/**
 * One entry of an instance's fd table: its own host fd (a dup of another entry's,
 * never shared between entries) or a Java stream binding, plus FD_CLOEXEC.
 *
 * <p>Reference counted so that a guest close() racing with a request in flight on
 * the same fd cannot close the host fd under that request (the host would reuse
 * the number for an unrelated file): the table holds one reference, each request
 * one more, and the host fd is closed when the last is released.
 */
public final class GuestFd {
    private final int hostFd;
    private final OpenFile file;
    private volatile boolean cloexec;
    private final AtomicInteger refs = new AtomicInteger(1);
    private int standIn = -1; // guarded by this

    /** Takes ownership of {@code hostFd} ({@code -1} for a stream binding). */
    public GuestFd(int hostFd, OpenFile file, boolean cloexec) {
        this.hostFd = hostFd;
        this.file = file;
        this.cloexec = cloexec;
    }

    public OpenFile file() {
        return file;
    }

    /** True when there is a host fd; false for a Java stream binding. */
    public boolean hasHostFd() {
        return hostFd >= 0;
    }

    /** The host fd, or ErrnoException({@code errnoIfStream}) for a Java stream binding. */
    public int host(int errnoIfStream) throws ErrnoException {
        if (hostFd < 0) {
            throw new ErrnoException(errnoIfStream, "guest fd is bound to a Java stream, not a host fd");
        }
        return hostFd;
    }

    /** The host fd, or -1 for a stream binding. */
    public int hostFdOrMinusOne() {
        return hostFd;
    }

    public boolean cloexec() {
        return cloexec;
    }

    public void cloexec(boolean value) {
        cloexec = value;
    }

    /** One more user; false when the entry is already fully released. */
    boolean retain() {
        for (; ; ) {
            int n = refs.get();
            if (n <= 0) return false;
            if (refs.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Drops one reference; the last one closes the host fd. */
    public void release() {
        if (refs.decrementAndGet() == 0) {
            if (hostFd >= 0) LibcIo.close(hostFd);
            synchronized (this) {
                if (standIn >= 0) LibcIo.close(standIn);
                standIn = -1;
            }
        }
    }

    /**
     * For a Java stream binding (stdout, stderr), a host fd that stands in for it
     * in epoll: an eventfd whose counter stays 0, so it is always writable and
     * never readable, as a stream that takes every write at once.  Created on
     * first use, closed with this entry; for a host fd, that fd.
     */
    public synchronized int readinessFd() throws ErrnoException {
        if (hostFd >= 0) return hostFd;
        if (standIn < 0) {
            long e = LibcPoll.eventfd(0, org.azalea.host.Linux.EFD_CLOEXEC | org.azalea.host.Linux.EFD_NONBLOCK);
            if (e < 0) throw new ErrnoException((int) -e, "eventfd standing in for a stream");
            standIn = (int) e;
        }
        return standIn;
    }

    /** A new entry over a host dup of this one's fd (or the same stream), sharing the open file. */
    public GuestFd duplicate(boolean newCloexec) throws ErrnoException {
        if (hostFd < 0) return new GuestFd(-1, file, newCloexec);
        long h = LibcIo.fcntl(hostFd, org.azalea.host.Linux.F_DUPFD_CLOEXEC, 0);
        if (h < 0) throw new ErrnoException((int) -h, "host dup of fd " + hostFd + " failed");
        return new GuestFd((int) h, file, newCloexec);
    }

    static ErrnoException badFd(long fd) {
        return new ErrnoException(Errno.EBADF, "guest fd " + fd + " is not open");
    }
}
