package org.azalea.proxy.instance;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void nestedScopesDoNotOverwriteTheOuterOnesMemory() {
        try (Scratch outer = Scratch.open()) {
            MemorySegment a = outer.allocateFrom("outer");
            try (Scratch inner = Scratch.open()) {
                MemorySegment b = inner.allocateFrom("inner");
                assertNotEquals(a.address(), b.address());
                assertEquals("inner", b.getString(0));
            }
            try (Scratch again = Scratch.open()) {
                again.allocate(64).fill((byte) 'x');
            }
            assertEquals("outer", a.getString(0));
        }
    }

    @Test
    void memoryIsZeroedAndReusedAfterTheScopeCloses() {
        long first;
        try (Scratch s = Scratch.open()) {
            MemorySegment m = s.allocate(32);
            first = m.address();
            m.fill((byte) 7);
        }
        try (Scratch s = Scratch.open()) {
            MemorySegment m = s.allocate(32);
            assertEquals(first, m.address(), "the block is a stack: a closed scope's memory is reused");
            for (long i = 0; i < 32; i++) assertEquals(0, m.get(ValueLayout.JAVA_BYTE, i));
        }
    }

    @Test
    void whatDoesNotFitComesFromAnArenaOfTheScope() {
        try (Scratch s = Scratch.open()) {
            MemorySegment small = s.allocate(8);
            MemorySegment big = s.allocate(Scratch.BLOCK_SIZE + 1);
            assertEquals(Scratch.BLOCK_SIZE + 1, big.byteSize());
            big.set(ValueLayout.JAVA_BYTE, Scratch.BLOCK_SIZE, (byte) 1);
            assertEquals(8, small.byteSize());
        }
    }

    @Test
    void alignmentIsHonoured() {
        try (Scratch s = Scratch.open()) {
            s.allocate(3);
            assertEquals(0, s.allocate(16, 16).address() % 16);
            assertEquals(0, s.allocate(8, 8).address() % 8);
        }
    }
}
