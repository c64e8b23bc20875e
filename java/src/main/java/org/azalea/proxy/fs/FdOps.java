package org.azalea.proxy.fs;

import static org.azalea.host.Linux.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPaths;
import org.azalea.host.LinuxLayouts;
import org.azalea.proxy.instance.FdTable;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.OpenFile;
import org.azalea.proxy.instance.PathResolver;
import org.azalea.ring.Request;

/**
 * Calls on the fd itself: close, the dups, fcntl, ioctl, fstat, fstatfs,
 * fchmod, fchown, fchdir.
 */
public final class FdOps {
    /** F_SETLKW is emulated by retrying F_OFD_SETLK, backing off up to this long between tries. */
    private static final long LOCK_RETRY_MAX_MS = 50;

    private final InstanceState s;

    public FdOps(InstanceState s) {
        this.s = s;
    }

    /** close(fd). */
    public long close(Request r) throws ErrnoException {
        s.fds().close(r.a0());
        return 0;
    }

    /** dup(fd). */
    public long dup(Request r) throws ErrnoException {
        return dupFrom(r.a0(), 0, false);
    }

    /** dup2(oldfd, newfd). */
    public long dup2(Request r) throws ErrnoException {
        return dupTo(r.a0(), r.a1(), false, true);
    }

    /** dup3(oldfd, newfd, flags): flags may only be O_CLOEXEC; oldfd == newfd is EINVAL. */
    public long dup3(Request r) throws ErrnoException {
        int flags = (int) r.a2();
        if ((flags & ~O_CLOEXEC) != 0)
            throw new ErrnoException(Errno.EINVAL, "dup3 flags 0x" + Integer.toHexString(flags));
        return dupTo(r.a0(), r.a1(), (flags & O_CLOEXEC) != 0, false);
    }

    private long dupFrom(long oldFd, long minFd, boolean cloexec) throws ErrnoException {
        GuestFd f = s.fds().acquire(oldFd);
        try {
            return s.fds().install(f.duplicate(cloexec), minFd);
        } finally {
            f.release();
        }
    }

    private long dupTo(long oldFd, long newFd, boolean cloexec, boolean sameIsNoop) throws ErrnoException {
        GuestFd f = s.fds().acquire(oldFd);
        try {
            if (!FdTable.inRange(newFd))
                throw new ErrnoException(Errno.EBADF, "dup target fd " + newFd + " out of range");
            if (oldFd == newFd) {
                if (sameIsNoop) return newFd;
                throw new ErrnoException(Errno.EINVAL, "dup3 onto itself: fd " + newFd);
            }
            s.fds().installAt((int) newFd, f.duplicate(cloexec));
            return newFd;
        } finally {
            f.release();
        }
    }

