package org.azalea.ring;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_cqe;

/**
 * The client's end of a completion ring: waits for seq == position + 1
 * (acquire), copies id and result once, publishes {@code cq_head} once per
 * batch.  One thread at a time.
 */
public final class CompletionConsumer {
    private static final long CQE = az_cqe.sizeof();
    private static final long ID = az_cqe.id$offset();
    private static final long RESULT = az_cqe.result$offset();

    private final MemorySegment header;
    private final MemorySegment cq;
    private final int mask;
    private int head;
    private int publishedHead;
    private long id;
    private long result;

    /** Starts at the channel's {@code cq_head}. */
    public CompletionConsumer(Channel channel) {
        this.header = channel.header();
        this.cq = channel.cq();
        this.mask = channel.ringEntries() - 1;
        this.head = az_channel.cq_head(header);
        this.publishedHead = head;
    }

    /**
     * Takes the next completion if it is published; then {@link #id()} and
     * {@link #result()} hold its values.
     */
    public boolean poll() {
        long at = (head & mask) * CQE;
        if ((int) RingHandles.CQE_SEQ.getAcquire(cq, at) != head + 1) return false;
        id = cq.get(JAVA_LONG, at + ID);
        result = cq.get(JAVA_LONG, at + RESULT);
        head++;
        return true;
    }

    /** The id of the completion last taken by {@link #poll()}. */
    public long id() {
        return id;
    }

    /** The result of the completion last taken by {@link #poll()}. */
    public long result() {
        return result;
    }

    /** Frees the consumed slots for the producer: once per batch. */
    public void publishHead() {
        if (head != publishedHead) {
            RingHandles.CQ_HEAD.setRelease(header, 0L, head);
            publishedHead = head;
        }
    }

    /** Positions consumed so far. */
    public int head() {
        return head;
    }
}
