package org.azalea.ring;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.foreign.MemorySegment;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_cqe;
import org.azalea.abi.az_sqe;
import org.junit.jupiter.api.Test;

/**
 * Store order under real concurrency: a producer thread fills entries whose
 * every field is derived from the position, a consumer thread checks every
 * field of every entry it takes.  A seq published before the fields it covers
 * shows up as a stale field.  A small ring makes slots get reused constantly.
 *
 * <p>On x86 the hardware keeps stores in order, so what this guards against
 * is a reordering by the compiler (the JIT) or a producer that publishes too
 * early.  The last two tests show the check is able to fail: a producer that
 * publishes seq first and stores the fields after a pause (the reordering a
 * plain store instead of setRelease permits) is caught, for submissions and
 * for completions.
 */
class RingStoreOrderTest {
    private static final int N = 8;
    private static final int ITERATIONS = 1_000_000;
    /** A producer that publishes early is caught long before this many entries. */
    private static final int CAUGHT_WITHIN = 20_000;

    private static long id(int pos) {
        return pos * 0x9E3779B97F4A7C15L;
    }

    private static long arg(int pos, int i) {
        return id(pos) ^ (0x0101010101010101L * (i + 1)) ^ ((long) pos << 32);
    }

    /** Fills and publishes position {@code pos} (every field derived from it); false when the ring is full. */
    interface SubmissionWriter {
        boolean put(int pos);
    }

    /**
     * Runs {@code iterations} submissions from {@code writer} on its own thread
     * against the real consumer; returns the first entry seen with a field its
     * seq did not cover yet, or null.
     */
    private static String submissions(ShmRegion shm, SubmissionWriter writer, int start, int iterations)
            throws Exception {
        Channel ch = shm.region.channel(0);
        SubmissionConsumer consumer = new SubmissionConsumer(ch);
        Thread thread = new Thread(
                () -> {
                    for (int i = 0; i < iterations && !Thread.currentThread().isInterrupted(); ) {
                        if (writer.put(start + i)) i++;
                        else Thread.onSpinWait();
                    }
                },
                "sq-writer");
        thread.start();
        String failure = null;
        for (int i = 0; i < iterations && failure == null; ) {
            Request r = consumer.poll();
            if (r == null) {
                Thread.onSpinWait();
                continue;
            }
            int pos = start + i;
            Request expected = new Request(
                    id(pos),
                    pos & 0xFFFF,
                    (pos >>> 16) & 0xFFFF,
                    arg(pos, 0),
                    arg(pos, 1),
                    arg(pos, 2),
                    arg(pos, 3),
                    arg(pos, 4),
                    arg(pos, 5));
            if (!expected.equals(r))
                failure = "position " + Integer.toUnsignedString(pos) + ": " + r + " != " + expected;
            if ((++i & 7) == 0) consumer.publishHead();
        }
        consumer.publishHead();
        thread.interrupt(); // a writer stuck on a ring the failed consumer stopped draining
        thread.join(10_000);
        if (failure == null) assertEquals(start + iterations, consumer.head());
        return failure;
    }

    @Test
    void consumerNeverSeesASubmissionBeforeItsFields() throws Exception {
        try (ShmRegion shm = ShmRegion.create(1, N, 100, 0xFFFF0000)) {
            SubmissionProducer producer = new SubmissionProducer(shm.region.channel(0));
            int start = producer.tail();
            int[] published = {0};
            SubmissionWriter real = pos -> {
                if (!producer.tryPut(
                        pos & 0xFFFF,
                        (pos >>> 16) & 0xFFFF,
                        id(pos),
                        arg(pos, 0),
                        arg(pos, 1),
                        arg(pos, 2),
                        arg(pos, 3),
                        arg(pos, 4),
                        arg(pos, 5))) {
                    return false;
                }
                if ((++published[0] & 3) == 0) producer.publishTail();
                return true;
            };
            assertNull(submissions(shm, real, start, ITERATIONS));
        }
    }

