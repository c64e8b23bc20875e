package org.azalea.ring;

import static org.azalea.abi.abi_h.AZ_ABI_VERSION;
import static org.azalea.abi.abi_h.AZ_FEATURE_FUTEX_DOORBELL;
import static org.azalea.abi.abi_h.AZ_FEATURE_TIMED_POLL;
import static org.azalea.abi.abi_h.AZ_HOST_STOPPED;
import static org.azalea.abi.abi_h.AZ_REGION_MAGIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_cqe;
import org.azalea.abi.az_region;
import org.azalea.abi.az_sqe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegionTest {
    private static final long GPA = 0x40_0000;

    @Test
    void formatWritesEveryInitFieldAndZeroedChannels() {
        try (ShmRegion shm = ShmRegion.create(3, 8, 500)) {
            Region r = shm.region;
            MemorySegment m = r.memory();
            assertEquals(AZ_REGION_MAGIC(), az_region.magic(m));
            assertEquals(AZ_ABI_VERSION(), az_region.abi_version(m));
            assertEquals(AZ_FEATURE_FUTEX_DOORBELL() | AZ_FEATURE_TIMED_POLL(), az_region.features(m));
            assertEquals(3, az_region.nchannels(m));
            assertEquals(8, az_region.ring_entries(m));
            assertEquals(ShmRegion.GPA, az_region.region_gpa(m));
            assertEquals(Region.sizeFor(3, 8), az_region.region_size(m));
            assertEquals(500, az_region.poll_interval_us(m));
            assertEquals(AZ_HOST_STOPPED(), az_region.host_state(m));
            long stride = az_region.channel_stride(m);
            assertTrue(stride >= az_channel.sizeof() + 8 * (az_sqe.sizeof() + az_cqe.sizeof()));
            assertEquals(0, stride % 64);
            assertEquals(az_region.channel_offset(m) + 3 * stride, az_region.region_size(m));
            for (int i = 0; i < 3; i++) {
                Channel ch = r.channel(i);
                long base = m.address() + az_region.channel_offset(m) + i * stride;
                assertEquals(base, ch.header().address());
                assertEquals(base + az_channel.sizeof(), ch.sq().address());
                assertEquals(
                        base + az_channel.sizeof() + 8 * az_sqe.sizeof(),
                        ch.cq().address());
                MemorySegment whole = m.asSlice(ch.header().address() - m.address(), stride);
                for (long b = 0; b < stride; b++)
                    assertEquals(0, whole.get(java.lang.foreign.ValueLayout.JAVA_BYTE, b));
            }
        }
    }

    @Test
    void attachReadsBackTheSameGeometry() {
        try (ShmRegion shm = ShmRegion.create(2, 16, 1000)) {
            Region a = Region.attach(shm.region.memory(), ShmRegion.GPA);
            assertEquals(2, a.nchannels());
            assertEquals(16, a.ringEntries());
            assertEquals(1000, a.pollIntervalUs());
            assertEquals(shm.region.size(), a.size());
            assertEquals(shm.region.channel(1).sq().address(), a.channel(1).sq().address());
        }
    }

    @Test
    void formatChecksItsArguments() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(1 << 20, 4096);
            assertThrows(IllegalArgumentException.class, () -> Region.format(mem, GPA, 0, 8, 100));
            assertThrows(IllegalArgumentException.class, () -> Region.format(mem, GPA, 257, 8, 100));
            assertThrows(IllegalArgumentException.class, () -> Region.format(mem, GPA, 1, 3, 100));
            assertThrows(IllegalArgumentException.class, () -> Region.format(mem, GPA, 1, 1, 100));
            assertThrows(IllegalArgumentException.class, () -> Region.format(mem, GPA, 1, 8192, 100));
            assertThrows(IllegalArgumentException.class, () -> Region.format(mem, GPA, 1, 8, 0));
            assertThrows(IllegalArgumentException.class, () -> Region.format(mem, GPA + 64, 1, 8, 100));
            assertThrows(IllegalArgumentException.class, () -> Region.format(mem.asSlice(0, 1024), GPA, 1, 8, 100));
            assertThrows(IllegalArgumentException.class, () -> Region.format(mem.asSlice(8), GPA, 1, 8, 100));
            MemorySegment heap = MemorySegment.ofArray(new long[1 << 16]);
            assertThrows(IllegalArgumentException.class, () -> Region.format(heap, GPA, 1, 8, 100));
        }
    }

    static Stream<Arguments> hostileHeaders() {
        return Stream.of(
                hostile("bad magic", m -> az_region.magic(m, 0x1234), "0x1234"),
                hostile("future version", m -> az_region.abi_version(m, 7), "abi_version 7"),
                hostile("no channels", m -> az_region.nchannels(m, 0), "nchannels 0"),
                hostile("too many channels", m -> az_region.nchannels(m, 100000), "nchannels 100000"),
                hostile("negative channels", m -> az_region.nchannels(m, -1), "nchannels 4294967295"),
                hostile("entries not a power of two", m -> az_region.ring_entries(m, 6), "ring_entries 6"),
                hostile("too many entries", m -> az_region.ring_entries(m, 1 << 20), "ring_entries 1048576"),
                hostile("elsewhere", m -> az_region.region_gpa(m, GPA + 4096), "0x401000"),
                hostile("channels overlap header", m -> az_region.channel_offset(m, 64), "channel_offset 64"),
                hostile("unaligned channels", m -> az_region.channel_offset(m, 260), "channel_offset 260"),
                hostile(
                        "channels past the end",
                        m -> az_region.channel_offset(m, 1L << 40),
                        "channel_offset 1099511627776"),
                hostile(
                        "channel offset 2^64-1",
                        m -> az_region.channel_offset(m, -1),
                        "channel_offset 18446744073709551615"),
                hostile("stride too small", m -> az_region.channel_stride(m, 512), "channel_stride 512"),
                hostile("stride wraps", m -> az_region.channel_stride(m, 1L << 62), "stride 4611686018427387904"),
                hostile("stride 2^64-64", m -> az_region.channel_stride(m, -64), "stride 18446744073709551552"),
                hostile("size lies", m -> az_region.region_size(m, az_region.region_size(m) + 64), "region_size"),
                hostile("no re-poll", m -> az_region.poll_interval_us(m, 0), "poll_interval_us 0"),
                hostile("re-poll forever", m -> az_region.poll_interval_us(m, -1), "poll_interval_us 4294967295"));
    }

    private static Arguments hostile(String what, Consumer<MemorySegment> corrupt, String named) {
        return Arguments.of(what, corrupt, named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileHeaders")
    void attachRejectsAHostileHeaderNamingTheValue(String what, Consumer<MemorySegment> corrupt, String named) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(Region.sizeFor(4, 8), 4096);
            Region.format(mem, GPA, 4, 8, 100);
            corrupt.accept(mem);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Region.attach(mem, GPA));
            assertTrue(
                    e.getMessage().contains(named), what + ": message '" + e.getMessage() + "' does not name " + named);
        }
    }

    @Test
    void attachRejectsARegionLargerThanItsSegment() {
        try (Arena arena = Arena.ofConfined()) {
            long size = Region.sizeFor(4, 8);
            MemorySegment mem = arena.allocate(size, 4096);
            Region.format(mem, GPA, 4, 8, 100);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Region.attach(mem.asSlice(0, size - 64), GPA));
            assertTrue(e.getMessage().contains(String.valueOf(size - 64)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Region.attach(mem.asSlice(0, 100), GPA));
        }
    }
}
