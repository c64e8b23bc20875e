package org.azalea.node;

import static org.azalea.abi.abi_h.AZ_NODE_RESERVED_END;

/**
 * The emulated node's shape: CPUs split evenly into NUMA quadrants, each with
 * its own memory.  The default is the paper's Xeon Phi 7290F in SNC-4 mode:
 * 72 cores as four quadrants of 18.
 */
public record NodeShape(int cpus, int quadrants, long memoryPerQuadrant) {
    public static final int MAX_CPUS = 255; // xAPIC ids, and QEMU's pc limit without an IOMMU
    public static final NodeShape KNL_SNC4 = of(72, null, null);

    public NodeShape {
        if (cpus < 1 || cpus > MAX_CPUS)
            throw new IllegalArgumentException("cpus must be 1.." + MAX_CPUS + ", not " + cpus);
        if (quadrants < 1 || quadrants > cpus || cpus % quadrants != 0) {
            throw new IllegalArgumentException(cpus + " cpus cannot be split evenly into " + quadrants + " quadrants");
        }
        if (memoryPerQuadrant < (16L << 20) || memoryPerQuadrant % (2L << 20) != 0) {
            throw new IllegalArgumentException(
                    "memory per quadrant must be a multiple of 2M and at least 16M, not " + memoryPerQuadrant);
        }
        // Keep all guest RAM below the PCI hole of QEMU's pc machine, so quadrant q
        // is one contiguous guest-physical range at q * memoryPerQuadrant.
        if (memoryPerQuadrant * quadrants > (2L << 30) + (768L << 20)) {
            throw new IllegalArgumentException(
                    "at most 2816M of node memory in all, not " + SizeParser.format(memoryPerQuadrant * quadrants));
        }
    }

    /**
     * A node of {@code cpus} CPUs, with the defaults for what is not given
     * (null): four quadrants where the CPUs split into them (8 or more, a
     * multiple of 4), else one; 512M per quadrant of four, 2G for one.
     *
     * @throws IllegalArgumentException for a shape that cannot be booted (the message says why)
     */
    public static NodeShape of(int cpus, Integer quadrants, Long memoryPerQuadrant) {
        int q = quadrants != null ? quadrants : cpus % 4 == 0 && cpus >= 8 ? 4 : 1;
        long mem = memoryPerQuadrant != null ? memoryPerQuadrant : q == 1 ? 2L << 30 : 512L << 20;
        return new NodeShape(cpus, q, mem);
    }

    /**
     * The memory a booted node offers instances in {@code quadrant}: all of it
     * but the node kernel's own, the low AZ_NODE_RESERVED_END of quadrant 0.
     * The node reports the same in az_node_info (checked by a test that boots one).
     */
    public long instanceMemory(int quadrant) {
        return memoryPerQuadrant - (quadrant == 0 ? AZ_NODE_RESERVED_END() : 0);
    }

    /** The CPUs of {@code quadrant} that can run instances (CPU 0, the node's monitor, cannot). */
    public int instanceCpus(int quadrant) {
        return cpusPerQuadrant() - (quadrant == 0 ? 1 : 0);
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
