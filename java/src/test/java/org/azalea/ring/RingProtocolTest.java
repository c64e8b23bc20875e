package org.azalea.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_sqe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sequenced SPSC ring, one step at a time, on both rings of a channel. */
class RingProtocolTest {
    private static final int N = 4;

    @Test
    void anUnpublishedEntryIsNotConsumedUntilItsSeqIsStored() {
        try (ShmRegion shm = ShmRegion.create(1, N, 100)) {
            Channel ch = shm.region.channel(0);
            SubmissionConsumer consumer = new SubmissionConsumer(ch);
            MemorySegment sqe = az_sqe.asSlice(ch.sq(), 0);
            az_sqe.opcode(sqe, (short) 7);
            az_sqe.id(sqe, 42);
            for (int i = 0; i < 6; i++) az_sqe.args(sqe, i, 100 + i);
            assertFalse(consumer.hasPending());
            assertNull(consumer.poll());
            for (int garbage : new int[] {0, 2, -1, 0xDEADBEEF, 1 + N}) {
                az_sqe.seq(sqe, garbage);
                assertNull(consumer.poll(), "seq " + garbage);
            }
            RingHandles.SQE_SEQ.setRelease(ch.sq(), 0L, 1);
            assertTrue(consumer.hasPending());
            Request r = consumer.poll();
            assertEquals(new Request(42, 7, 0, 100, 101, 102, 103, 104, 105), r);
            assertNull(consumer.poll(), "the same entry is not consumed twice");
            assertEquals(0, az_channel.sq_head(ch.header()), "head is published per batch, not per entry");
            consumer.publishHead();
            assertEquals(1, az_channel.sq_head(ch.header()));
        }
    }

    @Test
    void aFullSubmissionRingSaysSoAndRecoversWhenTheHeadMoves() {
        try (ShmRegion shm = ShmRegion.create(1, N, 100)) {
            Channel ch = shm.region.channel(0);
            SubmissionProducer producer = new SubmissionProducer(ch);
            SubmissionConsumer consumer = new SubmissionConsumer(ch);
            for (int i = 0; i < N; i++) assertTrue(producer.tryPut(1, 0, i, 0, 0, 0, 0, 0, 0));
            assertFalse(producer.hasRoom());
            assertFalse(producer.tryPut(1, 0, 99, 0, 0, 0, 0, 0, 0));
            assertNotNull(consumer.poll());
            assertFalse(
                    producer.tryPut(1, 0, 99, 0, 0, 0, 0, 0, 0), "the slot is free only once the head is published");
            consumer.publishHead();
            assertTrue(producer.tryPut(1, 0, 99, 0, 0, 0, 0, 0, 0));
            assertFalse(producer.tryPut(1, 0, 100, 0, 0, 0, 0, 0, 0));
        }
    }

    /** Reserves {@code n} completion slots, each of which must be free. */
    private static void reserve(CompletionProducer producer, int n) {
        for (int i = 0; i < n; i++) {
            assertTrue(producer.hasRoom(), "slot " + i);
            producer.reserve();
        }
    }

    @Test
    void completionSlotsAreReservedAndNeverOverwrittenBeforeTheyAreConsumed() {
        try (ShmRegion shm = ShmRegion.create(1, N, 100)) {
            Channel ch = shm.region.channel(0);
            CompletionProducer producer = new CompletionProducer(ch);
            CompletionConsumer consumer = new CompletionConsumer(ch);
            reserve(producer, N);
            assertFalse(producer.hasRoom(), "all slots reserved, none posted yet");
            for (int i = 0; i < N; i++) producer.post(i, -i);
            assertFalse(producer.hasRoom(), "posted but not consumed");
            assertTrue(consumer.poll());
            assertEquals(0, consumer.id());
            assertFalse(producer.hasRoom(), "consumed but cq_head not published");
            consumer.publishHead();
            assertTrue(producer.hasRoom());
            for (int i = 1; i < N; i++) {
                assertTrue(consumer.poll());
                assertEquals(i, consumer.id());
                assertEquals(-i, consumer.result());
            }
            assertFalse(consumer.poll());
        }
    }

    @Test
    void stagedCompletionsAreInvisibleUntilFlushedThenKeepTheirOrderBesideDirectPosts() {
        try (ShmRegion shm = ShmRegion.create(1, N, 100)) {
            Channel ch = shm.region.channel(0);
            CompletionProducer producer = new CompletionProducer(ch);
            CompletionConsumer consumer = new CompletionConsumer(ch);
            reserve(producer, N);
            producer.stage(10, 0);
            producer.stage(11, -4);
            assertEquals(2, producer.staged());
            assertFalse(consumer.poll(), "staged, not yet visible");
            assertEquals(0, az_channel.cq_tail(ch.header()));
            producer.post(12, 7); // a worker's post takes the next position now
            producer.flush();
            assertEquals(0, producer.staged());
            assertEquals(3, az_channel.cq_tail(ch.header()), "one tail store covers the flushed batch");
            long[][] seen = new long[3][];
            for (int i = 0; i < 3; i++) {
                assertTrue(consumer.poll());
                seen[i] = new long[] {consumer.id(), consumer.result()};
            }
            assertArrayEquals(new long[] {12, 7}, seen[0]);
            assertArrayEquals(new long[] {10, 0}, seen[1]);
            assertArrayEquals(new long[] {11, -4}, seen[2]);
            producer.flush(); // nothing staged: no effect
            assertFalse(consumer.poll());
        }
    }

