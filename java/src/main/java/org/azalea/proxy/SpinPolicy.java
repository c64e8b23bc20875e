package org.azalea.proxy;

/**
 * How long an idle poller keeps polling before it sleeps on the doorbell,
 * adapted to the gaps it sees between one request and the next.
 *
 * <p>Why: a guest cannot FUTEX_WAKE a sleeping proxy; its kick goes through
 * QEMU's I/O port, a Unix socket, the node's kick thread and a futex, four
 * thread hand-offs that each cost a scheduling delay (about a millisecond
 * per call on this 2-cpu host, milliseconds more when it is loaded).  A spin
 * shorter than the guest's gap between calls makes every call pay that
 * chain, and the gap grows with the emulator's speed and the host's load (a
 * descheduled vCPU thread), not with the program.  So the spin is twice the
 * longest gap seen in the last one to two {@link #WINDOW_NANOS}, within
 * [{@code min}, {@code max}]: a guest issuing calls back to back keeps its
 * poller awake, whatever the node's size and the host's load, and a proxy
 * whose requests stop spins at most {@code max} once before it sleeps.
 *
 * <p>The memory is by time, not by count: a program that makes a hundred
 * quick calls, computes for 200 us, and does it again must not have its
 * 200 us gap forgotten by the hundred quick ones (the first version decayed
 * per arrival, and the proxy slept at every such pause; measured in issue
 * 13: 119 sleeps and ~100 calls over 20 us in 4,000 calls of offload_bench,
 * most about a millisecond each).  A gap longer than {@code max} (the poller
 * slept) is sparse traffic, not back-to-back calls: it is not remembered.
 *
 * <p>One thread only (the poller).
 */
final class SpinPolicy {
    /** How long a gap is remembered: at least this, at most twice this. */
    static final long WINDOW_NANOS = 50_000_000;

    private final long min;
    private final long max;
    /** The longest gap in the current window and in the one before it. */
    private long current;

    private long previous;
    private long windowStart;
    private boolean started;

    SpinPolicy(long minNanos, long maxNanos) {
        if (minNanos < 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("bad spin bounds " + minNanos + ".." + maxNanos);
        }
        this.min = minNanos;
        this.max = maxNanos;
    }

    /** A request arrived {@code gapNanos} after the poller had run out of work; {@code now} is System.nanoTime(). */
    void arrived(long gapNanos, long now) {
        roll(now);
        if (gapNanos <= max) current = Math.max(current, gapNanos);
    }

    /** How long to poll now before sleeping. */
    long spinNanos(long now) {
        roll(now);
        return Math.min(max, Math.max(min, 2 * Math.max(current, previous)));
    }

    private void roll(long now) {
        if (!started) {
            started = true;
            windowStart = now;
            return;
        }
        long age = now - windowStart;
        if (age < WINDOW_NANOS) return;
        previous = age < 2 * WINDOW_NANOS ? current : 0;
        current = 0;
        windowStart = now;
    }
}
