package org.azalea.ring;

import static org.azalea.abi.abi_h.AZ_OP_NOP;
import static org.azalea.abi.abi_h.AZ_OP_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.azalea.proxy.OffloadProxy;
import org.junit.jupiter.api.Test;

/** The Java client against a real proxy: several producers at once, each completion back to its caller. */
class OffloadClientTest {
    private static OffloadProxy proxy(ShmRegion shm, EchoDispatcher d) {
        return new OffloadProxy(
                shm.region, d, new OffloadProxy.Options("client-test", 4, 20_000, 64, Duration.ofSeconds(2)));
    }

    /** Each caller sends a0 values only it uses and checks it gets exactly its own back. */
    private static List<Future<Integer>> callers(
            ExecutorService pool, List<OffloadClient> clients, int perThread, int calls) {
        List<Future<Integer>> futures = new ArrayList<>();
        int caller = 0;
        for (OffloadClient client : clients) {
            for (int t = 0; t < perThread; t++, caller++) {
                long tag = (long) caller << 32;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < calls; i++) {
                        long result = client.call(AZ_OP_READ(), tag | i, 0, i);
                        if (result != (tag | i)) throw new AssertionError("call " + (tag | i) + " got " + result);
                    }
                    return calls;
                }));
            }
        }
        return futures;
    }

    @Test
    void threadsSharingAChannelAndThreadsOnOtherChannelsEachGetTheirOwnResults() throws Exception {
        try (ShmRegion shm = ShmRegion.create(3, 8, 1000);
                OffloadProxy p = proxy(shm, new EchoDispatcher())) {
            p.start();
            List<OffloadClient> clients = List.of(
                    new OffloadClient(shm.region, 0),
                    new OffloadClient(shm.region, 1),
                    new OffloadClient(shm.region, 2));
            ExecutorService pool = Executors.newFixedThreadPool(7);
            try {
                // Channel 0 and 1 shared by three threads each, channel 2 by one.
                List<Future<Integer>> futures = new ArrayList<>(callers(pool, clients.subList(0, 2), 3, 5_000));
                futures.addAll(callers(pool, clients.subList(2, 3), 1, 5_000));
                int total = 0;
                for (Future<Integer> f : futures) total += f.get(120, TimeUnit.SECONDS);
                assertEquals(7 * 5_000, total);
                assertEquals(total, p.stats().count(AZ_OP_READ()));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aBatchIsPublishedOnceAndEachResultIsRoutedById() throws Exception {
        try (ShmRegion shm = ShmRegion.create(1, 8, 1000);
                OffloadProxy p = proxy(shm, new EchoDispatcher())) {
            p.start();
            OffloadClient client = new OffloadClient(shm.region, 0);
            int[] opcodes = new int[10];
            long[] args = new long[10 * OffloadClient.MAX_ARGS];
            long[] ids = new long[10];
            for (int i = 0; i < 10; i++) {
                opcodes[i] = i % 2 == 0 ? AZ_OP_NOP() : AZ_OP_READ();
                args[i * OffloadClient.MAX_ARGS] = 1000 + i;
            }
            int n = client.trySubmitBatch(10, opcodes, args, ids);
            assertTrue(n >= 1 && n <= 8, "a ring of 8 takes at most 8, took " + n);
            for (int i = n - 1; i >= 0; i--) {
                assertEquals(i % 2 == 0 ? 0 : 1000 + i, client.await(ids[i]), "request " + i);
            }
        }
    }

    @Test
    void aFullRingIsAReturnValueNotABlock() throws Exception {
        try (ShmRegion shm = ShmRegion.create(1, 4, 1000)) {
            OffloadClient client = new OffloadClient(shm.region, 0);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) ids.add(client.trySubmit(AZ_OP_NOP()));
            assertTrue(ids.stream().noneMatch(id -> id == OffloadClient.FULL));
            assertEquals(OffloadClient.FULL, client.trySubmit(AZ_OP_NOP()));
            assertEquals(0, client.trySubmitBatch(2, new int[2], new long[12], new long[2]));
            assertThrows(TimeoutException.class, () -> client.await(ids.get(0), 20, TimeUnit.MILLISECONDS));

            try (OffloadProxy p = proxy(shm, new EchoDispatcher())) {
                p.start();
                for (long id : ids) assertEquals(0, client.await(id), "served once a proxy runs");
                assertNotEquals(OffloadClient.FULL, client.trySubmit(AZ_OP_NOP()));
            }
        }
    }

    @Test
    void onlyOutstandingIdsCanBeAwaited() {
        try (ShmRegion shm = ShmRegion.create(1, 4, 1000)) {
            OffloadClient client = new OffloadClient(shm.region, 0);
            assertThrows(IllegalArgumentException.class, () -> client.await(12345));
            assertThrows(IllegalArgumentException.class, () -> client.await(OffloadClient.FULL));
            assertThrows(IllegalArgumentException.class, () -> client.trySubmit(0x10000));
            assertThrows(IllegalArgumentException.class, () -> client.trySubmit(1, 1, 2, 3, 4, 5, 6, 7));
        }
    }
}
