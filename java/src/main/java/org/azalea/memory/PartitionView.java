package org.azalea.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The proxy's own view of one partition: a second mapping of the partition's
 * part of the node's memory file, in an arena of its own.  Closing it unmaps
 * that view alone: a late access through it (a proxy worker that returns from a
 * host call after the instance ended) throws IllegalStateException instead of
 * writing into memory that may already belong to the next instance, and the
 * node's own mapping stays valid whatever the view's fate.
 *
 * <p>A shared arena cannot close while a native call holds one of its segments
 * (the linker keeps the scope acquired for the call), and a call on raw guest
 * addresses (an iovec array) holds the partition explicitly ({@link
 * Partition#hold()}); {@link #close(Duration)}
 * retries for a bounded time and reports whether it succeeded, so the caller
 * can keep a partition that is still held from being scrubbed or reused.
 */
public final class PartitionView implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final Partition partition;

    private PartitionView(Path file, long fileOffset, long gpa, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, fileOffset, size, arena);
            this.partition = Partition.of(gpa, seg);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Maps guest-physical [gpa, gpa + size), which lies at {@code fileOffset} in {@code file}. */
    static PartitionView map(Path file, long fileOffset, long gpa, long size) throws IOException {
        return new PartitionView(file, fileOffset, gpa, size);
    }

    /** The partition, every segment of which lives in this view's arena. */
    public Partition partition() {
        return partition;
    }

    /** True until {@link #close} succeeded. */
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /**
     * Unmaps the view, retrying while a native call still holds one of its
     * segments, for at most {@code patience}.
     *
     * @return true when the view is closed (now or before); false when a call still
     *     holds it: the partition may yet be written through it and must not be reused
     */
    public boolean close(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (; ; ) {
            if (!isOpen()) return true;
            if (!partition.fence()) {
                if (System.nanoTime() - deadline >= 0) return false;
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            try {
                arena.close();
                return true;
            } catch (IllegalStateException stillAcquired) {
                if (!isOpen()) return true; // another thread closed it meanwhile
                if (System.nanoTime() - deadline >= 0) return false;
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** Closes with a short patience (100 ms); see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(Duration.ofMillis(100));
    }
}
