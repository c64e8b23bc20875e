package org.azalea.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.azalea.abi.abi_h;
import org.junit.jupiter.api.Test;

/** The proxy's statistics: histogram precision, thread safety, per-opcode rows. */
class OffloadProxyStatsTest {
    @Test
    void bucketsAreContiguousAndAtMostAnEighthWide() {
        int previous = -1;
        for (long v = 0; v < 1 << 20; v++) {
            int b = LatencyHistogram.bucketOf(v);
            assertTrue(
                    b == previous || b == previous + 1, "value " + v + " skips from bucket " + previous + " to " + b);
            assertTrue(LatencyHistogram.upperEdge(b) >= v, "value " + v + " above its bucket's edge");
            if (b != previous && v > 0) assertEquals(v - 1, LatencyHistogram.upperEdge(previous), "edge below " + v);
            previous = b;
        }
        for (long v : new long[] {1000, 123_456_789, 1L << 39}) {
            long edge = LatencyHistogram.upperEdge(LatencyHistogram.bucketOf(v));
            assertTrue(edge - v <= v / 8, v + " reported as " + edge);
        }
        assertEquals(LatencyHistogram.bucketOf(1L << 41), LatencyHistogram.bucketOf(Long.MAX_VALUE), "top bucket");
    }

    @Test
    void percentilesFollowTheRecordedValues() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.p50());
        for (long v = 1; v <= 1000; v++) h.record(v);
        assertEquals(1000, h.count());
        assertEquals(1000, h.max());
        assertEquals(500.5, h.mean(), 1e-9);
        assertTrue(h.p50() >= 500 && h.p50() <= 500 * 9 / 8, "p50 " + h.p50());
        assertTrue(h.p90() >= 900 && h.p90() <= 900 * 9 / 8, "p90 " + h.p90());
        assertTrue(h.p99() >= 990 && h.p99() <= 1000, "p99 " + h.p99());
        assertEquals(1000, h.percentile(1.0));
        assertThrows(IllegalArgumentException.class, () -> h.percentile(0));
        h.record(-5);
        assertEquals(0, h.percentile(1.0 / 1001), "negative values count as 0");
    }

    @Test
    void recordingFromManyThreadsLosesNothing() throws InterruptedException {
        ProxyStats stats = new ProxyStats();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100_000; i++) stats.record(abi_h.AZ_OP_READ(), i % 10 == 0 ? -5 : 1, i);
            }));
        }
        // The poller's own rows, written by this thread alone while the others record.
        for (int i = 0; i < 50_000; i++) stats.recordByPoller(abi_h.AZ_OP_READ(), 0, 10);
        for (Thread t : threads) t.join();
        assertEquals(450_000, stats.count(abi_h.AZ_OP_READ()));
        assertEquals(40_000, stats.errors(abi_h.AZ_OP_READ()));
        assertEquals(450_000, stats.latency(abi_h.AZ_OP_READ()).count());
        assertEquals(99_999, stats.latency(abi_h.AZ_OP_READ()).max());
        assertEquals(450_000, stats.total());
        assertEquals(0, stats.count(abi_h.AZ_OP_WRITE()));
    }

    @Test
    void undefinedOpcodesShareOneRowAndNamesComeFromTheHeader() {
        ProxyStats stats = new ProxyStats();
        stats.record(abi_h.AZ_OP__LAST(), -38, 1);
        stats.record(0xFFFF, -38, 1);
        assertEquals(2, stats.count(12345));
        assertEquals(2, stats.errors(abi_h.AZ_OP__LAST()));
        assertTrue(stats.toString().contains("(undefined)"), stats.toString());
        assertEquals("read", Opcodes.name(abi_h.AZ_OP_READ()));
        assertEquals("pread64", Opcodes.name(abi_h.AZ_OP_PREAD64()));
        assertEquals("nop", Opcodes.name(0));
        assertEquals("unknown(" + abi_h.AZ_OP__LAST() + ")", Opcodes.name(abi_h.AZ_OP__LAST()));
        assertEquals("epoll_pwait", Opcodes.name(abi_h.AZ_OP_EPOLL_PWAIT()));
        assertEquals("fmap_write", Opcodes.name(abi_h.AZ_OP_FMAP_WRITE()));
    }
}
