package org.azalea.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Store order under real concurrency: a producer thread fills entries whose
 * every field is derived from the position, a consumer thread checks every
 * field of every entry it takes.  A seq published before the fields it covers
 * shows up as a stale field.  A small ring makes slots get reused constantly.
 */
class RingStoreOrderTest {
    private static final int N = 8;
    private static final int ITERATIONS = 1_000_000;

    private static long id(int pos) {
        return pos * 0x9E3779B97F4A7C15L;
    }

    private static long arg(int pos, int i) {
        return id(pos) ^ (0x0101010101010101L * (i + 1)) ^ ((long) pos << 32);
    }

    @Test
    void consumerNeverSeesASubmissionBeforeItsFields() throws Exception {
        try (ShmRegion shm = ShmRegion.create(1, N, 100, 0xFFFF0000)) {
            Channel ch = shm.region.channel(0);
            SubmissionProducer producer = new SubmissionProducer(ch);
            SubmissionConsumer consumer = new SubmissionConsumer(ch);
            int start = consumer.head();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < ITERATIONS && !Thread.currentThread().isInterrupted(); ) {
                    int pos = start + i;
                    if (producer.tryPut(pos & 0xFFFF, (pos >>> 16) & 0xFFFF, id(pos), arg(pos, 0), arg(pos, 1),
                            arg(pos, 2), arg(pos, 3), arg(pos, 4), arg(pos, 5))) {
                        if ((++i & 3) == 0) producer.publishTail();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }, "sq-writer");
            writer.start();
            String failure = null;
            for (int i = 0; i < ITERATIONS && failure == null; ) {
                Request r = consumer.poll();
                if (r == null) {
                    Thread.onSpinWait();
                    continue;
                }
                int pos = start + i;
                Request expected = new Request(id(pos), pos & 0xFFFF, (pos >>> 16) & 0xFFFF, arg(pos, 0), arg(pos, 1),
                        arg(pos, 2), arg(pos, 3), arg(pos, 4), arg(pos, 5));
                if (!expected.equals(r)) failure = "position " + Integer.toUnsignedString(pos) + ": " + r + " != " + expected;
                if ((++i & 7) == 0) consumer.publishHead();
            }
            consumer.publishHead();
            writer.interrupt(); // a writer stuck on a ring the failed consumer stopped draining
            writer.join(10_000);
            assertNull(failure);
            assertEquals(start + ITERATIONS, consumer.head());
        }
    }

    @Test
    void consumerNeverSeesACompletionBeforeItsFields() throws Exception {
        try (ShmRegion shm = ShmRegion.create(1, N, 100, 0xFFFF0000)) {
            Channel ch = shm.region.channel(0);
            CompletionProducer producer = new CompletionProducer(ch);
            CompletionConsumer consumer = new CompletionConsumer(ch);
            int start = consumer.head();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < ITERATIONS && !Thread.currentThread().isInterrupted(); ) {
                    if (producer.hasRoom()) {
                        producer.reserve();
                        int pos = start + i++;
                        producer.post(id(pos), ~id(pos));
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }, "cq-writer");
            writer.start();
            AtomicReference<String> failure = new AtomicReference<>();
            for (int i = 0; i < ITERATIONS && failure.get() == null; ) {
                if (!consumer.poll()) {
                    Thread.onSpinWait();
                    continue;
                }
                int pos = start + i;
                if (consumer.id() != id(pos) || consumer.result() != ~id(pos)) {
                    failure.set("position " + Integer.toUnsignedString(pos) + ": id " + consumer.id() + " result "
                            + consumer.result());
                }
                if ((++i & 7) == 0) consumer.publishHead();
            }
            consumer.publishHead();
            writer.interrupt();
            writer.join(10_000);
            assertNull(failure.get());
        }
    }
}
