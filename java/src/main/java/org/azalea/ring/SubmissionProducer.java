package org.azalea.ring;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_sqe;

/**
 * The client's end of a submission ring (what a unikernel core does, in
 * Java).  Fills every field, then publishes the entry with a release store of
 * seq; publishes the tail once per batch.  "Full" is a return value.  One
 * thread at a time: {@link OffloadClient} serialises its callers.
 */
public final class SubmissionProducer {
    private static final long SQE = az_sqe.sizeof();
    private static final long OPCODE = az_sqe.opcode$offset();
    private static final long FLAGS = az_sqe.flags$offset();
    private static final long ID = az_sqe.id$offset();
    private static final long ARGS = az_sqe.args$offset();
    private static final long ARG = az_sqe.args$layout().elementLayout().byteSize();

    private final MemorySegment header;
    private final MemorySegment sq;
    private final int entries;
    private final int mask;
    private int tail;
    private int cachedHead;
    private int publishedTail;

    /** Starts at the channel's {@code sq_tail}. */
    public SubmissionProducer(Channel channel) {
        this.header = channel.header();
        this.sq = channel.sq();
        this.entries = channel.ringEntries();
        this.mask = entries - 1;
        this.tail = az_channel.sq_tail(header);
        this.publishedTail = tail;
        this.cachedHead = (int) RingHandles.SQ_HEAD.getAcquire(header, 0L);
    }

    /** True when {@link #tryPut} would succeed. */
    public boolean hasRoom() {
        if (Integer.compareUnsigned(tail - cachedHead, entries) < 0) return true;
        int head = (int) RingHandles.SQ_HEAD.getAcquire(header, 0L);
        // The consumer may not run ahead of what was published, nor lag a whole lap behind.
        if (Integer.compareUnsigned(tail - head, entries) > 0) return false;
        cachedHead = head;
        return Integer.compareUnsigned(tail - head, entries) < 0;
    }

    /** Writes and publishes one submission; false when the ring is full. */
    public boolean tryPut(int opcode, int flags, long id, long a0, long a1, long a2, long a3, long a4, long a5) {
        if (!hasRoom()) return false;
        int pos = tail;
        long at = (pos & mask) * SQE;
        sq.set(JAVA_SHORT, at + OPCODE, (short) opcode);
        sq.set(JAVA_SHORT, at + FLAGS, (short) flags);
        sq.set(JAVA_LONG, at + ID, id);
        long a = at + ARGS;
        sq.set(JAVA_LONG, a, a0);
        sq.set(JAVA_LONG, a + ARG, a1);
        sq.set(JAVA_LONG, a + 2 * ARG, a2);
        sq.set(JAVA_LONG, a + 3 * ARG, a3);
        sq.set(JAVA_LONG, a + 4 * ARG, a4);
        sq.set(JAVA_LONG, a + 5 * ARG, a5);
        RingHandles.SQE_SEQ.setRelease(sq, at, pos + 1);
        tail = pos + 1;
        return true;
    }

    /** Publishes the tail after a batch (consumers use it only to decide whether to sleep). */
    public void publishTail() {
        if (tail != publishedTail) {
            RingHandles.SQ_TAIL.setRelease(header, 0L, tail);
            publishedTail = tail;
        }
    }

    /** Positions filled so far. */
    public int tail() {
        return tail;
    }
}
