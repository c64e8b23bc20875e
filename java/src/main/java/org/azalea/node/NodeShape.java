package org.azalea.node;

/**
 * The emulated node's shape: CPUs split evenly into NUMA quadrants, each with
 * its own memory.  The default is the paper's Xeon Phi 7290F in SNC-4 mode:
 * 72 cores as four quadrants of 18.
 */
public record NodeShape(int cpus, int quadrants, long memoryPerQuadrant) {
    public static final int MAX_CPUS = 255; // xAPIC ids, and QEMU's pc limit without an IOMMU
    public static final NodeShape KNL_SNC4 = new NodeShape(72, 4, 512L << 20);

    public NodeShape {
        if (cpus < 1 || cpus > MAX_CPUS) throw new IllegalArgumentException("cpus must be 1.." + MAX_CPUS + ", not " + cpus);
        if (quadrants < 1 || quadrants > cpus || cpus % quadrants != 0) {
            throw new IllegalArgumentException(cpus + " cpus cannot be split evenly into " + quadrants + " quadrants");
        }
        if (memoryPerQuadrant < (16L << 20) || memoryPerQuadrant % (2L << 20) != 0) {
            throw new IllegalArgumentException("memory per quadrant must be a multiple of 2M and at least 16M, not "
                    + memoryPerQuadrant);
        }
        // Keep all guest RAM below the PCI hole of QEMU's pc machine, so quadrant q
        // is one contiguous guest-physical range at q * memoryPerQuadrant.
        if (memoryPerQuadrant * quadrants > (2L << 30) + (768L << 20)) {
            throw new IllegalArgumentException("at most 2816M of node memory in all, not "
                    + SizeParser.format(memoryPerQuadrant * quadrants));
        }
    }

    public int cpusPerQuadrant() {
        return cpus / quadrants;
    }

    public int quadrantOf(int cpu) {
        return cpu / cpusPerQuadrant();
    }

    public int firstCpu(int quadrant) {
        return quadrant * cpusPerQuadrant();
    }

    /** Guest-physical base of a quadrant's memory. */
    public long memoryBase(int quadrant) {
        return quadrant * memoryPerQuadrant;
    }

    public long totalMemory() {
        return memoryPerQuadrant * quadrants;
    }
}