    /** fcntl(fd, cmd, arg). */
    public long fcntl(Request r) throws ErrnoException {
        int cmd = (int) r.a1();
        long arg = r.a2();
        switch (cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                if (!FdTable.inRange(arg)) throw new ErrnoException(Errno.EINVAL, "F_DUPFD minimum fd " + arg);
                return dupFrom(r.a0(), arg, cmd == F_DUPFD_CLOEXEC);
            }
            case F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW -> {
                return lock(r.a0(), cmd, arg);
            }
            default -> {
                /* the fd-local commands below */
            }
        }
        GuestFd f = s.fds().acquire(r.a0());
        try {
            OpenFile file = f.file();
            switch (cmd) {
                case F_GETFD:
                    return f.cloexec() ? FD_CLOEXEC : 0;
                case F_SETFD:
                    f.cloexec(((int) arg & FD_CLOEXEC) != 0);
                    return 0;
                case F_GETFL: {
                    long flags = f.hasHostFd() ? LibcIo.fcntl(f.host(Errno.EBADF), F_GETFL, 0) : O_WRONLY;
                    if (flags < 0) return flags;
                    return (flags & ~O_NONBLOCK) | (file.nonBlocking() ? O_NONBLOCK : 0);
                }
                case F_GETPIPE_SZ, F_SETPIPE_SZ:
                    return LibcIo.fcntl(f.host(Errno.EBADF), cmd, arg); // the host's pipe; EBADF for others
                case F_SETFL: {
                    int flags = (int) arg;
                    if (f.hasHostFd() && !file.foreign()) {
                        // The host fd stays non-blocking (see Blocking); O_ASYNC would need signals we do not deliver.
                        long hostFlags = (flags & ~(O_NONBLOCK | O_ASYNC)) | O_NONBLOCK;
                        long res = LibcIo.fcntl(f.host(Errno.EBADF), F_SETFL, hostFlags);
                        if (res < 0) return res;
                    }
                    file.nonBlocking((flags & O_NONBLOCK) != 0);
                    return 0;
                }
                default:
                    throw new ErrnoException(Errno.EINVAL, "fcntl command " + cmd + " is not offered");
            }
        } finally {
            f.release();
        }
    }

    /**
     * Byte-range locks, served as open-file-description (OFD) locks: every instance
     * shares the JVM's pid, so classic POSIX locks would never conflict between
     * instances.  l_pid goes to the host as 0 (OFD locks require it).
     */
    private long lock(long fd, int cmd, long flockGpa) throws ErrnoException {
        GuestFd f = s.fds().acquire(fd);
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.EBADF);
            MemorySegment guest = s.guest().object(flockGpa, LinuxLayouts.FLOCK.byteSize());
            MemorySegment lock = arena.allocate(LinuxLayouts.FLOCK);
            MemorySegment.copy(guest, 0, lock, 0, lock.byteSize());
            lock.set(ValueLayout.JAVA_INT, LinuxLayouts.FLOCK_PID, 0);
            int ofd = switch (cmd) {
                case F_GETLK, F_OFD_GETLK -> F_OFD_GETLK;
                case F_SETLK, F_OFD_SETLK -> F_OFD_SETLK;
                default -> F_OFD_SETLKW;
            };
            if (ofd == F_OFD_GETLK) {
                long res = LibcIo.fcntlPtr(h, F_OFD_GETLK, lock);
                if (res == 0) MemorySegment.copy(lock, 0, guest, 0, lock.byteSize());
                return res;
            }
            if (ofd == F_OFD_SETLK) return LibcIo.fcntlPtr(h, F_OFD_SETLK, lock);
            // F_SETLKW: the kernel's wait could not be interrupted by close(), so poll for the lock.
            long backoff = 1;
            for (; ; ) {
                long res = LibcIo.fcntlPtr(h, F_OFD_SETLK, lock);
                if (res != -Errno.EAGAIN && res != -Errno.EACCES) return res;
                s.waiter().sleep(backoff);
                backoff = Math.min(LOCK_RETRY_MAX_MS, backoff * 2);
            }
        } finally {
            f.release();
        }
    }

    /** ioctl(fd, request, arg): only requests whose argument is plain data. */
    public long ioctl(Request r) throws ErrnoException {
        int req = (int) r.a1();
        GuestFd f = s.fds().acquire(r.a0());
        try {
            switch (req) {
                case FIONBIO:
                    f.file().nonBlocking(s.guest().object(r.a2(), 4).get(ValueLayout.JAVA_INT_UNALIGNED, 0) != 0);
                    return 0;
                case FIOCLEX:
                    f.cloexec(true);
                    return 0;
                case FIONCLEX:
                    f.cloexec(false);
                    return 0;
                case FIONREAD:
                    return LibcIo.ioctl(f.host(Errno.ENOTTY), req, s.guest().object(r.a2(), 4));
                case TCGETS:
                    return LibcIo.ioctl(
                            f.host(Errno.ENOTTY), req, s.guest().object(r.a2(), LinuxLayouts.KERNEL_TERMIOS_SIZE));
                case TIOCGWINSZ:
                    return LibcIo.ioctl(f.host(Errno.ENOTTY), req, s.guest().object(r.a2(), LinuxLayouts.WINSIZE_SIZE));
                default:
                    throw new ErrnoException(
                            Errno.ENOTTY, "ioctl request 0x" + Integer.toHexString(req) + " is not offered");
            }
        } finally {
            f.release();
        }
    }

    /** fstat(fd, statbuf): the kernel writes struct stat into guest memory. */
    public long fstat(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            return statInto(f, s.guest().object(r.a1(), LinuxLayouts.STAT_SIZE));
        } finally {
            f.release();
        }
    }

    /** The stat of an open guest fd; a stream binding looks like a write-only pipe. */
    static long statInto(GuestFd f, MemorySegment buf) {
        if (!f.hasHostFd()) {
            buf.fill((byte) 0);
            buf.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxLayouts.STAT_MODE, S_IFIFO | 0200);
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxLayouts.STAT_NLINK, 1);
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxLayouts.STAT_BLKSIZE, 4096);
            return 0;
        }
        return LibcIo.fstatat(f.hostFdOrMinusOne(), PathResolver.EMPTY, buf, AT_EMPTY_PATH);
    }

    /** fstatfs(fd, buf). */
    public long fstatfs(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            return LibcIo.fstatfs(f.host(Errno.EINVAL), s.guest().object(r.a1(), LinuxLayouts.STATFS_SIZE));
        } finally {
            f.release();
        }
    }

    /** fchmod(fd, mode). */
    public long fchmod(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            Credentials.checkOwnFile(f, "fchmod");
            return LibcPaths.fchmod(f.host(Errno.EINVAL), Credentials.mode(r.a1()));
        } finally {
            f.release();
        }
    }

    /** fchown(fd, uid, gid). */
    public long fchown(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            Credentials.checkOwnFile(f, "fchown");
            Credentials.checkOwner((int) r.a1(), (int) r.a2());
            return LibcPaths.fchown(f.host(Errno.EINVAL), (int) r.a1(), (int) r.a2());
        } finally {
            f.release();
        }
    }

    /** fchdir(fd): the current directory becomes the fd's in-root path. */
    public long fchdir(Request r) throws ErrnoException {
        if (InstanceState.isAtFdcwd(r.a0())) throw new ErrnoException(Errno.EBADF, "fchdir(AT_FDCWD)");
        s.paths().cwd(s.directoryOf(r.a0()));
        return 0;
    }
}
