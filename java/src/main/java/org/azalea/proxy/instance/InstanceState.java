package org.azalea.proxy.instance;

import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.Linux;
import org.azalea.memory.Partition;

/**
 * The host-side state of one instance that the handlers share: its memory
 * (through {@link GuestPointers} only), fd table, root and current directory,
 * waiter, umask and network policy.
 */
public final class InstanceState {
    private final GuestPointers guest;
    private final FdTable fds;
    private final PathResolver paths;
    private final Blocking blocking;
    private final NetPolicy net;
    private volatile int umask = 022;

    public InstanceState(Partition memory, FdTable fds, PathResolver paths, Blocking blocking, NetPolicy net) {
        this.guest = new GuestPointers(memory);
        this.fds = fds;
        this.paths = paths;
        this.blocking = blocking;
        this.net = java.util.Objects.requireNonNull(net, "net");
    }

    /** What network the instance may reach; fixed for its life. */
    public NetPolicy net() {
        return net;
    }

    /** The instance's memory as handlers may reach it: the one way from a guest pointer to host memory. */
    public GuestPointers guest() {
        return guest;
    }

    public FdTable fds() {
        return fds;
    }

    public PathResolver paths() {
        return paths;
    }

    public Blocking blocking() {
        return blocking;
    }

    public Waiter waiter() {
        return blocking.waiter();
    }

    public int umask() {
        return umask;
    }

    /** Sets the umask; returns the previous one. */
    public synchronized int umask(int mask) {
        int old = umask;
        umask = mask & 0777;
        return old;
    }

    /** True for AT_FDCWD as a 32-bit int, sign-extended or not. */
    public static boolean isAtFdcwd(long dirfd) {
        return dirfd == Linux.AT_FDCWD || dirfd == (Linux.AT_FDCWD & 0xFFFFFFFFL);
    }

    /**
     * The in-root path of a guest path relative to guest directory fd {@code dirfd}
     * (AT_FDCWD: the current directory).  Absolute paths ignore {@code dirfd}, as in Linux.
     */
    public String absolute(long dirfd, String path) throws ErrnoException {
        if (path.isEmpty()) throw new ErrnoException(Errno.ENOENT, "empty path");
        if (path.charAt(0) == '/' || isAtFdcwd(dirfd)) return PathResolver.join(paths.cwd(), path);
        return PathResolver.join(directoryOf(dirfd), path);
    }

    /** The in-root path of a guest directory fd (or the cwd for AT_FDCWD). */
    public String directoryOf(long dirfd) throws ErrnoException {
        if (isAtFdcwd(dirfd)) return paths.cwd();
        GuestFd f = fds.acquire(dirfd);
        try {
            String dir = f.file().dirPath();
            if (dir == null) throw new ErrnoException(Errno.ENOTDIR, "guest fd " + dirfd + " is not a directory");
            return dir;
        } finally {
            f.release();
        }
    }
}
