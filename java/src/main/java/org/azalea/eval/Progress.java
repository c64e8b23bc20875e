package org.azalea.eval;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The terminal's view of a long evaluation: each task as it ends (system,
 * point, how long it took), the time since the start, and an estimate of
 * what is left from the mean time of the tasks done so far.
 */
final class Progress {
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final int total;
    private int done;
    private long taskNanos;

    Progress(PrintStream out, int totalTasks) {
        this.out = out;
        this.total = totalTasks;
    }

    synchronized void note(String what) {
        out.printf("[%s] %s%n", clock(System.nanoTime() - start), what);
        out.flush();
    }

    synchronized void finished(String label, Task t, Duration took, Outcome o) {
        done++;
        taskNanos += took.toNanos();
        long left = done == 0 ? 0 : taskNanos / done * Math.max(0, total - done);
        out.printf(
                "[%s] %-12s %3d/%d %-40s %7.1f s %s; about %s left%n",
                clock(System.nanoTime() - start),
                label,
                done,
                total,
                t.describe(),
                took.toNanos() / 1e9,
                o.ok() ? "ok" : "FAILED (" + o.failure() + ")",
                clock(left));
        out.flush();
    }

    private static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
