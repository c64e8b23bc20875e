package org.azalea.proxy;

import static org.azalea.abi.abi_h.AZ_CHANNEL_NEED_WAKEUP;
import static org.azalea.abi.abi_h.AZ_HOST_SERVING;
import static org.azalea.abi.abi_h.AZ_HOST_STOPPED;
import static org.azalea.abi.abi_h.AZ_OP_NOP;
import static org.azalea.abi.abi_h.AZ_OP_READ;
import static org.azalea.abi.abi_h.AZ_OP_WRITE;
import static org.azalea.abi.abi_h.AZ_OP__LAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.azalea.host.Errno;
import org.azalea.ring.CompletionConsumer;
import org.azalea.ring.EchoDispatcher;
import org.azalea.ring.OffloadClient;
import org.azalea.ring.ShmRegion;
import org.azalea.ring.SubmissionProducer;
import org.junit.jupiter.api.Test;

/** The proxy serving real rings in a /dev/shm file, with a dispatcher that echoes. */
class OffloadProxyTest {
    static OffloadProxy proxy(ShmRegion shm, EchoDispatcher d, Duration stopTimeout) {
        return new OffloadProxy(shm.region, d, new OffloadProxy.Options("proxy-test", 4, 20_000, 64, stopTimeout));
    }

    @Test
    void aBurstOfNopsIsAnsweredBeforeTheRequestBehindItIsServed() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        try (ShmRegion shm = ShmRegion.create(1, 16, 1000);
                OffloadProxy p = proxy(shm, d, Duration.ofSeconds(2))) {
            SubmissionProducer raw = new SubmissionProducer(shm.region.channel(0));
            CompletionConsumer completions = new CompletionConsumer(shm.region.channel(0));
            // Queued before the proxy starts, so its first batch holds them all.
            for (long id = 1; id <= 3; id++) assertTrue(raw.tryPut(AZ_OP_NOP(), 0, id, 0, 0, 0, 0, 0, 0));
            assertTrue(raw.tryPut(AZ_OP_WRITE(), 0, 4, 6, 0, 0, 0, 0, 0));
            assertTrue(raw.tryPut(AZ_OP_NOP(), 0, 5, 0, 0, 0, 0, 0, 0));
            raw.publishTail();
            p.start();
            Map<Long, Long> answers = new LinkedHashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (answers.size() < 5) {
                assertTrue(System.nanoTime() < deadline, "answers so far: " + answers);
                if (completions.poll()) answers.put(completions.id(), completions.result());
                else Thread.onSpinWait();
            }
            assertEquals(List.of(1L, 2L, 3L), List.copyOf(answers.keySet()).subList(0, 3));
            assertEquals(Map.of(1L, 0L, 2L, 0L, 3L, 0L, 4L, 6L, 5L, 0L), answers);
            assertEquals(4, p.stats().count(AZ_OP_NOP()));
        }
    }

    @Test
    void nopRoundTripsWithoutTheDispatcher() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        try (ShmRegion shm = ShmRegion.create(1, 16, 1000);
                OffloadProxy p = proxy(shm, d, Duration.ofSeconds(2))) {
            p.start();
            assertEquals(AZ_HOST_SERVING(), shm.region.hostState());
            OffloadClient client = new OffloadClient(shm.region, 0);
            for (int i = 0; i < 20_000; i++) assertEquals(0, client.call(AZ_OP_NOP(), i, i));
            assertEquals(0, d.dispatched.get());
            assertEquals(20_000, p.stats().count(AZ_OP_NOP()));
            assertEquals(0, p.stats().errors(AZ_OP_NOP()));
            assertEquals(0, p.stats().latency(AZ_OP_NOP()).count(), "no-ops are counted, not timed");
        }
    }

    @Test
    void flagsUnknownOpcodesAndThrowingDispatchersAreAnsweredAndServingGoesOn() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        try (ShmRegion shm = ShmRegion.create(1, 16, 1000);
                OffloadProxy p = proxy(shm, d, Duration.ofSeconds(2))) {
            p.start();
            // The raw producer can set flags, which OffloadClient never does.
            SubmissionProducer raw = new SubmissionProducer(shm.region.channel(0));
            CompletionConsumer completions = new CompletionConsumer(shm.region.channel(0));
            assertTrue(raw.tryPut(AZ_OP_NOP(), 1, 77, 0, 0, 0, 0, 0, 0));
            assertTrue(raw.tryPut(AZ_OP_READ(), 0x8000, 78, 5, 0, 0, 0, 0, 0));
            assertTrue(raw.tryPut(AZ_OP__LAST(), 0, 79, 5, 0, 0, 0, 0, 0));
            assertTrue(raw.tryPut(0xFFFF, 0, 80, 5, 0, 0, 0, 0, 0));
            assertTrue(raw.tryPut(AZ_OP_READ(), 0, 81, 5, EchoDispatcher.THROW, 0, 0, 0, 0));
            assertTrue(raw.tryPut(AZ_OP_READ(), 0, 82, 5, EchoDispatcher.THROW_IN_MAY_BLOCK, 0, 0, 0, 0));
            assertTrue(raw.tryPut(AZ_OP_WRITE(), 0, 83, 6, 0, 0, 0, 0, 0));
            raw.publishTail();
            long[][] expected = {
                {77, -Errno.EINVAL},
                {78, -Errno.EINVAL},
                {79, -Errno.ENOSYS},
                {80, -Errno.ENOSYS},
                {81, -Errno.EIO},
                {82, -Errno.EIO},
                {83, 6}
            };
            for (long[] e : expected) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!completions.poll()) {
                    assertTrue(System.nanoTime() < deadline, "no completion for id " + e[0]);
                    Thread.onSpinWait();
                }
                assertEquals(e[0], completions.id());
                assertEquals(e[1], completions.result(), "id " + e[0]);
            }
            completions.publishHead();
            assertEquals(4, d.dispatched.get(), "flags != 0 never reaches the dispatcher; mayBlock throwing neither");
            assertEquals(2, p.stats().count(AZ_OP__LAST()), "undefined opcodes share a row");
            assertEquals(2, p.stats().errors(0x1234));
            assertEquals(6, p.stats().totalErrors());
        }
    }

    @Test
    void aBlockingRequestRunsOnAWorkerAndDoesNotStallOtherChannels() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        try (ShmRegion shm = ShmRegion.create(2, 8, 1000);
                OffloadProxy p = proxy(shm, d, Duration.ofSeconds(2))) {
            p.start();
            OffloadClient blocked = new OffloadClient(shm.region, 0);
            OffloadClient other = new OffloadClient(shm.region, 1);
            long id = blocked.trySubmit(AZ_OP_READ(), 41, EchoDispatcher.BLOCK);
            assertTrue(d.blocked.tryAcquire(10, TimeUnit.SECONDS), "the blocking request started");
            for (int i = 0; i < 1000; i++) assertEquals(i, other.call(AZ_OP_READ(), i));
            // Channel 0 itself also keeps going: its next request is not behind the blocked one.
            assertEquals(7, blocked.call(AZ_OP_READ(), 7));
            assertThrows(TimeoutException.class, () -> blocked.await(id, 10, TimeUnit.MILLISECONDS));
            d.release();
            assertEquals(41, blocked.await(id));
            assertTrue(d.threads.stream().anyMatch(t -> t.contains("worker")), "ran on a worker: " + d.threads.peek());
        }
    }

    @Test
    void stopAnswersEveryRequestInFlightAndClosesTheDispatcher() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        try (ShmRegion shm = ShmRegion.create(2, 8, 1000)) {
            OffloadProxy p = proxy(shm, d, Duration.ofMillis(300));
            p.start();
            OffloadClient c0 = new OffloadClient(shm.region, 0);
            OffloadClient c1 = new OffloadClient(shm.region, 1);
            long stuck = c0.trySubmit(AZ_OP_READ(), 1, EchoDispatcher.BLOCK);
            long brief = c1.trySubmit(AZ_OP_READ(), 2, EchoDispatcher.BLOCK_BRIEFLY);
            assertTrue(d.blocked.tryAcquire(10, TimeUnit.SECONDS));
            // Both must have been taken before stop: one not yet taken would rightly get no answer.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (d.dispatched.get() < 2 && System.nanoTime() < deadline) Thread.sleep(1);
            assertEquals(2, d.dispatched.get(), "both requests reached the dispatcher");
            p.stop();
            assertTrue(d.isClosed());
            assertFalse(p.isServing());
            assertEquals(AZ_HOST_STOPPED(), shm.region.hostState());
            assertEquals(2, c1.await(brief, 1, TimeUnit.SECONDS), "finished within the stop timeout");
            assertEquals(-Errno.EINTR, c0.await(stuck, 1, TimeUnit.SECONDS), "woken by closing the dispatcher");
            long late = c1.trySubmit(AZ_OP_NOP());
            assertThrows(
                    TimeoutException.class,
                    () -> c1.await(late, 50, TimeUnit.MILLISECONDS),
                    "no one serves after stop");
            p.stop(); // idempotent
            assertThrows(IllegalStateException.class, p::start);
        }
    }

    @Test
    void aNewProxyOnTheSameRegionTakesUpWhereTheLastStopped() throws Exception {
        try (ShmRegion shm = ShmRegion.create(1, 8, 1000)) {
            OffloadClient client = new OffloadClient(shm.region, 0);
            EchoDispatcher first = new EchoDispatcher();
            // Spinning for 10 s: the poller never sleeps before stop.
            var spinning = new OffloadProxy.Options("first", 1, 10_000_000_000L, 64, Duration.ofSeconds(2));
            try (OffloadProxy p = new OffloadProxy(shm.region, first, spinning)) {
                p.start();
                for (int i = 0; i < 3; i++) assertEquals(i, client.call(AZ_OP_READ(), i));
            }
            long queued = client.trySubmit(AZ_OP_READ(), 10);
            EchoDispatcher second = new EchoDispatcher();
            try (OffloadProxy p = proxy(shm, second, Duration.ofSeconds(2))) {
                p.start();
                assertEquals(10, client.await(queued));
                for (int i = 11; i < 30; i++) assertEquals(i, client.call(AZ_OP_READ(), i));
            }
            assertEquals(3, first.dispatched.get());
            assertEquals(20, second.dispatched.get(), "nothing the first proxy took is served again");
        }
    }

    @Test
    void consumedSlotsAreHandedBackSoonAfterTrafficStopsEvenWhileThePollerSpins() throws Exception {
        try (ShmRegion shm = ShmRegion.create(1, 8, 1000)) {
            OffloadClient client = new OffloadClient(shm.region, 0);
            // A spin of 10 s: before, the head was published only before sleeping, so a client
            // re-opening the channel found it busy for as long as the poller spun.
            var spinning = new OffloadProxy.Options("spinning", 1, 10_000_000_000L, 64, Duration.ofSeconds(2));
            try (OffloadProxy p = new OffloadProxy(shm.region, new EchoDispatcher(), spinning)) {
                p.start();
                for (int i = 0; i < 3; i++) assertEquals(i, client.call(AZ_OP_READ(), i));
                var header = shm.region.channel(0).header();
                long deadline = System.nanoTime() + 1_000_000_000L;
                while (org.azalea.abi.az_channel.sq_head(header) != 3 && System.nanoTime() < deadline) Thread.sleep(1);
                assertEquals(3, org.azalea.abi.az_channel.sq_head(header), "sq_head while the poller spins");
            }
        }
    }

    @Test
    void anIdleProxySleepsOnTheDoorbellAndAClientWakesIt() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        // A re-poll interval of 1 s: an answer well before it shows the doorbell worked.
        try (ShmRegion shm = ShmRegion.create(2, 8, 1_000_000);
                OffloadProxy p = proxy(shm, d, Duration.ofSeconds(2))) {
            p.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((shm.region.channel(1).flags() & AZ_CHANNEL_NEED_WAKEUP()) == 0) {
                assertTrue(System.nanoTime() < deadline, "the proxy never went to sleep");
                Thread.sleep(1);
            }
            OffloadClient client = new OffloadClient(shm.region, 1);
            long start = System.nanoTime();
            assertEquals(5, client.call(AZ_OP_READ(), 5));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis < 900, "woken by the doorbell, not the 1 s re-poll: took " + tookMillis + " ms");
        }
    }

    @Test
    void aGuestThatNeverRingsIsServedByTheTimedRepoll() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        try (ShmRegion shm = ShmRegion.create(1, 8, 2_000);
                OffloadProxy p = proxy(shm, d, Duration.ofSeconds(2))) {
            p.start();
            Thread.sleep(50); // past the spin: asleep on the doorbell
            SubmissionProducer raw = new SubmissionProducer(shm.region.channel(0));
            CompletionConsumer completions = new CompletionConsumer(shm.region.channel(0));
            assertTrue(raw.tryPut(AZ_OP_READ(), 0, 1, 99, 0, 0, 0, 0, 0)); // published, doorbell not rung
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!completions.poll()) {
                assertTrue(System.nanoTime() < deadline);
                Thread.sleep(1);
            }
            assertEquals(99, completions.result());
        }
    }
}
