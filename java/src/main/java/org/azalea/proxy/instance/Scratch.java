package org.azalea.proxy.instance;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * Host memory a handler needs for the length of one host call (a C path, a struct
 * open_how, a struct stat it only reads back): a per-thread block used as a
 * stack, instead of a confined Arena per call (which mallocs and frees on every
 * file call).  Open with {@link #open()} in try-with-resources; scopes nest and
 * must close in reverse order, which try-with-resources guarantees.  What does
 * not fit in the block comes from a confined arena closed with the scope.
 *
 * <p>Segments handed out are zeroed, as an Arena's are, and must not be used
 * after the scope closes (the next scope reuses the memory).  Only proxy
 * threads (pollers, workers) use it: platform threads, so one block each.
 */
public final class Scratch implements SegmentAllocator, AutoCloseable {
    /** Two PATH_MAX paths (rename, link) plus the structs a call reads back. */
    static final long BLOCK_SIZE = 16 * 1024;

    private static final ThreadLocal<Block> BLOCKS = ThreadLocal.withInitial(Block::new);

    private static final class Block {
        final MemorySegment memory = Arena.ofAuto().allocate(BLOCK_SIZE, 16);
        long top;
    }

    private final Block block;
    private final long mark;
    private Arena overflow;

    private Scratch(Block block) {
        this.block = block;
        this.mark = block.top;
    }

    /** A scope of this thread's scratch memory. */
    public static Scratch open() {
        return new Scratch(BLOCKS.get());
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        long start = (block.top + byteAlignment - 1) & -byteAlignment;
        if (byteSize >= 0 && start + byteSize <= BLOCK_SIZE) {
            block.top = start + byteSize;
            return block.memory.asSlice(start, byteSize).fill((byte) 0);
        }
        if (overflow == null) overflow = Arena.ofConfined();
        return overflow.allocate(byteSize, byteAlignment);
    }

    @Override
    public void close() {
        block.top = mark;
        if (overflow != null) overflow.close();
    }
}
