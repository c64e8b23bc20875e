package org.azalea.proxy;

import static org.azalea.abi.abi_h.AZ_OP_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.azalea.ring.EchoDispatcher;
import org.azalea.ring.OffloadClient;
import org.azalea.ring.Request;
import org.azalea.ring.ShmRegion;
import org.junit.jupiter.api.Test;

/** Several busy channels: a helper poller joins, every request is answered once, and it leaves when idle. */
class PollerScalingTest {
    private static final int CHANNELS = 4;
    private static final int CALLS = 5_000;

    /** Answers a0 after 20 us of work on the calling thread, as a file call runs inline on its poller. */
    static final class SlowDispatcher implements SyscallDispatcher {
        final AtomicInteger dispatched = new AtomicInteger();
        final Queue<String> threads = new ConcurrentLinkedQueue<>();

        @Override
        public long dispatch(Request r) {
            dispatched.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            long until = System.nanoTime() + 20_000;
            while (System.nanoTime() < until) Thread.onSpinWait();
            return r.a0();
        }

        @Override
        public boolean mayBlock(Request r) {
            return false;
        }

        @Override
        public void close() {}
    }

    @Test
    void busyChannelsGetAHelperPollerThatLeavesWhenTheyGoQuiet() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "a helper needs a second cpu");
        SlowDispatcher d = new SlowDispatcher();
        try (ShmRegion shm = ShmRegion.create(CHANNELS, 64, 1000);
                OffloadProxy p = new OffloadProxy(
                        shm.region, d, new OffloadProxy.Options("scaling", 4, 20_000, 64, Duration.ofSeconds(2)))) {
            p.start();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CHANNELS; c++) {
                int channel = c;
                clients.add(Thread.ofPlatform().start(() -> {
                    try {
                        OffloadClient client = new OffloadClient(shm.region, channel);
                        for (int i = 0; i < CALLS; i++) {
                            long want = (long) channel << 32 | i;
                            long got = client.call(AZ_OP_WRITE(), want, 0);
                            if (got != want)
                                throw new AssertionError("channel " + channel + ": " + got + " != " + want);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            for (Thread t : clients) t.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
            assertEquals(CHANNELS * CALLS, d.dispatched.get());
            assertTrue(
                    d.threads.stream().anyMatch(n -> n.contains("poller-h")),
                    "no request was served by a helper poller");
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (p.helperPollers() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
            assertEquals(0, p.helperPollers(), "the helper did not leave once the channels went quiet");
        }
    }

    @Test
    void aSingleChannelNeverGetsAHelper() throws Exception {
        EchoDispatcher d = new EchoDispatcher();
        try (ShmRegion shm = ShmRegion.create(1, 64, 1000);
                OffloadProxy p = OffloadProxyTest.proxy(shm, d, Duration.ofSeconds(2))) {
            p.start();
            OffloadClient client = new OffloadClient(shm.region, 0);
            for (int i = 0; i < 20_000; i++) assertEquals(i, client.call(AZ_OP_WRITE(), i, 0));
            assertTrue(d.threads.stream().noneMatch(n -> n.contains("poller-h")));
        }
    }
}
