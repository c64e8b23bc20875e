package org.azalea.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The service's stdin buffer: never blocks the writer, refuses a client beyond its window, reports credit. */
class StdinBufferTest {
    @Test
    void bytesFlowInOrderAndEachReadReturnsCredit() throws Exception {
        AtomicInteger credit = new AtomicInteger();
        StdinBuffer b = new StdinBuffer(8, credit::addAndGet);
        assertTrue(b.offer(new byte[] {1, 2, 3, 4, 5}));
        byte[] buf = new byte[3];
        assertEquals(3, b.read(buf, 0, 3));
        assertArrayEquals(new byte[] {1, 2, 3}, buf);
        assertTrue(b.offer(new byte[] {6, 7, 8, 9, 10, 11})); // wraps around the ring
        byte[] rest = new byte[8];
        assertEquals(8, b.read(rest, 0, 8));
        assertArrayEquals(new byte[] {4, 5, 6, 7, 8, 9, 10, 11}, rest);
        assertEquals(11, credit.get());
    }

    @Test
    void aClientBeyondTheWindowIsRefusedAndNothingIsTaken() throws Exception {
        StdinBuffer b = new StdinBuffer(4, n -> {});
        assertTrue(b.offer(new byte[3]));
        assertFalse(b.offer(new byte[2]));
        assertEquals(3, b.available());
        b.end();
        assertFalse(b.offer(new byte[1]), "nothing after the end");
    }

    @Test
    void aReadWaitsForDataThenSeesTheEnd() throws Exception {
        StdinBuffer b = new StdinBuffer(16, n -> {});
        CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> {
            try {
                return b.read(new byte[4], 0, 4);
            } catch (InterruptedIOException e) {
                return -2;
            }
        });
        Thread.sleep(50);
        assertFalse(r.isDone(), "blocked while empty");
        b.offer(new byte[] {9});
        assertEquals(1, r.get(5, TimeUnit.SECONDS));
        b.end();
        assertEquals(-1, b.read());
    }

    @Test
    void anInterruptEndsABlockedRead() throws Exception {
        StdinBuffer b = new StdinBuffer(16, n -> {});
        Thread t = Thread.currentThread();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                // not expected
            }
            t.interrupt();
        });
        assertThrows(InterruptedIOException.class, () -> b.read(new byte[1], 0, 1));
        assertTrue(Thread.interrupted(), "the interrupt is kept");
    }
}
