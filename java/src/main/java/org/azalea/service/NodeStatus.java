package org.azalea.service;

import java.util.List;
import org.azalea.sideloader.ResourceManager.QuadrantUsage;

/**
 * A node as `azalea node status` shows it.
 *
 * @param pid the process that runs the node (the service, or this JVM for a private node)
 * @param bootMillis QEMU start to the node's READY
 * @param uptimeMillis since the node became ready
 * @param usage core and memory occupancy per quadrant
 * @param running instances not yet ended
 * @param kept instances the node still reports (running, and recently ended)
 * @param consoleLog the node kernel's serial console
 * @param socket the control socket, or "" for a private node
 * @param quarantined instances whose partition is quarantined: a core would not park, so their memory
 *     and cores are never reused while the node runs
 */
public record NodeStatus(
        long pid,
        String version,
        int cpus,
        int quadrants,
        long memoryPerQuadrant,
        String accelerator,
        String acceleratorReason,
        long bootMillis,
        long uptimeMillis,
        boolean alive,
        List<QuadrantUsage> usage,
        int running,
        int kept,
        String consoleLog,
        String socket,
        int quarantined) {
    public NodeStatus {
        usage = List.copyOf(usage);
    }

    /** True when no instance holds a core or a byte of memory. */
    public boolean allFree() {
        return usage.stream().allMatch(u -> u.coresFree() == u.coresTotal() && u.memoryFree() == u.memoryTotal());
    }
}
