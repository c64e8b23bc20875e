package org.azalea.proxy;

import static org.azalea.abi.abi_h.AZ_OP_WRITE;
import static org.azalea.abi.abi_h.AZ_OP_WRITEV;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes to a caller's blocking pipe (what `azalea run | slow` hands over) go
 * through a private buffer: every byte arrives in order, and no host call holds
 * guest memory while the pipe is full, so the instance's end can fence it.
 */
class BouncedStdioTest {
    @TempDir
    Path root;

    @Test
    void largeWritesToAFullCallersPipeArriveWholeAndHoldNoGuestMemoryWhileBlocked() throws Exception {
        int[] p = pipe();
        byte[] data = new byte[300 * 1024]; // several bounce buffers and several pipe fills
        new Random(11).nextBytes(data);
        try (Guest g = new Guest(root, Stdio.hostFds(p[0], p[1], p[1]), "bounce")) {
            long a = g.bytes(java.util.Arrays.copyOfRange(data, 0, 100_000));
            long b = g.bytes(java.util.Arrays.copyOfRange(data, 100_000, data.length));
            CompletableFuture<Long> writes = CompletableFuture.supplyAsync(() -> {
                long n = g.call(AZ_OP_WRITE(), 1, a, 100_000);
                return n + g.call(AZ_OP_WRITEV(), 1, g.iovec(b, data.length - 100_000), 1);
            });
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(65536);
                while (got.size() < data.length) {
                    long n = LibcIo.read(p[0], buf, 65536);
                    assertTrue(n > 0, "read " + n);
                    got.write(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                }
            }
            assertEquals(data.length, writes.get(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS));
            assertArrayEquals(data, got.toByteArray());
        } finally {
            LibcIo.close(p[0]);
            LibcIo.close(p[1]);
        }
    }

    @Test
    void aWriteBlockedOnAFullCallersPipeDoesNotKeepTheGuestMemoryOpen() throws Exception {
        int[] p = pipe();
        try (Guest g = new Guest(root, Stdio.hostFds(p[0], p[1], p[1]), "bounce")) {
            long a = g.alloc(200_000); // more than the pipe holds
            CompletableFuture<Long> write = CompletableFuture.supplyAsync(() -> g.call(AZ_OP_WRITE(), 1, a, 200_000));
            Thread.sleep(500);
            assertTrue(!write.isDone(), "the write waits for the reader");
            // The instance's end fences and closes its memory (as memory.PartitionView does): a
            // blocked host call must not keep it acquired, or close() would throw here.
            assertTrue(g.partition.fence());
            g.arena.close();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(65536);
                while (!write.isDone()) {
                    if (LibcPoll.poll(pollIn(arena, p[0]), 1, 50) > 0) LibcIo.read(p[0], buf, 65536);
                }
            }
            // Its next copy out of the closed memory threw instead of reading it; nobody waits for the answer.
            assertEquals(-org.azalea.host.Errno.EFAULT, write.get(10, TimeUnit.SECONDS));
            assertEquals(0, g.sys.internalErrors(), "a late access after the end is not a proxy bug");
        } finally {
            LibcIo.close(p[0]);
            LibcIo.close(p[1]);
        }
    }

    private static MemorySegment pollIn(Arena arena, int fd) {
        MemorySegment pfd = arena.allocate(8);
        pfd.set(ValueLayout.JAVA_INT, 0, fd);
        pfd.set(ValueLayout.JAVA_SHORT, 4, org.azalea.host.Linux.POLLIN);
        return pfd;
    }

    private static int[] pipe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, LibcPoll.pipe2(fds, 0));
            return new int[] {fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4)};
        }
    }
}
