package org.azalea.proxy;

/**
 * How long an idle poller keeps polling before it sleeps on the doorbell,
 * adapted to the gaps it sees between one request and the next.
 *
 * <p>Why: a guest cannot FUTEX_WAKE a sleeping proxy; its kick goes through
 * QEMU's I/O port, a Unix socket, the node's kick thread and a futex, four
 * thread hand-offs that each cost a scheduling delay (milliseconds on a loaded
 * host).  A fixed spin shorter than the guest's gap between calls makes every
 * call pay that chain, and the gap grows with the emulator's speed and the
 * host's load (a descheduled vCPU thread), not with the program.  So the spin
 * follows the longest recent gap, doubled, within [{@code min}, {@code max}]:
 * a guest issuing calls back to back keeps its poller awake, whatever the
 * node's size and the host's load, and a proxy whose requests stop spins at
 * most {@code max} once before it sleeps.  A gap longer than {@code max}
 * (the poller slept) is not back-to-back traffic: it halves the estimate.
 *
 * <p>One thread only (the poller).
 */
final class SpinPolicy {
    private final long min;
    private final long max;
    /** A decaying maximum of recent gaps, in nanoseconds. */
    private long recent;

    SpinPolicy(long minNanos, long maxNanos) {
        if (minNanos < 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("bad spin bounds " + minNanos + ".." + maxNanos);
        }
        this.min = minNanos;
        this.max = maxNanos;
    }

    /** A request arrived {@code gapNanos} after the poller had run out of work. */
    void arrived(long gapNanos) {
        if (gapNanos > max) {
            recent /= 2;
            return;
        }
        long decayed = recent - (recent >> 3);
        recent = Math.max(decayed, gapNanos);
    }

    /** How long to poll now before sleeping. */
    long spinNanos() {
        return Math.min(max, Math.max(min, 2 * recent));
    }
}
