package org.azalea.sideloader;

import java.util.Arrays;

/**
 * Resources held by one instance: node CPU indices (the first leads) and one
 * guest-physical memory range, in {@code quadrant}'s memory.
 */
public record Allocation(long id, int quadrant, int[] cpus, long memBase, long memSize) {
    public Allocation {
        cpus = cpus.clone();
    }

    @Override
    public int[] cpus() {
        return cpus.clone();
    }

    public int coreCount() {
        return cpus.length;
    }

    @Override
    public String toString() {
        return "allocation " + id + ": quadrant " + quadrant + ", cpus " + Arrays.toString(cpus) + ", memory 0x"
                + Long.toHexString(memBase) + "+" + (memSize >> 20) + "M";
    }
}
