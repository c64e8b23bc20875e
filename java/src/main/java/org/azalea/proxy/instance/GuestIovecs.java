package org.azalea.proxy.instance;

import static org.azalea.host.LinuxLayouts.IOVEC;
import static org.azalea.host.LinuxLayouts.IOV_BASE;
import static org.azalea.host.LinuxLayouts.IOV_LEN;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.abi.abi_h;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.memory.Partition;

/**
 * A guest iovec array turned into a host one: the guest's array is copied out
 * once, each (GPA, length) is translated through the partition, and the host
 * array in native memory points straight into guest memory (no data copy).
 *
 * @param iov the host iovec array ({@code count} entries), or NULL when empty
 * @param parts the guest segments, in order (for stream bindings, which need bytes)
 * @param total the sum of the lengths
 */
public record GuestIovecs(MemorySegment iov, MemorySegment[] parts, int count, long total) {
    private static final long SIZE = IOVEC.byteSize();

    /**
     * Translates {@code iovcnt} guest iovecs at {@code iovGpa}.
     *
     * @throws ErrnoException EINVAL for a count outside [0, AZ_IOV_MAX], a length above
     *     SSIZE_MAX or a total that overflows; EFAULT for any range outside the partition
     */
    static GuestIovecs translate(Partition mem, long iovGpa, long iovcnt, Arena arena) throws ErrnoException {
        if (iovcnt < 0 || iovcnt > abi_h.AZ_IOV_MAX()) {
            throw new ErrnoException(Errno.EINVAL, "iovcnt " + iovcnt + " outside [0, " + abi_h.AZ_IOV_MAX() + "]");
        }
        int n = (int) iovcnt;
        if (n == 0) return new GuestIovecs(MemorySegment.NULL, new MemorySegment[0], 0, 0);
        MemorySegment host = arena.allocate(IOVEC, n);
        // The one read of the guest's array: everything below uses the copy.
        MemorySegment.copy(mem.slice(iovGpa, n * SIZE), 0, host, 0, n * SIZE);
        long total = 0;
        for (int i = 0; i < n; i++) { // lengths first: an impossible total is EINVAL whatever the addresses
            long len = host.get(ValueLayout.JAVA_LONG, i * SIZE + IOV_LEN);
            if (len < 0 || total + len < 0) { // len > SSIZE_MAX, or the sum overflows ssize_t
                throw new ErrnoException(
                        Errno.EINVAL,
                        "iovec " + i + " length 0x" + Long.toHexString(len) + " makes the total overflow (so far "
                                + total + ")");
            }
            total += len;
        }
        MemorySegment[] parts = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            long base = host.get(ValueLayout.JAVA_LONG, i * SIZE + IOV_BASE);
            long len = host.get(ValueLayout.JAVA_LONG, i * SIZE + IOV_LEN);
            parts[i] = len == 0 ? MemorySegment.NULL : mem.slice(base, len);
            host.set(ValueLayout.JAVA_LONG, i * SIZE + IOV_BASE, parts[i].address());
        }
        return new GuestIovecs(host, parts, n, total);
    }

    /** The iovecs past the first {@code done} bytes (to resume a partial write); adjusts this array in place. */
    public GuestIovecs skip(long done) {
        if (done == 0) return this;
        int i = 0;
        long left = done;
        while (i < count && left >= len(i)) {
            left -= len(i);
            i++;
        }
        if (i == count) return new GuestIovecs(MemorySegment.NULL, new MemorySegment[0], 0, 0);
        iov.set(ValueLayout.JAVA_LONG, i * SIZE + IOV_BASE, iov.get(ValueLayout.JAVA_LONG, i * SIZE + IOV_BASE) + left);
        iov.set(ValueLayout.JAVA_LONG, i * SIZE + IOV_LEN, len(i) - left);
        MemorySegment[] rest = java.util.Arrays.copyOfRange(parts, i, count);
        rest[0] = rest[0].asSlice(left);
        return new GuestIovecs(iov.asSlice(i * SIZE), rest, count - i, total - done);
    }

    private long len(int i) {
        return iov.get(ValueLayout.JAVA_LONG, i * SIZE + IOV_LEN);
    }
}
