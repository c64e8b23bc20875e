package org.azalea.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;

/**
 * One instance's slice of guest-physical memory, [base, base + size).
 * {@link #slice} is the one checked translation (bounds and overflow) of a
 * guest address; the proxy's handlers reach it only through
 * {@code proxy.instance.GuestPointers}.
 */
public final class Partition {
    private final long base;
    private final long size;
    private final MemorySegment memory;
    /** Host calls running on raw addresses into this partition; FENCED once no new ones may start. */
    private final AtomicInteger holds = new AtomicInteger();

    private static final int FENCED = 1 << 30;

    /** A hold on the partition's memory, released by {@link #close()}: see {@link Partition#hold()}. */
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    Partition(long base, MemorySegment memory) {
        this.base = base;
        this.size = memory.byteSize();
        this.memory = memory;
    }

    /** A partition over memory the caller owns (tests, and Java-side clients). */
    public static Partition of(long base, MemorySegment memory) {
        return new Partition(base, memory);
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /** The whole partition; for the code that sets it up, not for handlers. */
    public MemorySegment memory() {
        return memory;
    }

    /**
     * Guest-physical [gpa, gpa + length) as a segment over the shared memory
     * itself (reads and writes go straight to the guest).  Lengths are unsigned
     * 64-bit values as the guest sent them.
     *
     * @throws ErrnoException EFAULT when any byte lies outside the partition
     */
    public MemorySegment slice(long gpa, long length) throws ErrnoException {
        long offset = gpa - base;
        // Unsigned: gpa below base wraps to a huge offset; length near 2^64 is huge too.
        if (Long.compareUnsigned(length, size) > 0 || Long.compareUnsigned(offset, size - length) > 0) {
            throw new ErrnoException(
                    Errno.EFAULT,
                    "guest range 0x" + Long.toHexString(gpa) + "+0x"
                            + Long.toHexString(length) + " is outside partition 0x" + Long.toHexString(base)
                            + "+0x" + Long.toHexString(size));
        }
        return memory.asSlice(offset, length);
    }

    /**
     * Keeps the memory from being fenced while a host call runs on raw guest
     * addresses that no segment argument carries (an iovec array, a msghdr: the
     * linker keeps only the segments it is passed alive): until the hold is
     * closed, {@link #fence()} fails.
     *
     * @throws ErrnoException EFAULT once the partition is fenced (its instance ended)
     */
    public Hold hold() throws ErrnoException {
        for (; ; ) {
            int v = holds.get();
            if ((v & FENCED) != 0)
                throw new ErrnoException(
                        Errno.EFAULT, "partition 0x" + Long.toHexString(base) + " is fenced: its instance has ended");
            if (holds.compareAndSet(v, v + 1)) return holds::decrementAndGet;
        }
    }

    /**
     * Refuses every later {@link #hold()}, if no hold is taken now.
     *
     * @return true when fenced (now or before); false while a host call holds the memory
     */
    public boolean fence() {
        return holds.compareAndSet(0, FENCED) || holds.get() == FENCED;
    }

    /** True once {@link #fence()} succeeded. */
    public boolean isFenced() {
        return (holds.get() & FENCED) != 0;
    }

    /** How much of a string {@link #readCString} copies out at a time. */
    private static final int STRING_CHUNK = 256;

    /**
     * Copies a NUL-terminated string out of guest memory, once.  The result
     * excludes the NUL.
     *
     * @param maxWithNul the longest accepted string including its NUL (e.g. PATH_MAX)
     * @throws ErrnoException EFAULT if the string runs off the partition before a NUL;
     *     ENAMETOOLONG if no NUL is found within {@code maxWithNul} bytes
     */
    public byte[] readCString(long gpa, int maxWithNul) throws ErrnoException {
        long offset = gpa - base;
        if (Long.compareUnsigned(offset, size) >= 0) {
            throw new ErrnoException(
                    Errno.EFAULT,
                    "string at 0x" + Long.toHexString(gpa) + " is outside partition 0x" + Long.toHexString(base) + "+0x"
                            + Long.toHexString(size));
        }
        int window = (int) Math.min(maxWithNul, size - offset);
        // Copied out in chunks up to the first NUL (a path is short; the limit is 4 KiB):
        // each byte is still read from guest memory exactly once, and only the copy is scanned.
        byte[] bytes = new byte[Math.min(window, STRING_CHUNK)];
        int have = 0;
        while (have < window) {
            int n = Math.min(window - have, STRING_CHUNK);
            if (have + n > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.min(window, 2 * bytes.length + n));
            MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset + have, bytes, have, n);
            for (int i = have; i < have + n; i++) {
                if (bytes[i] == 0) return java.util.Arrays.copyOf(bytes, i);
            }
            have += n;
        }
        if (window < maxWithNul) {
            throw new ErrnoException(
                    Errno.EFAULT,
                    "string at 0x" + Long.toHexString(gpa) + " runs off the end of partition 0x"
                            + Long.toHexString(base) + "+0x" + Long.toHexString(size));
        }
        throw new ErrnoException(
                Errno.ENAMETOOLONG,
                "string at 0x" + Long.toHexString(gpa) + " has no NUL within " + maxWithNul + " bytes");
    }
}
