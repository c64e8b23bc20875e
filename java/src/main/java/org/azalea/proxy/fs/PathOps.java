package org.azalea.proxy.fs;

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
import org.azalea.proxy.instance.OpenFile;
import org.azalea.proxy.instance.PathResolver;
import org.azalea.proxy.instance.PathResolver.Entry;
import org.azalea.proxy.instance.Scratch;
import org.azalea.ring.Request;

/**
 * Calls that open, create, remove or rename names: open/openat/creat, mkdir,
 * unlink, rmdir, rename, link, symlink, readlink, truncate.  See
 * {@link PathResolver} for why no path can leave the root.
 */
public final class PathOps {
    /** open(2) flags passed on; unknown bits are dropped, as Linux's open ignores them (openat2 would not). */
    private static final int OPEN_FLAGS = O_ACCMODE
            | O_CREAT
            | O_EXCL
            | O_NOCTTY
            | O_TRUNC
            | O_APPEND
            | O_NONBLOCK
            | O_DSYNC
            | O_DIRECT
            | O_LARGEFILE
            | O_DIRECTORY
            | O_NOFOLLOW
            | O_NOATIME
            | O_CLOEXEC
            | O_SYNC
            | O_PATH
            | O_TMPFILE;
    /** With O_PATH Linux ignores every other flag but these; openat2 would refuse the others. */
    private static final int O_PATH_FLAGS = O_DIRECTORY | O_NOFOLLOW;

    private final InstanceState s;

    public PathOps(InstanceState s) {
        this.s = s;
    }

    /** open(path, flags, mode). */
    public long open(Request r) throws ErrnoException {
        return openAt(AT_FDCWD, r.a0(), (int) r.a1(), (int) r.a2());
    }

    /** creat(path, mode) = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode). */
    public long creat(Request r) throws ErrnoException {
        return openAt(AT_FDCWD, r.a0(), O_CREAT | O_WRONLY | O_TRUNC, (int) r.a1());
    }

    /** openat(dirfd, path, flags, mode). */
    public long openat(Request r) throws ErrnoException {
        return openAt(r.a0(), r.a1(), (int) r.a2(), (int) r.a3());
    }

