package org.azalea.proxy.fs;

import static org.azalea.host.Linux.POLLIN;
import static org.azalea.host.Linux.POLLOUT;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.LinuxLayouts;
import org.azalea.proxy.instance.Blocking;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.GuestIovecs;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.ring.Request;

/**
 * Data transfer on open fds: read, write and their positioned and vectored
 * forms, lseek, sendfile, getdents64, the syncs and ftruncate.  Buffers are the
 * guest's memory itself: the host call reads or writes the partition in place.
 */
public final class FileIo {
    /** Guest bytes bound for a Java stream are copied through a buffer of at most this size. */
    private static final int STREAM_CHUNK = 64 * 1024;

    private final InstanceState s;

    /** The most a write to a caller's blocking fd copies per host call. */
    private static final long BOUNCE_BYTES = 64 * 1024;

    public FileIo(InstanceState s) {
        this.s = s;
    }

    /** read(fd, buf, count). */
    public long read(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            int h = f.host(Errno.EBADF);
            MemorySegment buf = s.guest().buffer(r.a1(), r.a2());
            long n = r.a2();
            return s.blocking()
                    .call(
                            f,
                            h,
                            POLLIN,
                            Blocking.classifiedNonBlocking(r),
                            f.file().recvTimeoutMs(),
                            () -> LibcIo.read(h, buf, n));
        } finally {
            f.release();
        }
    }

    /** write(fd, buf, count). */
    public long write(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            MemorySegment buf = s.guest().buffer(r.a1(), r.a2());
            if (!f.hasHostFd()) return writeStream(f.file().out(), buf);
            int h = f.host(Errno.EBADF);
            if (bounced(f)) {
                try (Arena arena = Arena.ofConfined()) {
                    return writeBounced(f, h, new MemorySegment[] {buf}, buf.byteSize(), arena);
                }
            }
            return s.blocking()
                    .transfer(
                            f,
                            h,
                            POLLOUT,
                            Blocking.classifiedNonBlocking(r),
                            f.file().sendTimeoutMs(),
                            buf.byteSize(),
                            done -> LibcIo.write(h, buf.asSlice(done), buf.byteSize() - done));
        } finally {
            f.release();
        }
    }

    /**
     * A caller's fd that can wait (the terminal or pipe `azalea run` hands over)
     * keeps its blocking mode, so write(2) on it may block for as long as its
     * reader likes: such writes go through a private buffer, and no host call
     * holds guest memory while it waits (the instance's end can always fence it).
     */
    private static boolean bounced(GuestFd f) {
        return f.file().foreign() && f.file().waitable();
    }

    private long writeBounced(GuestFd f, int h, MemorySegment[] parts, long total, Arena arena) throws ErrnoException {
        MemorySegment bounce = arena.allocate(Math.max(1, Math.min(total, BOUNCE_BYTES)));
        return s.blocking().transfer(f, h, POLLOUT, false, f.file().sendTimeoutMs(), total, done -> {
            long n = gather(parts, done, bounce);
            return LibcIo.write(h, bounce, n);
        });
    }

    /** Copies the bytes of {@code parts} from byte {@code from} on into {@code to}, as many as fit; returns how many. */
    static long gather(MemorySegment[] parts, long from, MemorySegment to) {
        long skip = from;
        long n = 0;
        for (MemorySegment p : parts) {
            if (n == to.byteSize()) break;
            long len = p.byteSize();
            if (skip >= len) {
                skip -= len;
                continue;
            }
            long take = Math.min(len - skip, to.byteSize() - n);
            MemorySegment.copy(p, skip, to, n, take);
            n += take;
            skip = 0;
        }
        return n;
    }

    /** pread64(fd, buf, count, offset). */
    public long pread(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            return LibcIo.pread(f.host(Errno.ESPIPE), s.guest().buffer(r.a1(), r.a2()), r.a2(), r.a3());
        } finally {
            f.release();
        }
    }

    /** pwrite64(fd, buf, count, offset). */
    public long pwrite(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            return LibcIo.pwrite(f.host(Errno.ESPIPE), s.guest().buffer(r.a1(), r.a2()), r.a2(), r.a3());
        } finally {
            f.release();
        }
    }

    /** readv(fd, iov, iovcnt). */
    public long readv(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.EBADF);
            GuestIovecs v = s.guest().iovecs(r.a1(), r.a2(), arena);
            return s.blocking()
                    .call(
                            f,
                            h,
                            POLLIN,
                            Blocking.classifiedNonBlocking(r),
                            f.file().recvTimeoutMs(),
                            () -> s.guest().onRawAddresses(() -> LibcIo.readv(h, v.iov(), v.count())));
        } finally {
            f.release();
        }
    }

    /** writev(fd, iov, iovcnt). */
    public long writev(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            GuestIovecs v = s.guest().iovecs(r.a1(), r.a2(), arena);
            if (!f.hasHostFd()) {
                long total = 0;
                for (MemorySegment part : v.parts())
                    total += writeStream(f.file().out(), part);
                return total;
            }
            int h = f.host(Errno.EBADF);
            if (bounced(f)) return writeBounced(f, h, v.parts(), v.total(), arena);
            return s.blocking()
                    .transfer(
                            f,
                            h,
                            POLLOUT,
                            Blocking.classifiedNonBlocking(r),
                            f.file().sendTimeoutMs(),
                            v.total(),
                            done -> {
                                GuestIovecs rest = v.skip(done);
                                return s.guest().onRawAddresses(() -> LibcIo.writev(h, rest.iov(), rest.count()));
                            });
        } finally {
            f.release();
        }
    }

    /** lseek(fd, offset, whence). */
    public long lseek(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            return LibcIo.lseek(f.host(Errno.ESPIPE), r.a1(), (int) r.a2());
        } finally {
            f.release();
        }
    }

    /** sendfile(out_fd, in_fd, offset *, count): the offset, when given, is copied in and back out. */
    public long sendfile(Request r) throws ErrnoException {
        GuestFd out = s.fds().acquire(r.a0());
        try {
            GuestFd in = s.fds().acquire(r.a1());
            try (Arena arena = Arena.ofConfined()) {
                int outHost = out.host(Errno.EINVAL);
                int inHost = in.host(Errno.EINVAL);
                MemorySegment guestOffset = r.a2() == 0 ? null : s.guest().object(r.a2(), LinuxLayouts.LOFF_SIZE);
                MemorySegment offset = MemorySegment.NULL;
                if (guestOffset != null) {
                    offset = arena.allocate(ValueLayout.JAVA_LONG);
                    offset.set(ValueLayout.JAVA_LONG, 0, guestOffset.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
                }
                MemorySegment off = offset;
                long n = s.blocking()
                        .call(
                                out,
                                outHost,
                                POLLOUT,
                                false,
                                out.file().sendTimeoutMs(),
                                () -> LibcIo.sendfile(outHost, inHost, off, r.a3()));
                if (guestOffset != null && n >= 0) {
                    guestOffset.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, off.get(ValueLayout.JAVA_LONG, 0));
                }
                return n;
            } finally {
                in.release();
            }
        } finally {
            out.release();
        }
    }

    /** getdents64(fd, dirp, count): linux_dirent64 records straight into the guest's buffer. */
    public long getdents64(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            return LibcIo.getdents64(f.host(Errno.ENOTDIR), s.guest().buffer(r.a1(), r.a2()), r.a2());
        } finally {
            f.release();
        }
    }

    /** fsync(fd). */
    public long fsync(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            return LibcIo.fsync(f.host(Errno.EINVAL));
        } finally {
            f.release();
        }
    }

    /** fdatasync(fd). */
    public long fdatasync(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            return LibcIo.fdatasync(f.host(Errno.EINVAL));
        } finally {
            f.release();
        }
    }

    /** ftruncate(fd, length). */
    public long ftruncate(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            Credentials.checkOwnFile(f, "ftruncate");
            return LibcIo.ftruncate(f.host(Errno.EINVAL), r.a1());
        } finally {
            f.release();
        }
    }

    /** A write to a Java stream: the only place guest bytes are copied, because OutputStream takes a byte[]. */
    static long writeStream(OutputStream out, MemorySegment buf) throws ErrnoException {
        if (out == null) throw new ErrnoException(Errno.EBADF, "stream binding is not writable");
        try {
            byte[] chunk = new byte[(int) Math.min(buf.byteSize(), STREAM_CHUNK)];
            for (long done = 0; done < buf.byteSize(); done += chunk.length) {
                int n = (int) Math.min(chunk.length, buf.byteSize() - done);
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, done, chunk, 0, n);
                out.write(chunk, 0, n);
            }
            out.flush();
            return buf.byteSize();
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, "write to the caller's stream failed: " + e);
        }
    }
}
