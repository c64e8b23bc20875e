package org.azalea.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/** CPU time of a group of threads, found by name prefix: what an idle proxy costs. */
public final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {}

    /** CPU nanoseconds used so far by the live threads whose names start with {@code prefix}. */
    public static long of(String prefix) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) sum += Math.max(0, THREADS.getThreadCpuTime(t.threadId()));
        }
        return sum;
    }

    public static double percentOfCore(long cpuNanos, Duration window) {
        return 100.0 * cpuNanos / window.toNanos();
    }
}
