package org.azalea.proxy.fs;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.lang.foreign.MemorySegment;
import org.azalea.abi.abi_h;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.Linux;
import org.azalea.memory.Partition;

/**
 * The host-side state of one instance that the handlers share: its memory, fd
 * table, root and current directory, waiter and umask.  The argument helpers
 * here are the one way handlers turn a guest argument into a host value.
 */
public final class InstanceState {
    private final Partition memory;
    private final FdTable fds;
    private final PathResolver paths;
    private final Blocking blocking;
    private volatile int umask = 022;

    public InstanceState(Partition memory, FdTable fds, PathResolver paths, Blocking blocking) {
        this.memory = memory;
        this.fds = fds;
        this.paths = paths;
        this.blocking = blocking;
    }

    public Partition memory() {
        return memory;
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

    /** Guest memory [gpa, gpa + length) for the host to read or write in place; NULL when length is 0. */
    public MemorySegment buffer(long gpa, long length) throws ErrnoException {
        return length == 0 ? MemorySegment.NULL : memory.slice(gpa, length);
    }

    /** A guest path string, copied out once (at most AZ_PATH_MAX bytes with its NUL). */
    public String string(long gpa) throws ErrnoException {
        return new String(memory.readCString(gpa, abi_h.AZ_PATH_MAX()), ISO_8859_1);
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
