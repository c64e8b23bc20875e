package org.azalea.ring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_cqe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's end of a completion ring.  The consumer thread reserves a slot
 * ({@link #hasRoom()} then {@link #reserve()}) before it takes a submission,
 * so {@link #post} never waits and never overwrites a completion the guest
 * has not consumed.  {@code cq_head} is guest input: a value outside
 * [cq_tail - ring_entries, cq_tail] means "no room", which stalls only this
 * channel until the guest writes a sensible value.
 *
 * <p>Positions are handed out in posting order, not reservation order, so a
 * long request never holds back the completions of quick ones behind it.
 *
 * <p>The reserving thread may also {@link #stage} answers it has at hand and
 * {@link #flush} them together: one lock and one {@code cq_tail} store per
 * batch instead of per completion (the guest sees each entry by its seq, so
 * {@code cq_tail} is for a later client's open only).
 */
public final class CompletionProducer {
    private static final Logger log = LoggerFactory.getLogger(CompletionProducer.class);
    private static final long CQE = az_cqe.sizeof();
    private static final long ID = az_cqe.id$offset();
    private static final long RESULT = az_cqe.result$offset();
    private static final long FLAGS = az_cqe.flags$offset();
    private static final long RESERVED = az_cqe.reserved$offset();

    private final int index;
    private final MemorySegment header;
    private final MemorySegment cq;
    private final int entries;
    private final int mask;
    /** Next position to fill; written under the monitor, read by the reserving thread. */
    private volatile int tail;
    // The reserving thread's own state: positions claimed (filled or reserved), and the last valid cq_head.
    private int claimed;
    private int cachedHead;
    private boolean warnedBadHead;
    /** Answers staged by the reserving thread, not yet visible to the guest. */
    private final long[] stagedIds = new long[MAX_STAGED];

    private final long[] stagedResults = new long[MAX_STAGED];
    private int staged;

    /** Most answers staged before {@link #stage} flushes by itself. */
    public static final int MAX_STAGED = 64;

    /** Starts at the channel's {@code cq_tail} (the host's own value). */
    public CompletionProducer(Channel channel) {
        this.index = channel.index();
        this.header = channel.header();
        this.cq = channel.cq();
        this.entries = channel.ringEntries();
        this.mask = entries - 1;
        this.tail = az_channel.cq_tail(header);
        this.claimed = tail;
        int head = az_channel.cq_head(header);
        // A previous proxy may have left completions unconsumed: trust a sensible head, else assume a full ring.
        this.cachedHead = Integer.compareUnsigned(tail - head, entries) <= 0 ? head : tail - entries;
    }

    /** True when a slot can be reserved.  Reserving thread only. */
    public boolean hasRoom() {
        if (Integer.compareUnsigned(claimed - cachedHead, entries) < 0) return true;
        int head = (int) RingHandles.CQ_HEAD.getAcquire(header, 0L);
        int published = tail;
        if (Integer.compareUnsigned(published - head, entries) > 0) {
            if (!warnedBadHead) {
                warnedBadHead = true;
                log.warn(
                        "channel {}: guest cq_head {} is outside [{}, {}]; channel stalled until it is",
                        index,
                        Integer.toUnsignedString(head),
                        Integer.toUnsignedString(published - entries),
                        Integer.toUnsignedString(published));
            }
            return false;
        }
        warnedBadHead = false;
        cachedHead = head;
        return Integer.compareUnsigned(claimed - head, entries) < 0;
    }

    /** Claims the slot {@link #hasRoom()} found.  Reserving thread only. */
    public void reserve() {
        claimed++;
    }

    /**
     * Publishes a completion into a reserved slot.  Any thread; each call uses
     * up one reservation.
     */
    public void post(long id, long result) {
        synchronized (this) {
            int pos = tail;
            write(pos, id, result);
            tail = pos + 1;
            RingHandles.CQ_TAIL.setRelease(header, 0L, pos + 1);
        }
    }

    /**
     * Keeps a completion for a reserved slot until {@link #flush()} (or until
     * {@link #MAX_STAGED} are kept).  Reserving thread only.
     */
    public void stage(long id, long result) {
        if (staged == MAX_STAGED) flush();
        stagedIds[staged] = id;
        stagedResults[staged] = result;
        staged++;
    }

    /** Completions staged and not yet flushed. */
    public int staged() {
        return staged;
    }

    /** Publishes every staged completion, in staging order.  Reserving thread only. */
    public void flush() {
        int n = staged;
        if (n == 0) return;
        synchronized (this) {
            int pos = tail;
            for (int i = 0; i < n; i++) write(pos + i, stagedIds[i], stagedResults[i]);
            tail = pos + n;
            RingHandles.CQ_TAIL.setRelease(header, 0L, pos + n);
        }
        staged = 0;
    }

    /** Fills position {@code pos} and publishes it with its seq (caller holds the monitor). */
    private void write(int pos, long id, long result) {
        long at = (pos & mask) * CQE;
        cq.set(JAVA_LONG, at + ID, id);
        cq.set(JAVA_LONG, at + RESULT, result);
        cq.set(JAVA_INT, at + FLAGS, 0);
        cq.set(JAVA_LONG, at + RESERVED, 0L);
        RingHandles.CQE_SEQ.setRelease(cq, at, pos + 1);
    }
}