    private long openAt(long dirfd, long pathGpa, int flags, int mode) throws ErrnoException {
        String abs = s.absolute(dirfd, s.guest().path(pathGpa));
        flags &= OPEN_FLAGS;
        int hostFlags;
        int hostMode = 0;
        if ((flags & O_PATH) != 0) {
            hostFlags = O_PATH | O_CLOEXEC | (flags & O_PATH_FLAGS);
        } else {
            // Host fds are close-on-exec (the JVM starts QEMU) and non-blocking (see Blocking).
            hostFlags = flags | O_CLOEXEC | O_NONBLOCK;
            if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE)
                hostMode = Credentials.mode(mode) & ~s.umask();
        }
        long h = s.paths().open(abs, hostFlags, hostMode);
        if (h < 0) return h;
        int hostFd = (int) h;
        OpenFile file;
        try {
            OpenFile.Kind kind = OpenFile.kindOf(hostFd);
            String dirPath = kind == OpenFile.Kind.DIRECTORY ? s.paths().inRootPath(hostFd) : null;
            file = OpenFile.opened(kind, dirPath, (flags & O_NONBLOCK) != 0);
        } catch (ErrnoException e) {
            LibcIo.close(hostFd);
            throw e;
        }
        return s.fds().install(new GuestFd(hostFd, file, (flags & O_CLOEXEC) != 0), 0); // closes it on EMFILE
    }

    /** mkdir(path, mode). */
    public long mkdir(Request r) throws ErrnoException {
        return mkdirAt(AT_FDCWD, r.a0(), (int) r.a1());
    }

    /** mkdirat(dirfd, path, mode). */
    public long mkdirat(Request r) throws ErrnoException {
        return mkdirAt(r.a0(), r.a1(), (int) r.a2());
    }

    private long mkdirAt(long dirfd, long pathGpa, int mode) throws ErrnoException {
        try (Entry e = entry(dirfd, pathGpa);
                Scratch arena = Scratch.open()) {
            if (e.selfOrParent()) throw new ErrnoException(Errno.EEXIST, "mkdir of the root, . or ..");
            return LibcPaths.mkdirat(
                    e.dirFd(), PathResolver.cString(arena, e.name()), Credentials.mode(mode) & ~s.umask());
        }
    }

    /** unlink(path). */
    public long unlink(Request r) throws ErrnoException {
        return unlinkAt(AT_FDCWD, r.a0(), 0);
    }

    /** rmdir(path). */
    public long rmdir(Request r) throws ErrnoException {
        return unlinkAt(AT_FDCWD, r.a0(), AT_REMOVEDIR);
    }

    /** unlinkat(dirfd, path, flags): flags 0 or AT_REMOVEDIR. */
    public long unlinkat(Request r) throws ErrnoException {
        int flags = (int) r.a2();
        if ((flags & ~AT_REMOVEDIR) != 0)
            throw new ErrnoException(Errno.EINVAL, "unlinkat flags 0x" + Integer.toHexString(flags));
        return unlinkAt(r.a0(), r.a1(), flags);
    }

    private long unlinkAt(long dirfd, long pathGpa, int flags) throws ErrnoException {
        boolean dir = (flags & AT_REMOVEDIR) != 0;
        try (Entry e = entry(dirfd, pathGpa);
                Scratch arena = Scratch.open()) {
            if (e.selfOrParent()) {
                // Linux's answers: rmdir("/") EBUSY, rmdir(".") EINVAL, rmdir("..") ENOTEMPTY, unlink of any EISDIR.
                int errno = !dir
                        ? Errno.EISDIR
                        : e.name().isEmpty() ? Errno.EBUSY : e.name().equals(".") ? Errno.EINVAL : Errno.ENOTEMPTY;
                throw new ErrnoException(errno, "removing the root, . or ..");
            }
            MemorySegment name = PathResolver.cString(arena, e.name());
            if (e.trailingSlash() && !dir) {
                // unlink("x/"): Linux says EISDIR for a directory, ENOTDIR for anything else.
                return isDirectory(e.dirFd(), name) ? -Errno.EISDIR : -Errno.ENOTDIR;
            }
            return LibcPaths.unlinkat(e.dirFd(), name, flags);
        }
    }

    /** rename(old, new). */
    public long rename(Request r) throws ErrnoException {
        return renameAt(AT_FDCWD, r.a0(), AT_FDCWD, r.a1(), 0);
    }

    /** renameat2(olddirfd, old, newdirfd, new, flags). */
    public long renameat2(Request r) throws ErrnoException {
        int flags = (int) r.a4();
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "renameat2 flags 0x" + Integer.toHexString(flags));
        }
        return renameAt(r.a0(), r.a1(), r.a2(), r.a3(), flags);
    }

    private long renameAt(long oldDirfd, long oldGpa, long newDirfd, long newGpa, int flags) throws ErrnoException {
        try (Entry from = entry(oldDirfd, oldGpa);
                Entry to = entry(newDirfd, newGpa);
                Scratch arena = Scratch.open()) {
            if (from.selfOrParent() || to.selfOrParent())
                throw new ErrnoException(Errno.EBUSY, "rename of the root, . or ..");
            MemorySegment fromName = PathResolver.cString(arena, from.name());
            if ((from.trailingSlash() || to.trailingSlash()) && !isDirectory(from.dirFd(), fromName)) {
                throw new ErrnoException(Errno.ENOTDIR, "rename with a trailing slash of a non-directory");
            }
            return LibcPaths.renameat2(
                    from.dirFd(), fromName, to.dirFd(), PathResolver.cString(arena, to.name()), flags);
        }
    }

    /** link(old, new). */
    public long link(Request r) throws ErrnoException {
        return linkAt(AT_FDCWD, r.a0(), AT_FDCWD, r.a1(), 0);
    }

    /** linkat(olddirfd, old, newdirfd, new, flags): flags AT_SYMLINK_FOLLOW, AT_EMPTY_PATH. */
    public long linkat(Request r) throws ErrnoException {
        int flags = (int) r.a4();
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "linkat flags 0x" + Integer.toHexString(flags));
        }
        return linkAt(r.a0(), r.a1(), r.a2(), r.a3(), flags);
    }

    /**
     * A hard link.  The existing file is always found inside the root: as an entry
     * of an in-root directory (not following it, so a symlink is linked as itself),
     * or, to follow it, as an O_PATH fd resolved in-root and linked through its
     * /proc/self/fd magic link.  So no link to an outside file can be made.
     */
    private long linkAt(long oldDirfd, long oldGpa, long newDirfd, long newGpa, int flags) throws ErrnoException {
        String oldPath = s.guest().path(oldGpa);
        try (Entry to = entry(newDirfd, newGpa);
                Scratch arena = Scratch.open()) {
            if (to.selfOrParent()) throw new ErrnoException(Errno.EEXIST, "link onto the root, . or ..");
            MemorySegment toName = PathResolver.cString(arena, to.name());
            if (oldPath.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
                GuestFd f = s.fds().acquire(oldDirfd);
                try {
                    if (!f.file().inRoot()) {
                        throw new ErrnoException(
                                Errno.EXDEV, "guest fd " + oldDirfd + " was not opened inside the root");
                    }
                    return linkMagic(arena, f.host(Errno.EXDEV), to.dirFd(), toName);
                } finally {
                    f.release();
                }
            }
            String oldAbs = s.absolute(oldDirfd, oldPath);
            if ((flags & AT_SYMLINK_FOLLOW) != 0) {
                int target = s.paths().resolve(oldAbs, true);
                try {
                    return linkMagic(arena, target, to.dirFd(), toName);
                } finally {
                    LibcIo.close(target);
                }
            }
            try (Entry from = s.paths().entry(oldAbs)) {
                if (from.selfOrParent()) throw new ErrnoException(Errno.EPERM, "hard link to a directory");
                return LibcPaths.linkat(from.dirFd(), PathResolver.cString(arena, from.name()), to.dirFd(), toName, 0);
            }
        }
    }

    private static long linkMagic(Scratch arena, int hostFd, int toDir, MemorySegment toName) {
        return LibcPaths.linkat(
                AT_FDCWD, PathResolver.cString(arena, PathResolver.procPath(hostFd)), toDir, toName, AT_SYMLINK_FOLLOW);
    }

    /** symlink(target, linkpath). */
    public long symlink(Request r) throws ErrnoException {
        return symlinkAt(r.a0(), AT_FDCWD, r.a1());
    }

    /** symlinkat(target, newdirfd, linkpath). */
    public long symlinkat(Request r) throws ErrnoException {
        return symlinkAt(r.a0(), r.a1(), r.a2());
    }

    /** The target text is stored as given: harmless, since every later lookup through it is in-root. */
    private long symlinkAt(long targetGpa, long dirfd, long pathGpa) throws ErrnoException {
        String target = s.guest().path(targetGpa);
        if (target.isEmpty()) throw new ErrnoException(Errno.ENOENT, "empty symlink target");
        try (Entry e = entry(dirfd, pathGpa);
                Scratch arena = Scratch.open()) {
            if (e.selfOrParent()) throw new ErrnoException(Errno.EEXIST, "symlink onto the root, . or ..");
            return LibcPaths.symlinkat(
                    PathResolver.cString(arena, target), e.dirFd(), PathResolver.cString(arena, e.name()));
        }
    }

    /** readlink(path, buf, bufsiz). */
    public long readlink(Request r) throws ErrnoException {
        return readlinkAt(AT_FDCWD, r.a0(), r.a1(), r.a2());
    }

    /** readlinkat(dirfd, path, buf, bufsiz). */
    public long readlinkat(Request r) throws ErrnoException {
        return readlinkAt(r.a0(), r.a1(), r.a2(), r.a3());
    }

    private long readlinkAt(long dirfd, long pathGpa, long bufGpa, long size) throws ErrnoException {
        if (size <= 0 || size > Integer.MAX_VALUE) throw new ErrnoException(Errno.EINVAL, "readlink size " + size);
        MemorySegment buf = s.guest().object(bufGpa, size);
        String path = s.guest().path(pathGpa);
        if (path.isEmpty() && !InstanceState.isAtFdcwd(dirfd)) {
            GuestFd f = s.fds().acquire(dirfd); // readlinkat(fd, ""): the fd is an O_PATH fd of a symlink
            try {
                return LibcPaths.readlinkat(f.host(Errno.EINVAL), PathResolver.EMPTY, buf, size);
            } finally {
                f.release();
            }
        }
        String abs = s.absolute(dirfd, path);
        try (Entry e = s.paths().entry(abs);
                Scratch arena = Scratch.open()) {
            if (e.selfOrParent()) return -Errno.EINVAL;
            if (e.trailingSlash()) {
                // "link/" follows the link: whatever it reaches is not a symlink.
                LibcIo.close(s.paths().resolve(abs, true));
                return -Errno.EINVAL;
            }
            return LibcPaths.readlinkat(e.dirFd(), PathResolver.cString(arena, e.name()), buf, size);
        }
    }

    /** truncate(path, length): through the magic link of an in-root O_PATH fd (O_PATH fds cannot ftruncate). */
    public long truncate(Request r) throws ErrnoException {
        int fd = s.paths().resolve(s.absolute(AT_FDCWD, s.guest().path(r.a0())), true);
        try (Scratch arena = Scratch.open()) {
            return LibcPaths.truncate(PathResolver.cString(arena, PathResolver.procPath(fd)), r.a1());
        } finally {
            LibcIo.close(fd);
        }
    }

    private Entry entry(long dirfd, long pathGpa) throws ErrnoException {
        return s.paths().entry(s.absolute(dirfd, s.guest().path(pathGpa)));
    }

    /** True when {@code name} in {@code dirFd} is a directory (not following a symlink). */
    private static boolean isDirectory(int dirFd, MemorySegment name) {
        try (Scratch arena = Scratch.open()) {
            MemorySegment st = arena.allocate(LinuxLayouts.STAT);
            return LibcIo.fstatat(dirFd, name, st, AT_SYMLINK_NOFOLLOW) == 0
                    && (st.get(ValueLayout.JAVA_INT, LinuxLayouts.STAT_MODE) & S_IFMT) == S_IFDIR;
        }
    }
}
