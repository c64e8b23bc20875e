package org.azalea.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU a proxy with no work costs: the JVM's CPU time over a window with an
 * idle proxy, minus the same window's cost with no proxy at all (the JVM's own
 * background threads), as a percentage of one core.
 */
public final class IdleProxyCpu {
    private IdleProxyCpu() {}

    /** Process CPU time used during {@code window}, in nanoseconds. */
    public static long cpuDuring(Duration window) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long before = os.getProcessCpuTime();
        Thread.sleep(window);
        return os.getProcessCpuTime() - before;
    }

    public static double percentOfCore(long cpuNanos, Duration window) {
        return 100.0 * cpuNanos / window.toNanos();
    }
}
