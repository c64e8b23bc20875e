package org.azalea.proxy.fs;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.azalea.host.Linux.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPaths;
import org.azalea.host.LinuxLayouts;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.PathResolver;
import org.azalea.proxy.instance.Scratch;
import org.azalea.ring.Request;

/**
 * Calls that look at or change an existing object named by a path: the stats,
 * access, chmod, chown, utimensat, statfs, and the current directory.  Each
 * resolves the whole path in-root to an O_PATH fd (following a final symlink
 * or not, as the call asks) and acts on that fd, never on a name again.
 */
public final class PathAttrs {
    private static final int X_OK = 1;
    private static final int ACCESS_MODES = 7; // R_OK | W_OK | X_OK (F_OK is 0)

    private final InstanceState s;

    public PathAttrs(InstanceState s) {
        this.s = s;
    }

    /** stat(path, statbuf). */
    public long stat(Request r) throws ErrnoException {
        return statAt(AT_FDCWD, r.a0(), r.a1(), 0);
    }

    /** lstat(path, statbuf). */
    public long lstat(Request r) throws ErrnoException {
        return statAt(AT_FDCWD, r.a0(), r.a1(), AT_SYMLINK_NOFOLLOW);
    }

    /** newfstatat(dirfd, path, statbuf, flags). */
    public long newfstatat(Request r) throws ErrnoException {
        int flags = (int) r.a3();
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "newfstatat flags 0x" + Integer.toHexString(flags));
        }
        return statAt(r.a0(), r.a1(), r.a2(), flags);
    }

    private long statAt(long dirfd, long pathGpa, long bufGpa, int flags) throws ErrnoException {
        MemorySegment buf = s.guest().object(bufGpa, LinuxLayouts.STAT_SIZE);
        try (Target t = target(dirfd, pathGpa, flags)) {
            if (t.stream() != null) return FdOps.statInto(t.stream(), buf);
            return LibcIo.fstatat(t.fd(), PathResolver.EMPTY, buf, AT_EMPTY_PATH);
        }
    }

    /** access(path, mode). */
    public long access(Request r) throws ErrnoException {
        return accessAt(AT_FDCWD, r.a0(), (int) r.a1(), 0);
    }

    /** faccessat(dirfd, path, mode, flags): the flags are faccessat2's. */
    public long faccessat(Request r) throws ErrnoException {
        int flags = (int) r.a3();
        if ((flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "faccessat flags 0x" + Integer.toHexString(flags));
        }
        return accessAt(r.a0(), r.a1(), (int) r.a2(), flags);
    }

    private long accessAt(long dirfd, long pathGpa, int mode, int flags) throws ErrnoException {
        if ((mode & ~ACCESS_MODES) != 0)
            throw new ErrnoException(Errno.EINVAL, "access mode 0" + Integer.toOctalString(mode));
        try (Target t = target(dirfd, pathGpa, flags)) {
            return LibcPaths.faccessat(t.hostFd(), PathResolver.EMPTY, mode, AT_EMPTY_PATH | (flags & AT_EACCESS));
        }
    }

    /** chmod(path, mode). */
    public long chmod(Request r) throws ErrnoException {
        return chmodAt(AT_FDCWD, r.a0(), (int) r.a1(), 0);
    }

    /** fchmodat(dirfd, path, mode, flags): the flags are fchmodat2's. */
    public long fchmodat(Request r) throws ErrnoException {
        int flags = (int) r.a3();
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "fchmodat flags 0x" + Integer.toHexString(flags));
        }
        return chmodAt(r.a0(), r.a1(), (int) r.a2(), flags);
    }

    private long chmodAt(long dirfd, long pathGpa, int mode, int flags) throws ErrnoException {
        try (Target t = target(dirfd, pathGpa, flags);
                Scratch arena = Scratch.open()) {
            int fd = t.hostFd();
            if ((flags & AT_SYMLINK_NOFOLLOW) != 0 && isSymlink(fd)) {
                throw new ErrnoException(Errno.EOPNOTSUPP, "chmod of a symlink itself");
            }
            // chmod has no AT_EMPTY_PATH before Linux 6.6; the magic link of our own O_PATH fd is as exact.
            return LibcPaths.fchmodat(
                    AT_FDCWD, PathResolver.cString(arena, PathResolver.procPath(fd)), Credentials.mode(mode), 0);
        }
    }

    /** chown(path, uid, gid). */
    public long chown(Request r) throws ErrnoException {
        return chownAt(AT_FDCWD, r.a0(), (int) r.a1(), (int) r.a2(), 0);
    }

    /** lchown(path, uid, gid). */
    public long lchown(Request r) throws ErrnoException {
        return chownAt(AT_FDCWD, r.a0(), (int) r.a1(), (int) r.a2(), AT_SYMLINK_NOFOLLOW);
    }

    /** fchownat(dirfd, path, uid, gid, flags). */
    public long fchownat(Request r) throws ErrnoException {
        int flags = (int) r.a4();
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "fchownat flags 0x" + Integer.toHexString(flags));
        }
        return chownAt(r.a0(), r.a1(), (int) r.a2(), (int) r.a3(), flags);
    }

    private long chownAt(long dirfd, long pathGpa, int uid, int gid, int flags) throws ErrnoException {
        Credentials.checkOwner(uid, gid);
        try (Target t = target(dirfd, pathGpa, flags)) {
            return LibcPaths.fchownat(t.hostFd(), PathResolver.EMPTY, uid, gid, AT_EMPTY_PATH);
        }
    }

    /** utimensat(dirfd, path, times, flags); a NULL path means dirfd itself (futimens). */
    public long utimensat(Request r) throws ErrnoException {
        int flags = (int) r.a3();
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "utimensat flags 0x" + Integer.toHexString(flags));
        }
        try (Scratch arena = Scratch.open()) {
            MemorySegment times = MemorySegment.NULL;
            if (r.a2() != 0) {
                long size = 2 * LinuxLayouts.TIMESPEC.byteSize();
                times = arena.allocate(size, 8);
                MemorySegment.copy(
                        s.guest().object(r.a2(), size), 0, times, 0, size); // copied once, checked by the host
            }
            if (r.a1() == 0) {
                if (InstanceState.isAtFdcwd(r.a0()))
                    throw new ErrnoException(Errno.EFAULT, "utimensat(AT_FDCWD, NULL)");
                GuestFd f = s.fds().acquire(r.a0());
                try {
                    // glibc's utimensat refuses a NULL path; AT_EMPTY_PATH on the fd is the same call.
                    return LibcPaths.utimensat(f.host(Errno.EBADF), PathResolver.EMPTY, times, AT_EMPTY_PATH);
                } finally {
                    f.release();
                }
            }
            try (Target t = target(r.a0(), r.a1(), flags)) {
                return LibcPaths.utimensat(t.hostFd(), PathResolver.EMPTY, times, AT_EMPTY_PATH);
            }
        }
    }

    /** statfs(path, buf). */
    public long statfs(Request r) throws ErrnoException {
        MemorySegment buf = s.guest().object(r.a1(), LinuxLayouts.STATFS_SIZE);
        try (Target t = target(AT_FDCWD, r.a0(), 0)) {
            return LibcIo.fstatfs(t.hostFd(), buf);
        }
    }

    /** chdir(path): the current directory becomes the canonical in-root path of the directory reached. */
    public long chdir(Request r) throws ErrnoException {
        String abs = s.absolute(AT_FDCWD, s.guest().path(r.a0()));
        long fd = s.paths().open(abs, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) return fd;
        try {
            long ok = LibcPaths.faccessat((int) fd, PathResolver.EMPTY, X_OK, AT_EMPTY_PATH);
            if (ok < 0) return ok;
            s.paths().cwd(s.paths().inRootPath((int) fd));
            return 0;
        } finally {
            LibcIo.close((int) fd);
        }
    }

    /** getcwd(buf, size): the result is the length including the NUL, as the Linux system call's. */
    public long getcwd(Request r) throws ErrnoException {
        byte[] cwd = s.paths().cwd().getBytes(ISO_8859_1);
        long need = cwd.length + 1L;
        if (Long.compareUnsigned(r.a1(), need) < 0) {
            throw new ErrnoException(Errno.ERANGE, "getcwd buffer of " + r.a1() + " bytes, " + need + " needed");
        }
        MemorySegment out = s.guest().object(r.a0(), need);
        MemorySegment.copy(cwd, 0, out, ValueLayout.JAVA_BYTE, 0, cwd.length);
        out.set(ValueLayout.JAVA_BYTE, cwd.length, (byte) 0);
        return need;
    }

    /**
     * The object that (dirfd, path, flags) names: an in-root O_PATH fd, or with
     * AT_EMPTY_PATH and "" the guest fd itself (borrowed, not closed).
     */
    private Target target(long dirfd, long pathGpa, int flags) throws ErrnoException {
        String path = s.guest().path(pathGpa);
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            if (InstanceState.isAtFdcwd(dirfd))
                return new Target(s.paths().resolve(s.paths().cwd(), true), null);
            GuestFd f = s.fds().acquire(dirfd);
            return new Target(f.hostFdOrMinusOne(), f);
        }
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        return new Target(s.paths().resolve(s.absolute(dirfd, path), follow), null);
    }

    private static boolean isSymlink(int fd) {
        try (Scratch arena = Scratch.open()) {
            MemorySegment st = arena.allocate(LinuxLayouts.STAT);
            return LibcIo.fstatat(fd, PathResolver.EMPTY, st, AT_EMPTY_PATH) == 0
                    && (st.get(ValueLayout.JAVA_INT, LinuxLayouts.STAT_MODE) & S_IFMT) == S_IFLNK;
        }
    }

    /** A host fd to act on: owned (closed here) or a borrowed guest fd (released here). */
    private record Target(int fd, GuestFd borrowed) implements AutoCloseable {
        /** The guest fd when it is a stream binding (no host fd), else null. */
        GuestFd stream() {
            return borrowed != null && !borrowed.hasHostFd() ? borrowed : null;
        }

        int hostFd() throws ErrnoException {
            if (fd < 0) throw new ErrnoException(Errno.EINVAL, "guest fd is bound to a Java stream");
            return fd;
        }

        @Override
        public void close() {
            if (borrowed != null) borrowed.release();
            else LibcIo.close(fd);
        }
    }
}
