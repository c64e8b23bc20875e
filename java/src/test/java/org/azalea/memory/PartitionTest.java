package org.azalea.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one checked translation from guest-physical addresses to host memory. */
class PartitionTest {
    private static final long BASE = 0x10_0000;
    private static final long SIZE = 0x1000;

    private Arena arena;
    private MemorySegment memory;
    private Partition partition;

    @BeforeEach
    void setUp() {
        arena = Arena.ofConfined();
        memory = arena.allocate(SIZE, 4096);
        partition = Partition.of(BASE, memory);
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    private int errno(ThrowingCall call) {
        return assertThrows(ErrnoException.class, call::run).errno();
    }

    private interface ThrowingCall {
        void run() throws ErrnoException;
    }

    /** A uint64 as written in the tables: hex with 0x, or decimal. */
    private static long unsigned(String text) {
        return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseUnsignedLong(text);
    }

    @Test
    void aSliceInsideIsTheGuestMemoryItself() throws ErrnoException {
        MemorySegment s = partition.slice(BASE + 0x10, 8);
        assertEquals(8, s.byteSize());
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, memory.get(ValueLayout.JAVA_LONG_UNALIGNED, 0x10));
        assertEquals(SIZE, partition.slice(BASE, SIZE).byteSize());
        assertEquals(1, partition.slice(BASE + SIZE - 1, 1).byteSize());
        assertEquals(0, partition.slice(BASE + SIZE, 0).byteSize(), "an empty range at the end is inside");
    }

    @ParameterizedTest(name = "gpa {0} length {1}")
    @CsvSource({
        // past the end, by one byte
        "0x100fff, 2", "0x101000, 1", "0x100000, 0x1001",
        // below the base
        "0xfffff, 1", "0xfffff, 2", "0, 0x100100",
        // lengths near 2^64
        "0x100000, 0xffffffffffffffff", "0x100010, 0xfffffffffffffff0", "0x100000, 0x8000000000000000",
        // addresses near 2^64, and ranges whose end wraps around into the partition
        "0xffffffffffffffff, 1", "0xfffffffffffff000, 0x101800", "0xffffffffffffffff, 0x100002",
    })
    void rangesOutsideThePartitionAreEfault(String gpa, String length) {
        long g = unsigned(gpa);
        long l = unsigned(length);
        assertEquals(Errno.EFAULT, errno(() -> partition.slice(g, l)));
    }

    private void put(long gpa, String s, boolean nul) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(b, 0, memory, ValueLayout.JAVA_BYTE, gpa - BASE, b.length);
        if (nul) memory.set(ValueLayout.JAVA_BYTE, gpa - BASE + b.length, (byte) 0);
    }

    @Test
    void aStringIsCopiedOutUpToItsNul() throws ErrnoException {
        put(BASE + 0x100, "/etc/hostname", true);
        assertArrayEquals("/etc/hostname".getBytes(StandardCharsets.UTF_8), partition.readCString(BASE + 0x100, 4096));
        put(BASE + 0x200, "", true);
        assertArrayEquals(new byte[0], partition.readCString(BASE + 0x200, 4096));
    }

    @Test
    void aStringOfExactlyTheLimitFitsAndOneMoreIsTooLong() throws ErrnoException {
        put(BASE, "a".repeat(15), true);
        assertEquals(15, partition.readCString(BASE, 16).length, "15 bytes and a NUL fit in 16");
        put(BASE, "a".repeat(16), true);
        assertEquals(Errno.ENAMETOOLONG, errno(() -> partition.readCString(BASE, 16)));
        memory.fill((byte) 'x');
        assertEquals(
                Errno.ENAMETOOLONG,
                errno(() -> partition.readCString(BASE, 4096)),
                "no NUL within PATH_MAX bytes, and the partition is exactly that long");
    }

    @ParameterizedTest
    @ValueSource(ints = {255, 256, 257, 511, 512, 1000, 4095})
    void aStringLongerThanOneCopiedChunkComesOutWhole(int length) throws ErrnoException {
        memory.fill((byte) 'x'); // bytes after the NUL must not end up in the copy
        String s = "p".repeat(length - 1) + "q";
        put(BASE, s, true);
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), partition.readCString(BASE, 4096));
    }

    @Test
    void aStringRunningOffThePartitionIsEfault() {
        memory.fill((byte) 'x');
        assertEquals(Errno.EFAULT, errno(() -> partition.readCString(BASE + SIZE - 10, 4096)));
        assertEquals(Errno.EFAULT, errno(() -> partition.readCString(BASE + SIZE - 1, 4096)));
    }

    @ParameterizedTest
    @CsvSource({"0x101000", "0xfffff", "0", "0xffffffffffffffff"})
    void aStringOutsideThePartitionIsEfault(String gpa) {
        long g = unsigned(gpa);
        assertEquals(Errno.EFAULT, errno(() -> partition.readCString(g, 4096)));
    }

    @Test
    void aStringIsCopiedOnceSoLaterGuestWritesDoNotChangeIt() throws ErrnoException {
        put(BASE, "safe", true);
        byte[] copy = partition.readCString(BASE, 4096);
        put(BASE, "../../etc/passwd", true);
        assertArrayEquals("safe".getBytes(StandardCharsets.UTF_8), copy);
    }
}
