package org.azalea.ring;

import java.lang.foreign.MemorySegment;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_cqe;
import org.azalea.abi.az_sqe;

/**
 * One channel of a region: its {@code az_channel} indices, its submission ring
 * and its completion ring, as segments over shared memory.  Only a view: the
 * protocol lives in {@link SubmissionConsumer}, {@link CompletionProducer}
 * (host side), {@link SubmissionProducer} and {@link CompletionConsumer}
 * (client side).
 */
public final class Channel {
    private final int index;
    private final int ringEntries;
    private final MemorySegment header;
    private final MemorySegment sq;
    private final MemorySegment cq;

    Channel(int index, MemorySegment channel, int ringEntries) {
        this.index = index;
        this.ringEntries = ringEntries;
        this.header = channel.asSlice(0, az_channel.sizeof());
        long sqBytes = ringEntries * az_sqe.sizeof();
        this.sq = channel.asSlice(az_channel.sizeof(), sqBytes);
        this.cq = channel.asSlice(az_channel.sizeof() + sqBytes, ringEntries * az_cqe.sizeof());
    }

    public int index() {
        return index;
    }

    /** Entries per ring, a power of two. */
    public int ringEntries() {
        return ringEntries;
    }

    /** The {@code struct az_channel}. */
    public MemorySegment header() {
        return header;
    }

    /** The submission ring: {@link #ringEntries()} x {@code struct az_sqe}. */
    public MemorySegment sq() {
        return sq;
    }

    /** The completion ring: {@link #ringEntries()} x {@code struct az_cqe}. */
    public MemorySegment cq() {
        return cq;
    }

    /** AZ_CHANNEL_* as last published by the host. */
    public int flags() {
        return (int) RingHandles.CHANNEL_FLAGS.getAcquire(header, 0L);
    }

    /** Publishes AZ_CHANNEL_* (the proxy, around its sleep). */
    public void flags(int flags) {
        RingHandles.CHANNEL_FLAGS.setRelease(header, 0L, flags);
    }

    /**
     * Starts every position of a freshly zeroed channel at {@code pos}.  Each
     * entry gets the seq of the lap before, as if it had been used once, so no
     * zeroed entry can look published (pos + 1 == 0 at pos 0xFFFFFFFF).
     */
    void startAt(int pos) {
        az_channel.sq_tail(header, pos);
        az_channel.sq_head(header, pos);
        az_channel.cq_tail(header, pos);
        az_channel.cq_head(header, pos);
        for (int i = 0; i < ringEntries; i++) {
            int p = pos + i;
            int previousLap = p - ringEntries + 1;
            az_sqe.seq(az_sqe.asSlice(sq, p & (ringEntries - 1)), previousLap);
            az_cqe.seq(az_cqe.asSlice(cq, p & (ringEntries - 1)), previousLap);
        }
    }
}