    @Test
    void stagingMoreThanABatchFlushesByItself() {
        int entries = 2 * CompletionProducer.MAX_STAGED;
        try (ShmRegion shm = ShmRegion.create(1, entries, 100)) {
            Channel ch = shm.region.channel(0);
            CompletionProducer producer = new CompletionProducer(ch);
            CompletionConsumer consumer = new CompletionConsumer(ch);
            reserve(producer, CompletionProducer.MAX_STAGED + 1);
            for (int i = 0; i <= CompletionProducer.MAX_STAGED; i++) producer.stage(i, i);
            assertEquals(1, producer.staged());
            for (int i = 0; i < CompletionProducer.MAX_STAGED; i++) {
                assertTrue(consumer.poll());
                assertEquals(i, consumer.id());
            }
            assertFalse(consumer.poll());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {N + 1, 99, -1, 0x80000000})
    void aLyingCqHeadMeansNoRoom(int lie) {
        try (ShmRegion shm = ShmRegion.create(1, N, 100)) {
            Channel ch = shm.region.channel(0);
            CompletionProducer producer = new CompletionProducer(ch);
            for (int i = 0; i < N; i++) {
                producer.hasRoom();
                producer.reserve();
                producer.post(i, 0);
            }
            // cq_tail is N: a head ahead of it, or more than N behind it (-1), is nonsense.
            az_channel.cq_head(ch.header(), lie);
            assertFalse(producer.hasRoom(), "cq_head " + Integer.toUnsignedString(lie));
            az_channel.cq_head(ch.header(), 1);
            assertTrue(producer.hasRoom(), "an honest head gives room back");
        }
    }

    /** Positions start near 2^32, so the uint32 counter wraps while entries go round the ring many times. */
    @Test
    void positionsWrapAroundTheRingAndTheUint32Counter() {
        int start = 0xFFFFFFF0;
        try (ShmRegion shm = ShmRegion.create(1, N, 100, start)) {
            Channel ch = shm.region.channel(0);
            SubmissionProducer sqProducer = new SubmissionProducer(ch);
            SubmissionConsumer sqConsumer = new SubmissionConsumer(ch);
            CompletionProducer cqProducer = new CompletionProducer(ch);
            CompletionConsumer cqConsumer = new CompletionConsumer(ch);
            int total = 100;
            for (int i = 0; i < total; i++) {
                int pos = start + i;
                assertNull(sqConsumer.poll(), "nothing published at position " + Integer.toUnsignedString(pos));
                assertFalse(cqConsumer.poll(), "no completion at position " + Integer.toUnsignedString(pos));
                assertTrue(sqProducer.tryPut(i & 0xFFFF, 0, pos, pos, ~pos, 0, 0, 0, pos));
                sqProducer.publishTail();
                Request r = sqConsumer.poll();
                assertEquals(new Request(pos, i & 0xFFFF, 0, pos, ~pos, 0, 0, 0, pos), r);
                sqConsumer.publishHead();
                assertTrue(cqProducer.hasRoom());
                cqProducer.reserve();
                cqProducer.post(r.id(), -i);
                assertTrue(cqConsumer.poll());
                assertEquals(pos, cqConsumer.id());
                assertEquals(-i, cqConsumer.result());
                cqConsumer.publishHead();
            }
            int end = start + total;
            assertTrue(Integer.compareUnsigned(end, start) < 0, "the counter wrapped");
            assertEquals(end, az_channel.sq_tail(ch.header()));
            assertEquals(end, az_channel.sq_head(ch.header()));
            assertEquals(end, az_channel.cq_tail(ch.header()));
            assertEquals(end, az_channel.cq_head(ch.header()));
        }
    }

    @Test
    void aFullRingAcrossTheUint32WrapStillSaysFull() {
        try (ShmRegion shm = ShmRegion.create(1, N, 100, 0xFFFFFFFE)) {
            Channel ch = shm.region.channel(0);
            SubmissionProducer producer = new SubmissionProducer(ch);
            for (int i = 0; i < N; i++) assertTrue(producer.tryPut(1, 0, i, 0, 0, 0, 0, 0, 0));
            assertFalse(producer.tryPut(1, 0, 9, 0, 0, 0, 0, 0, 0));
            SubmissionConsumer consumer = new SubmissionConsumer(ch);
            for (int i = 0; i < N; i++) assertEquals(i, consumer.poll().id());
            assertNull(consumer.poll());
        }
    }
}
