package org.azalea.ring;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_sqe;

/**
 * The host's end of a submission ring.  Everything in the ring is guest
 * input: an entry counts only when its seq is exactly the position + 1, its
 * fields are copied out once into a {@link Request}, and the head is the
 * host's own counter (published, never read back).  A guest that writes
 * garbage into seq stalls only its own channel.  One thread only.
 */
public final class SubmissionConsumer {
    private static final long SQE = az_sqe.sizeof();
    private static final long OPCODE = az_sqe.opcode$offset();
    private static final long FLAGS = az_sqe.flags$offset();
    private static final long ID = az_sqe.id$offset();
    private static final long ARGS = az_sqe.args$offset();
    private static final long ARG = az_sqe.args$layout().elementLayout().byteSize();

    private final MemorySegment header;
    private final MemorySegment sq;
    private final int mask;
    private final int publishEvery;
    private int head;
    private int publishedHead;

    /** Starts at the channel's published {@code sq_head} (the host's own value from a previous attach). */
    public SubmissionConsumer(Channel channel) {
        this.header = channel.header();
        this.sq = channel.sq();
        this.mask = channel.ringEntries() - 1;
        this.publishEvery = channel.ringEntries() / 2;
        this.head = az_channel.sq_head(header);
        this.publishedHead = head;
    }

    /** True when the next entry is published (for deciding whether to sleep). */
    public boolean hasPending() {
        long at = (head & mask) * SQE;
        return (int) RingHandles.SQE_SEQ.getAcquire(sq, at) == head + 1;
    }

    /**
     * Copies out the next published submission, or returns null.  Its slot
     * stays the host's until {@link #publishHead()}.
     */
    public Request poll() {
        long at = (head & mask) * SQE;
        if ((int) RingHandles.SQE_SEQ.getAcquire(sq, at) != head + 1) return null;
        int opcode = Short.toUnsignedInt(sq.get(JAVA_SHORT, at + OPCODE));
        int flags = Short.toUnsignedInt(sq.get(JAVA_SHORT, at + FLAGS));
        long id = sq.get(JAVA_LONG, at + ID);
        long a = at + ARGS;
        Request request = new Request(
                id,
                opcode,
                flags,
                sq.get(JAVA_LONG, a),
                sq.get(JAVA_LONG, a + ARG),
                sq.get(JAVA_LONG, a + 2 * ARG),
                sq.get(JAVA_LONG, a + 3 * ARG),
                sq.get(JAVA_LONG, a + 4 * ARG),
                sq.get(JAVA_LONG, a + 5 * ARG));
        head++;
        return request;
    }

    /**
     * Publishes the head once half a ring has been consumed since it was last
     * published.  sq_head shares a cache line with the flags every producer
     * reads after publishing; publishing it after every one-request batch
     * moves that line across cores on every round trip.  A producer that
     * finds the ring full always has at least half a ring the consumer has
     * yet to take, so taking it publishes.  Call {@link #publishHead()} before
     * going idle.
     */
    public void publishHeadIfDue() {
        if (head - publishedHead >= publishEvery) publishHead();
    }

    /** Hands every consumed slot back to the producer. */
    public void publishHead() {
        if (head != publishedHead) {
            RingHandles.SQ_HEAD.setRelease(header, 0L, head);
            publishedHead = head;
        }
    }

    /** Positions consumed so far (published or not). */
    public int head() {
        return head;
    }
}
