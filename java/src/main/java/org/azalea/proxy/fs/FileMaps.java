package org.azalea.proxy.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.Linux;
import org.azalea.host.LinuxLayouts;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.MapHandles;
import org.azalea.proxy.instance.PathResolver;
import org.azalea.ring.Request;

/**
 * The host side of file mappings (AZ_OP_FMAP_*): the instance kernel keeps the
 * mapped pages and asks here for a reference to the file, its bytes and the
 * write-back of its dirty pages.  The checks are Linux's mmap checks on the fd:
 * a regular file (ENODEV otherwise), opened for reading, and for writing without
 * O_APPEND when shared stores are to reach it (EACCES otherwise).
 */
public final class FileMaps {
    private static final int IDENTITY_BYTES = 32;

    private final InstanceState s;
    private final MapHandles handles;

    public FileMaps(InstanceState s, MapHandles handles) {
        this.s = s;
        this.handles = handles;
    }

    /**
     * FMAP_OPEN(fd, writeBack, out): a handle, and (st_dev, st_ino, st_size, writable) at {@code out};
     * writable is 1 when the fd may write back (open O_RDWR without O_APPEND).
     */
    public long open(Request r) throws ErrnoException {
        MemorySegment out = s.guest().object(r.a2(), IDENTITY_BYTES);
        boolean writeBack = r.a1() != 0;
        GuestFd f = s.fds().acquire(r.a0());
        boolean kept = false;
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.ENODEV);
            // Linux's order: the access mode first, then whether the file can be mapped at all.
            long fl = LibcIo.fcntl(h, Linux.F_GETFL, 0);
            if (fl < 0) return fl;
            int acc = (int) fl & Linux.O_ACCMODE;
            boolean writable = acc == Linux.O_RDWR && (fl & Linux.O_APPEND) == 0;
            if (writeBack && !writable) return -Errno.EACCES;
            if (acc == Linux.O_WRONLY) return -Errno.EACCES;
            MemorySegment st = arena.allocate(LinuxLayouts.STAT);
            long res = LibcIo.fstatat(h, PathResolver.EMPTY, st, Linux.AT_EMPTY_PATH);
            if (res < 0) return res;
            int mode = st.get(ValueLayout.JAVA_INT, LinuxLayouts.STAT_MODE);
            if ((mode & Linux.S_IFMT) != Linux.S_IFREG) return -Errno.ENODEV;
            int handle = handles.install(f);
            kept = true;
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, st.get(ValueLayout.JAVA_LONG, 0));
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, st.get(ValueLayout.JAVA_LONG, LinuxLayouts.STAT_INO));
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, st.get(ValueLayout.JAVA_LONG, LinuxLayouts.STAT_ST_SIZE));
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, 24, writable ? 1 : 0);
            return handle;
        } finally {
            if (!kept) f.release();
        }
    }

    /** FMAP_READ(handle, buf, count, offset): bytes read, fewer only at the end of the file. */
    public long read(Request r) throws ErrnoException {
        GuestFd f = handles.acquire(r.a0());
        try {
            int h = f.host(Errno.EBADF);
            MemorySegment buf = s.guest().buffer(r.a1(), r.a2());
            long done = 0;
            while (done < r.a2()) {
                long n = LibcIo.pread(h, buf.asSlice(done), r.a2() - done, r.a3() + done);
                if (n < 0) return done > 0 ? done : n;
                if (n == 0) break;
                done += n;
            }
            return done;
        } finally {
            f.release();
        }
    }

    /** The most runs one FMAP_WRITE carries. */
    public static final int MAX_RUNS = 64;

    /**
     * FMAP_WRITE(handle, runs, n): writes each run {buf, count, offset} (three u64, read
     * once) below the file's current size (a mapping's page beyond the end never extends
     * the file, as in Linux); the bytes written, or the first error if none were.
     */
    public long write(Request r) throws ErrnoException {
        long n = r.a2();
        if (n < 0 || n > MAX_RUNS) return -Errno.EINVAL;
        long[] runs = new long[(int) n * 3];
        if (n > 0) {
            MemorySegment.copy(
                    s.guest().object(r.a1(), n * 24), ValueLayout.JAVA_LONG_UNALIGNED, 0, runs, 0, runs.length);
        }
        GuestFd f = handles.acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.EBADF);
            MemorySegment st = arena.allocate(LinuxLayouts.STAT);
            long res = LibcIo.fstatat(h, PathResolver.EMPTY, st, Linux.AT_EMPTY_PATH);
            if (res < 0) return res;
            long size = st.get(ValueLayout.JAVA_LONG, LinuxLayouts.STAT_ST_SIZE);
            long total = 0;
            for (int i = 0; i < n; i++) {
                long off = runs[3 * i + 2];
                if (off < 0 || off >= size) continue;
                long count = Math.min(runs[3 * i + 1], size - off);
                MemorySegment buf = s.guest().buffer(runs[3 * i], count);
                for (long done = 0; done < count; ) {
                    long w = LibcIo.pwrite(h, buf.asSlice(done), count - done, off + done);
                    if (w < 0) return total > 0 ? total : w;
                    if (w == 0) break;
                    done += w;
                    total += w;
                }
            }
            return total;
        } finally {
            f.release();
        }
    }

    /** FMAP_SYNC(handle): fdatasync, for msync(MS_SYNC). */
    public long sync(Request r) throws ErrnoException {
        GuestFd f = handles.acquire(r.a0());
        try {
            return LibcIo.fdatasync(f.host(Errno.EBADF));
        } finally {
            f.release();
        }
    }

    /** FMAP_CLOSE(handle). */
    public long close(Request r) throws ErrnoException {
        handles.close(r.a0());
        return 0;
    }
}
