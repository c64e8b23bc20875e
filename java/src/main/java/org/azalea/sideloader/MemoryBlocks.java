package org.azalea.sideloader;

import java.util.Map;
import java.util.TreeMap;

/**
 * The free memory of one quadrant: disjoint [start, end) blocks, first fit,
 * 2 MiB aligned (the node kernel maps partitions with large pages), merged
 * again when released.  Not thread-safe: the ResourceManager's lock guards it.
 */
final class MemoryBlocks {
    static final long ALIGN = 2L << 20;
    private final long base;
    private final long end;
    private final TreeMap<Long, Long> free = new TreeMap<>(); // start -> end

    MemoryBlocks(long base, long size) {
        this.base = alignUp(base);
        this.end = (base + size) & -ALIGN;
        if (this.end > this.base) free.put(this.base, this.end);
    }

    long total() {
        return Math.max(0, end - base);
    }

    long free() {
        long sum = 0;
        for (Map.Entry<Long, Long> e : free.entrySet()) sum += e.getValue() - e.getKey();
        return sum;
    }

    long largest() {
        long best = 0;
        for (Map.Entry<Long, Long> e : free.entrySet()) best = Math.max(best, e.getValue() - e.getKey());
        return best;
    }

    boolean allFree() {
        return free.size() == 1 && free.firstKey() == base && free.firstEntry().getValue() == end;
    }

    /** A block of {@code size} bytes (rounded up to 2 MiB), or -1. */
    long take(long size) {
        long want = alignUp(size);
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long start = e.getKey(), stop = e.getValue();
            if (stop - start >= want) {
                free.remove(start);
                if (stop - start > want) free.put(start + want, stop);
                return start;
            }
        }
        return -1;
    }

    void give(long start, long size) {
        long stop = start + alignUp(size);
        if (start < base || stop > end)
            throw new IllegalArgumentException("block 0x" + Long.toHexString(start) + " is not ours");
        Map.Entry<Long, Long> before = free.floorEntry(start);
        Map.Entry<Long, Long> after = free.ceilingEntry(start);
        if ((before != null && before.getValue() > start) || (after != null && after.getKey() < stop)) {
            throw new IllegalStateException("block 0x" + Long.toHexString(start) + " released twice");
        }
        if (before != null && before.getValue() == start) {
            free.remove(before.getKey());
            start = before.getKey();
        }
        if (after != null && after.getKey() == stop) {
            free.remove(after.getKey());
            stop = after.getValue();
        }
        free.put(start, stop);
    }

    static long alignUp(long v) {
        return (v + ALIGN - 1) & -ALIGN;
    }
}