    @Test
    void aProducerThatPublishesASubmissionBeforeItsFieldsIsCaught() throws Exception {
        try (ShmRegion shm = ShmRegion.create(1, N, 100, 0xFFFF0000)) {
            Channel ch = shm.region.channel(0);
            MemorySegment sq = ch.sq();
            int start = az_channel.sq_tail(ch.header());
            SubmissionWriter early = pos -> {
                if (pos - (int) RingHandles.SQ_HEAD.getAcquire(ch.header(), 0L) >= N) return false;
                long at = (pos & (N - 1)) * az_sqe.sizeof();
                RingHandles.SQE_SEQ.setRelease(sq, at, pos + 1); // published first ...
                pause(); // ... the fields land late
                sq.set(JAVA_SHORT, at + az_sqe.opcode$offset(), (short) (pos & 0xFFFF));
                sq.set(JAVA_SHORT, at + az_sqe.flags$offset(), (short) ((pos >>> 16) & 0xFFFF));
                sq.set(JAVA_LONG, at + az_sqe.id$offset(), id(pos));
                for (int i = 0; i < 6; i++) sq.set(JAVA_LONG, at + az_sqe.args$offset() + 8L * i, arg(pos, i));
                return true;
            };
            assertNotNull(submissions(shm, early, start, CAUGHT_WITHIN), "the check saw no stale field");
        }
    }

    /** Holds a window open between two stores (a descheduled or slow producer). */
    private static void pause() {
        long until = System.nanoTime() + 20_000;
        while (System.nanoTime() < until) Thread.onSpinWait();
    }

    /** Fills and publishes completion position {@code pos} as (id(pos), ~id(pos)); false when the ring is full. */
    interface CompletionWriter {
        boolean put(int pos);
    }

    /** As {@link #submissions}, for completions against the real CompletionConsumer. */
    private static String completions(ShmRegion shm, CompletionWriter writer, int start, int iterations)
            throws Exception {
        CompletionConsumer consumer = new CompletionConsumer(shm.region.channel(0));
        Thread thread = new Thread(
                () -> {
                    for (int i = 0; i < iterations && !Thread.currentThread().isInterrupted(); ) {
                        if (writer.put(start + i)) i++;
                        else Thread.onSpinWait();
                    }
                },
                "cq-writer");
        thread.start();
        String failure = null;
        for (int i = 0; i < iterations && failure == null; ) {
            if (!consumer.poll()) {
                Thread.onSpinWait();
                continue;
            }
            int pos = start + i;
            if (consumer.id() != id(pos) || consumer.result() != ~id(pos)) {
                failure = "position " + Integer.toUnsignedString(pos) + ": id " + consumer.id() + " result "
                        + consumer.result();
            }
            if ((++i & 7) == 0) consumer.publishHead();
        }
        consumer.publishHead();
        thread.interrupt();
        thread.join(10_000);
        return failure;
    }

    @Test
    void consumerNeverSeesACompletionBeforeItsFields() throws Exception {
        try (ShmRegion shm = ShmRegion.create(1, N, 100, 0xFFFF0000)) {
            CompletionProducer producer = new CompletionProducer(shm.region.channel(0));
            int start = az_channel.cq_tail(shm.region.channel(0).header());
            CompletionWriter real = pos -> {
                if (!producer.hasRoom()) return false;
                producer.reserve();
                producer.post(id(pos), ~id(pos));
                return true;
            };
            assertNull(completions(shm, real, start, ITERATIONS));
        }
    }

    @Test
    void aProducerThatPublishesACompletionBeforeItsFieldsIsCaught() throws Exception {
        try (ShmRegion shm = ShmRegion.create(1, N, 100, 0xFFFF0000)) {
            Channel ch = shm.region.channel(0);
            MemorySegment cq = ch.cq();
            int start = az_channel.cq_tail(ch.header());
            CompletionWriter early = pos -> {
                if (pos - (int) RingHandles.CQ_HEAD.getAcquire(ch.header(), 0L) >= N) return false;
                long at = (pos & (N - 1)) * az_cqe.sizeof();
                RingHandles.CQE_SEQ.setRelease(cq, at, pos + 1); // published first ...
                pause(); // ... the fields land late
                cq.set(JAVA_LONG, at + az_cqe.id$offset(), id(pos));
                cq.set(JAVA_LONG, at + az_cqe.result$offset(), ~id(pos));
                return true;
            };
            assertNotNull(completions(shm, early, start, CAUGHT_WITHIN), "the check saw no stale field");
        }
    }
}
