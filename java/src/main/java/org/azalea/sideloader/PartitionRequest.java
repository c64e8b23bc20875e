package org.azalea.sideloader;

/**
 * What an instance asks of the node: a whole quadrant, or a number of cores
 * and bytes of memory on a given quadrant or any.  Cores never straddle
 * quadrants unless {@code allowStraddle}; memory always comes from one
 * quadrant (the one holding the instance's first core), as the node kernel
 * needs one contiguous range.
 *
 * @param quadrant the quadrant, or -1 for any
 * @param cores cores wanted (ignored for a whole quadrant)
 * @param memory bytes wanted (0 with a whole quadrant: all of its free memory)
 */
public record PartitionRequest(int quadrant, boolean wholeQuadrant, int cores, long memory, boolean allowStraddle) {
    public static final int ANY = -1;

    public PartitionRequest {
        if (quadrant < ANY) throw new IllegalArgumentException("quadrant " + quadrant);
        if (!wholeQuadrant && cores < 1) throw new IllegalArgumentException("cores must be at least 1, not " + cores);
        if (memory < 0 || (!wholeQuadrant && memory == 0)) throw new IllegalArgumentException("memory " + memory);
        if (wholeQuadrant && allowStraddle) throw new IllegalArgumentException("a whole quadrant cannot straddle");
    }

    public static PartitionRequest quadrant(int q) {
        return new PartitionRequest(q, true, 0, 0, false);
    }

    public static PartitionRequest of(int cores, long memory) {
        return new PartitionRequest(ANY, false, cores, memory, false);
    }

    public static PartitionRequest of(int quadrant, int cores, long memory) {
        return new PartitionRequest(quadrant, false, cores, memory, false);
    }

    public PartitionRequest straddling() {
        return new PartitionRequest(quadrant, false, cores, memory, true);
    }
}
