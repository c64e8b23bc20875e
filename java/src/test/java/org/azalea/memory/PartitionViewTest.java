package org.azalea.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPoll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's own view of a partition: closed at the instance's end, after which nothing writes through it. */
class PartitionViewTest {
    private static final long BASE = 0x40_0000;
    private static final long SIZE = 0x10_0000;
    private static final long CANARY = 0x5A5A_A5A5_5A5A_A5A5L;

    @TempDir
    Path dir;

    private GuestMemory memory;
    private MemorySegment node; // the node's own mapping of the same partition

    @BeforeEach
    void setUp() throws Exception {
        memory = new GuestMemory();
        memory.map(dir.resolve("mem"), BASE, SIZE);
        node = memory.partition(BASE, SIZE).memory();
    }

    @AfterEach
    void tearDown() {
        memory.close();
    }

    @Test
    void theViewSeesTheSameMemoryAsTheNode() throws Exception {
        try (PartitionView view = memory.view(BASE, SIZE)) {
            view.partition().slice(BASE + 64, 8).set(ValueLayout.JAVA_LONG, 0, 42L);
            assertEquals(42L, node.get(ValueLayout.JAVA_LONG, 64));
            node.set(ValueLayout.JAVA_LONG, 128, 7L);
            assertEquals(7L, view.partition().slice(BASE + 128, 8).get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void aLateAccessToAClosedViewThrowsAndWritesNothing() throws Exception {
        PartitionView view = memory.view(BASE, SIZE);
        // A worker took its segment while the instance ran...
        MemorySegment taken = view.partition().slice(BASE + 4096, 4096);
        node.asSlice(4096, 4096).fill((byte) 0x5A);
        long before = node.get(ValueLayout.JAVA_LONG, 4096);
        assertTrue(view.close(Duration.ofMillis(100)));
        assertFalse(view.isOpen());
        // ...and comes back after the end: the next instance's data (the canary) stays as it was.
        node.set(ValueLayout.JAVA_LONG, 4096, CANARY);
        assertThrows(IllegalStateException.class, () -> taken.set(ValueLayout.JAVA_LONG, 0, 0L));
        assertThrows(IllegalStateException.class, () -> taken.fill((byte) 0));
        assertThrows(
                IllegalStateException.class,
                () -> view.partition().slice(BASE + 4096, 8).set(ValueLayout.JAVA_LONG, 0, 1L));
        assertEquals(CANARY, node.get(ValueLayout.JAVA_LONG, 4096));
        assertEquals(before, node.get(ValueLayout.JAVA_LONG, 4104), "the rest of the page untouched");
        ErrnoException e =
                assertThrows(ErrnoException.class, () -> view.partition().hold());
        assertEquals(Errno.EFAULT, e.errno());
    }

    @Test
    void aHoldKeepsTheViewOpenUntilReleased() throws Exception {
        PartitionView view = memory.view(BASE, SIZE);
        Partition.Hold hold = view.partition().hold();
        assertFalse(view.close(Duration.ofMillis(50)), "a call on raw guest addresses is still running");
        assertTrue(view.isOpen());
        hold.close();
        assertTrue(view.close(Duration.ofMillis(50)));
    }

    @Test
    void aNativeCallOnAGuestSegmentKeepsTheViewOpenUntilItReturns() throws Exception {
        PartitionView view = memory.view(BASE, SIZE);
        int[] fds = pipe();
        try {
            MemorySegment buf = view.partition().slice(BASE + 8192, 16);
            assertEquals(0, LibcIo.read(fds[0], buf, 0)); // links the call here: the thread below is in read(2) at once
            // A blocking read(2) into guest memory: the linker holds the view's scope for the call.
            CompletableFuture<Long> read = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    read.complete(LibcIo.read(fds[0], buf, 16));
                } catch (Throwable t) {
                    read.completeExceptionally(t);
                }
            });
            Thread.sleep(300);
            assertFalse(read.isDone(), "the read waits for data");
            long t0 = System.nanoTime();
            assertFalse(view.close(Duration.ofMillis(200)), "the view cannot close under the call");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "the close gave up in bounded time");
            try (Arena a = Arena.ofConfined()) {
                MemorySegment one = a.allocate(1);
                one.set(ValueLayout.JAVA_BYTE, 0, (byte) 'x');
                assertEquals(1, LibcIo.write(fds[1], one, 1));
            }
            assertEquals(1L, read.get(5, TimeUnit.SECONDS));
            assertTrue(view.close(Duration.ofSeconds(1)), "closed once the call returned");
            assertEquals('x', node.get(ValueLayout.JAVA_BYTE, 8192));
        } finally {
            LibcIo.close(fds[0]);
            LibcIo.close(fds[1]);
        }
    }

    private static int[] pipe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, LibcPoll.pipe2(fds, 0));
            return new int[] {fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4)};
        }
    }
}
