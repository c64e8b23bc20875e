package org.azalea.proxy.instance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.azalea.abi.abi_h;
import org.azalea.host.ErrnoException;
import org.azalea.memory.Partition;

/**
 * The proxy's one boundary to an instance's memory: every pointer argument a
 * handler receives becomes host memory here, through the partition's checked
 * translation (bounds and overflow; EFAULT outside).  Segments returned point
 * into guest memory itself, which the guest may change at any time: a value a
 * handler decides on is read once into a local.  Strings and iovec arrays are
 * copied out once.
 */
public final class GuestPointers {
    private final Partition partition;

    public GuestPointers(Partition partition) {
        this.partition = partition;
    }

    /** A data buffer of {@code length} bytes (as the guest sent it, unsigned); NULL when the length is 0. */
    public MemorySegment buffer(long gpa, long length) throws ErrnoException {
        return length == 0 ? MemorySegment.NULL : partition.slice(gpa, length);
    }

    /** A fixed-size object (a struct stat, a timespec, an int cell) the call reads or fills. */
    public MemorySegment object(long gpa, long size) throws ErrnoException {
        return partition.slice(gpa, size);
    }

    /** A path, copied out once: at most AZ_PATH_MAX bytes with its NUL. */
    public String path(long gpa) throws ErrnoException {
        return string(gpa, abi_h.AZ_PATH_MAX());
    }

    /** A NUL-terminated string, copied out once: at most {@code maxWithNul} bytes with its NUL. */
    public String string(long gpa, int maxWithNul) throws ErrnoException {
        return new String(partition.readCString(gpa, maxWithNul), ISO_8859_1);
    }

    /**
     * Runs a host call that reaches guest memory through raw addresses no segment
     * argument carries (a translated iovec array, a msghdr) under a {@link
     * Partition#hold()}, so the instance's end cannot unmap the memory under it.
     * Such calls must not block for long: they run only once the fd is ready.
     *
     * @return the call's result, or -EFAULT when the instance's memory is already fenced
     */
    public long onRawAddresses(java.util.function.LongSupplier call) {
        try (Partition.Hold h = partition.hold()) {
            return call.getAsLong();
        } catch (ErrnoException fenced) {
            return -fenced.errno();
        }
    }

    /** True once the instance's end fenced its memory (see {@link Partition#fence()}). */
    public boolean fenced() {
        return partition.isFenced();
    }

    /** A guest iovec array of {@code count} entries, copied out once and translated (see {@link GuestIovecs}). */
    public GuestIovecs iovecs(long gpa, long count, Arena arena) throws ErrnoException {
        return GuestIovecs.translate(partition, gpa, count, arena);
    }
}
