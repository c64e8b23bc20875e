package org.azalea.proxy;

import static org.azalea.abi.abi_h.AZ_OP_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_sqe;
import org.azalea.ring.Channel;
import org.azalea.ring.CompletionConsumer;
import org.azalea.ring.EchoDispatcher;
import org.azalea.ring.OffloadClient;
import org.azalea.ring.Request;
import org.azalea.ring.RingHandles;
import org.azalea.ring.ShmRegion;
import org.azalea.ring.SubmissionProducer;
import org.junit.jupiter.api.Test;

/** A guest that writes nonsense into its rings hurts only its own channel. */
class OffloadProxyHostileTest {
    private static final int N = 4;

    private static OffloadProxy proxy(ShmRegion shm, EchoDispatcher d) {
        return OffloadProxyTest.proxy(shm, d, Duration.ofSeconds(2));
    }

    private static boolean completes(CompletionConsumer cq, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (cq.poll()) return true;
            Thread.sleep(1);
        }
        return false;
    }

    @Test
    void rewritingASubmissionWhileItIsServedChangesNothing() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        try (ShmRegion shm = ShmRegion.create(1, N, 1000);
                OffloadProxy p = proxy(shm, d)) {
            p.start();
            Channel ch = shm.region.channel(0);
            OffloadClient client = new OffloadClient(shm.region, 0);
            long id = client.trySubmit(AZ_OP_READ(), 111, EchoDispatcher.BLOCK, 3, 4, 5, 6);
            assertTrue(d.blocked.tryAcquire(10, TimeUnit.SECONDS));
            Request taken = d.seen.peek();
            // The guest rewrites every field of the entry being served, seq included.
            MemorySegment sqe = az_sqe.asSlice(ch.sq(), 0);
            az_sqe.opcode(sqe, (short) 0x4242);
            az_sqe.flags(sqe, (short) 1);
            az_sqe.id(sqe, 999);
            for (int i = 0; i < 6; i++) az_sqe.args(sqe, i, -1);
            RingHandles.SQE_SEQ.setRelease(ch.sq(), 0L, 1);
            d.release();
            assertEquals(111, client.await(id), "the result comes from the copy taken before the rewrite");
            assertEquals(new Request(id, AZ_OP_READ(), 0, 111, EchoDispatcher.BLOCK, 3, 4, 5, 6), taken);
            assertEquals(4, client.call(AZ_OP_READ(), 4));
            assertEquals(2, d.dispatched.get(), "the rewritten entry was not served a second time");
        }
    }

    @Test
    void garbageSeqStallsOnlyItsChannel() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        try (ShmRegion shm = ShmRegion.create(2, N, 2_000);
                OffloadProxy p = proxy(shm, d)) {
            p.start();
            Channel bad = shm.region.channel(0);
            CompletionConsumer badCompletions = new CompletionConsumer(bad);
            MemorySegment sqe = az_sqe.asSlice(bad.sq(), 0);
            az_sqe.opcode(sqe, (short) AZ_OP_READ());
            az_sqe.id(sqe, 5);
            az_sqe.args(sqe, 0, 55);
            OffloadClient good = new OffloadClient(shm.region, 1);
            for (int garbage : new int[] {0, 2, 0xDEADBEEF, -1, 1 + N}) {
                RingHandles.SQE_SEQ.setRelease(bad.sq(), 0L, garbage);
                az_channel.sq_tail(bad.header(), 1000); // the tail lies too
                for (int i = 0; i < 100; i++) assertEquals(i, good.call(AZ_OP_READ(), i));
                assertFalse(completes(badCompletions, 5), "seq " + garbage + " was served");
            }
            assertEquals(500, d.dispatched.get());
            RingHandles.SQE_SEQ.setRelease(bad.sq(), 0L, 1);
            assertTrue(completes(badCompletions, 5_000), "served once the seq is right");
            assertEquals(55, badCompletions.result());
        }
    }

    @Test
    void aLyingOrStuckCqHeadStallsOnlyItsChannel() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        try (ShmRegion shm = ShmRegion.create(2, N, 2_000);
                OffloadProxy p = proxy(shm, d)) {
            p.start();
            Channel bad = shm.region.channel(0);
            SubmissionProducer sq = new SubmissionProducer(bad);
            CompletionConsumer cq = new CompletionConsumer(bad);
            OffloadClient good = new OffloadClient(shm.region, 1);
            // Fill the completion ring without ever publishing cq_head: an honest "full".
            for (int i = 0; i < N; i++) {
                assertTrue(sq.tryPut(AZ_OP_READ(), 0, i, i, 0, 0, 0, 0, 0));
                sq.publishTail();
                assertTrue(completes(cq, 5_000));
            }
            for (int lie : new int[] {N + 1, 0x7FFFFFFF, -1, 0}) {
                az_channel.cq_head(bad.header(), lie);
                long id = 100 + Integer.toUnsignedLong(lie);
                assertTrue(sq.tryPut(AZ_OP_READ(), 0, id, 7, 0, 0, 0, 0, 0));
                sq.publishTail();
                for (int i = 0; i < 100; i++) assertEquals(i, good.call(AZ_OP_READ(), i));
                assertFalse(completes(cq, 5), "served with cq_head " + Integer.toUnsignedString(lie));
            }
            cq.publishHead(); // the truth: N consumed
            for (int i = 0; i < 4; i++) {
                assertTrue(completes(cq, 5_000), "every stalled submission is served once cq_head is sensible");
                assertEquals(7, cq.result());
            }
            cq.publishHead();
            assertFalse(completes(cq, 20));
        }
    }
}
