package org.azalea.ring;

import static org.azalea.abi.abi_h.AZ_CHANNEL_NEED_WAKEUP;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;
import org.azalea.host.Futex;

/**
 * The region's doorbell, both ends.  A proxy going to sleep sets
 * NEED_WAKEUP on its channels, fences, checks for work once more, then
 * futex-waits on {@code az_region.doorbell} for at most poll_interval_us.  A
 * producer, after publishing, fences and reads its channel's flags; if
 * NEED_WAKEUP is set it bumps the doorbell and wakes it.  Either the proxy's
 * re-check sees the new entry, or the producer sees the flag: the two full
 * fences rule out both missing each other.
 */
public final class Doorbell {
    private static final int NEED_WAKEUP = AZ_CHANNEL_NEED_WAKEUP();

    private final Region region;
    private final MemorySegment memory;
    private final MemorySegment word;
    private final long pollIntervalNanos;

    public Doorbell(Region region) {
        this.region = region;
        this.memory = region.memory();
        this.word = region.doorbellWord();
        this.pollIntervalNanos = region.pollIntervalUs() * 1000L;
    }

    /** Producer side, after publishing on {@code channel}: rings if the proxy asked for it. */
    public void ringIfNeeded(Channel channel) {
        VarHandle.fullFence();
        if ((channel.flags() & NEED_WAKEUP) != 0) ring();
    }

    /** Bumps the doorbell and wakes the sleeping proxy. */
    public void ring() {
        int unused = (int) RingHandles.DOORBELL.getAndAdd(memory, 0L, 1);
        Futex.wake(word, Integer.MAX_VALUE);
    }

    /**
     * Proxy side: sleeps until the doorbell rings or poll_interval_us passes,
     * unless {@code workOrStop} finds something to do once NEED_WAKEUP is visible.
     *
     * @return true if it slept (woken, timed out or interrupted), false if it found work instead
     */
    public boolean sleepUnless(BooleanSupplier workOrStop) {
        int seen = (int) RingHandles.DOORBELL.getAcquire(memory, 0L);
        int n = region.nchannels();
        for (int i = 0; i < n; i++) region.channel(i).flags(NEED_WAKEUP);
        VarHandle.fullFence();
        try {
            if (workOrStop.getAsBoolean()) return false;
            Futex.await(word, seen, pollIntervalNanos);
            return true;
        } finally {
            for (int i = 0; i < n; i++) region.channel(i).flags(0);
        }
    }
}
