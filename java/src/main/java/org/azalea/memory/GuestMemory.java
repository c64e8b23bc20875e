package org.azalea.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest-physical address space of a node as the host sees it: one or more
 * shared files (QEMU's {@code memory-backend-file,share=on}, or a plain file in
 * /dev/shm for the host stub) mapped with FFM, each at a guest-physical base.
 * Nothing is reachable except through a {@link Partition}.
 */
public final class GuestMemory implements AutoCloseable {
    /** One mapped file: guest-physical [gpaBase, gpaBase + segment.byteSize()). */
    public record Range(long gpaBase, MemorySegment segment, Path file) {
        public long gpaEnd() {
            return gpaBase + segment.byteSize();
        }
    }

    private final Arena arena = Arena.ofShared();
    private final List<Range> ranges = new ArrayList<>();

    /**
     * Maps {@code file} (created and sized to {@code size} if needed) at guest-physical
     * {@code gpaBase}.  Ranges must not overlap.
     */
    public synchronized Range map(Path file, long gpaBase, long size) throws IOException {
        if (gpaBase < 0 || size <= 0 || gpaBase + size < gpaBase) {
            throw new IllegalArgumentException("bad range: base 0x" + Long.toHexString(gpaBase) + " size " + size);
        }
        for (Range r : ranges) {
            if (gpaBase < r.gpaEnd() && r.gpaBase() < gpaBase + size) {
                throw new IllegalArgumentException("range 0x" + Long.toHexString(gpaBase) + "+" + size + " overlaps "
                        + r.file() + " at 0x" + Long.toHexString(r.gpaBase()));
            }
        }
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < size) {
                ch.truncate(size); // no-op when larger; grow by writing the last byte below
                ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
            }
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            Range r = new Range(gpaBase, seg, file);
            ranges.add(r);
            return r;
        }
    }

    /** The range holding guest-physical address {@code gpa}, or null. */
    public synchronized Range rangeAt(long gpa) {
        for (Range r : ranges) {
            if (gpa >= r.gpaBase() && gpa < r.gpaEnd()) return r;
        }
        return null;
    }

    /**
     * A partition: guest-physical [base, base + size), which must lie inside one
     * mapped range.  Every guest address of an instance is checked against its partition.
     */
    public Partition partition(long base, long size) {
        Range r = rangeAt(base);
        if (r == null || size <= 0 || base + size < base || base + size > r.gpaEnd()) {
            throw new IllegalArgumentException("partition 0x" + Long.toHexString(base) + "+0x" + Long.toHexString(size)
                    + " is not inside one mapped range");
        }
        return new Partition(base, r.segment().asSlice(base - r.gpaBase(), size));
    }

    /**
     * The proxy's view of partition [base, base + size): a mapping of its own
     * (see {@link PartitionView}), which the instance's reclaim closes.
     */
    public PartitionView view(long base, long size) throws IOException {
        Range r = rangeAt(base);
        if (r == null || size <= 0 || base + size < base || base + size > r.gpaEnd()) {
            throw new IllegalArgumentException("view 0x" + Long.toHexString(base) + "+0x" + Long.toHexString(size)
                    + " is not inside one mapped range");
        }
        return PartitionView.map(r.file(), base - r.gpaBase(), base, size);
    }

    /**
     * Zeroes guest-physical [gpa, gpa + length), which must lie inside one range:
     * by punching a hole in the backing file (the pages go back to the host and
     * every mapping reads zeros), or by writing zeros where the file system
     * cannot punch holes.
     */
    public void scrub(long gpa, long length) {
        Range r = rangeAt(gpa);
        if (r == null || length < 0 || gpa + length > r.gpaEnd()) {
            throw new IllegalArgumentException("0x" + Long.toHexString(gpa) + "+0x" + Long.toHexString(length)
                    + " is not inside one mapped range");
        }
        if (org.azalea.host.HolePunch.punch(r.file(), gpa - r.gpaBase(), length) != 0) {
            r.segment().asSlice(gpa - r.gpaBase(), length).fill((byte) 0);
        }
    }

    /** Unmaps everything; segments handed out before become inaccessible. */
    @Override
    public void close() {
        arena.close();
    }

    /** Deletes the backing files (after {@link #close()}). */
    public void deleteFiles() throws IOException {
        for (Range r : ranges) Files.deleteIfExists(r.file());
    }
}
