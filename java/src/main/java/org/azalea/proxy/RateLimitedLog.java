package org.azalea.proxy;

import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Warnings a guest can cause at will (a malformed ring entry), logged at a
 * bounded rate: the first {@code burst} of each window, then only a count,
 * written when the next warning after the window arrives or on {@link #flush}.
 * Without this, 20,000 forged entries wrote 4.7 MB of log in under a second.
 */
final class RateLimitedLog {
    private final String label;
    private final BiConsumer<String, Object[]> sink;
    private final int burst;
    private final long windowNanos;
    private final LongSupplier clock;
    private long windowStart;
    private int inWindow;
    private long suppressed;

    /**
     * @param label what the count's line starts with (the proxy's name)
     * @param sink where a message goes (an SLF4J format and its arguments), e.g. {@code log::warn}
     * @param clock nanoseconds, e.g. {@code System::nanoTime}
     */
    RateLimitedLog(String label, BiConsumer<String, Object[]> sink, int burst, long windowNanos, LongSupplier clock) {
        this.label = label;
        this.sink = sink;
        this.burst = burst;
        this.windowNanos = windowNanos;
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /** Logs the warning, or counts it when this window's burst is used up. */
    synchronized void warn(String format, Object... args) {
        long now = clock.getAsLong();
        if (now - windowStart >= windowNanos) {
            flush();
            windowStart = now;
            inWindow = 0;
        }
        if (inWindow < burst) {
            inWindow++;
            sink.accept(format, args);
        } else {
            suppressed++;
        }
    }

    /** Writes the count of warnings not logged since the last count, if any. */
    synchronized void flush() {
        if (suppressed == 0) return;
        sink.accept(
                "{}: {} more such warnings not logged (at most {} per {} ms)",
                new Object[] {label, suppressed, burst, windowNanos / 1_000_000});
        suppressed = 0;
    }

    /** Warnings counted and not yet reported. */
    synchronized long suppressed() {
        return suppressed;
    }
}
