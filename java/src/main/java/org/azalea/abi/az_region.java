package org.azalea.abi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * {@code struct az_region} of {@code include/azalea/abi.h}, in jextract's conventions.
 * The head of an offload region: identity, geometry and the doorbell.
 * {@snippet lang=c :
 * struct az_region {
 *     uint64_t magic;
 *     uint32_t abi_version;
 *     uint32_t features;
 *     uint32_t nchannels;
 *     uint32_t ring_entries;
 *     uint64_t region_gpa;
 *     uint64_t region_size;
 *     uint64_t channel_offset;
 *     uint64_t channel_stride;
 *     uint32_t poll_interval_us;
 *     uint32_t host_state;
 *     uint64_t reserved0[8];
 *     uint32_t doorbell;
 *     uint32_t reserved1[31];
 * }
 * }
 * Every offset is derived from {@link #layout()}; {@code AbiLayoutTest} checks
 * each against the C compiler.
 */
@SuppressWarnings({"checkstyle:TypeName", "checkstyle:MethodName"})
public class az_region {
    az_region() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("magic"),
            JAVA_INT.withName("abi_version"),
            JAVA_INT.withName("features"),
            JAVA_INT.withName("nchannels"),
            JAVA_INT.withName("ring_entries"),
            JAVA_LONG.withName("region_gpa"),
            JAVA_LONG.withName("region_size"),
            JAVA_LONG.withName("channel_offset"),
            JAVA_LONG.withName("channel_stride"),
            JAVA_INT.withName("poll_interval_us"),
            JAVA_INT.withName("host_state"),
            MemoryLayout.sequenceLayout(8, JAVA_LONG).withName("reserved0"),
            JAVA_INT.withName("doorbell"),
            MemoryLayout.sequenceLayout(31, JAVA_INT).withName("reserved1"))
            .withName("az_region");

    /** The layout of {@code struct az_region}. */
    public static final GroupLayout layout() { return $LAYOUT; }

    // uint64_t magic: INIT: AZ_REGION_MAGIC
    private static final OfLong magic$LAYOUT = (OfLong) $LAYOUT.select(groupElement("magic"));
    private static final long magic$OFFSET = $LAYOUT.byteOffset(groupElement("magic"));
    public static final OfLong magic$layout() { return magic$LAYOUT; }
    public static final long magic$offset() { return magic$OFFSET; }
    public static long magic(MemorySegment struct) { return struct.get(magic$LAYOUT, magic$OFFSET); }
    public static void magic(MemorySegment struct, long fieldValue) { struct.set(magic$LAYOUT, magic$OFFSET, fieldValue); }

    // uint32_t abi_version: INIT: AZ_ABI_VERSION
    private static final OfInt abi_version$LAYOUT = (OfInt) $LAYOUT.select(groupElement("abi_version"));
    private static final long abi_version$OFFSET = $LAYOUT.byteOffset(groupElement("abi_version"));
    public static final OfInt abi_version$layout() { return abi_version$LAYOUT; }
    public static final long abi_version$offset() { return abi_version$OFFSET; }
    public static int abi_version(MemorySegment struct) { return struct.get(abi_version$LAYOUT, abi_version$OFFSET); }
    public static void abi_version(MemorySegment struct, int fieldValue) { struct.set(abi_version$LAYOUT, abi_version$OFFSET, fieldValue); }

    // uint32_t features: INIT: AZ_FEATURE_*
    private static final OfInt features$LAYOUT = (OfInt) $LAYOUT.select(groupElement("features"));
    private static final long features$OFFSET = $LAYOUT.byteOffset(groupElement("features"));
    public static final OfInt features$layout() { return features$LAYOUT; }
    public static final long features$offset() { return features$OFFSET; }
    public static int features(MemorySegment struct) { return struct.get(features$LAYOUT, features$OFFSET); }
    public static void features(MemorySegment struct, int fieldValue) { struct.set(features$LAYOUT, features$OFFSET, fieldValue); }

    // uint32_t nchannels: INIT: 1..AZ_MAX_CHANNELS
    private static final OfInt nchannels$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nchannels"));
    private static final long nchannels$OFFSET = $LAYOUT.byteOffset(groupElement("nchannels"));
    public static final OfInt nchannels$layout() { return nchannels$LAYOUT; }
    public static final long nchannels$offset() { return nchannels$OFFSET; }
    public static int nchannels(MemorySegment struct) { return struct.get(nchannels$LAYOUT, nchannels$OFFSET); }
    public static void nchannels(MemorySegment struct, int fieldValue) { struct.set(nchannels$LAYOUT, nchannels$OFFSET, fieldValue); }

    // uint32_t ring_entries: INIT: entries per ring, a power of two
    private static final OfInt ring_entries$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ring_entries"));
    private static final long ring_entries$OFFSET = $LAYOUT.byteOffset(groupElement("ring_entries"));
    public static final OfInt ring_entries$layout() { return ring_entries$LAYOUT; }
    public static final long ring_entries$offset() { return ring_entries$OFFSET; }
    public static int ring_entries(MemorySegment struct) { return struct.get(ring_entries$LAYOUT, ring_entries$OFFSET); }
    public static void ring_entries(MemorySegment struct, int fieldValue) { struct.set(ring_entries$LAYOUT, ring_entries$OFFSET, fieldValue); }

    // uint64_t region_gpa: INIT: guest-physical address of this struct
    private static final OfLong region_gpa$LAYOUT = (OfLong) $LAYOUT.select(groupElement("region_gpa"));
    private static final long region_gpa$OFFSET = $LAYOUT.byteOffset(groupElement("region_gpa"));
    public static final OfLong region_gpa$layout() { return region_gpa$LAYOUT; }
    public static final long region_gpa$offset() { return region_gpa$OFFSET; }
    public static long region_gpa(MemorySegment struct) { return struct.get(region_gpa$LAYOUT, region_gpa$OFFSET); }
    public static void region_gpa(MemorySegment struct, long fieldValue) { struct.set(region_gpa$LAYOUT, region_gpa$OFFSET, fieldValue); }

    // uint64_t region_size: INIT: bytes from region_gpa to the end of the last channel
    private static final OfLong region_size$LAYOUT = (OfLong) $LAYOUT.select(groupElement("region_size"));
    private static final long region_size$OFFSET = $LAYOUT.byteOffset(groupElement("region_size"));
    public static final OfLong region_size$layout() { return region_size$LAYOUT; }
    public static final long region_size$offset() { return region_size$OFFSET; }
    public static long region_size(MemorySegment struct) { return struct.get(region_size$LAYOUT, region_size$OFFSET); }
    public static void region_size(MemorySegment struct, long fieldValue) { struct.set(region_size$LAYOUT, region_size$OFFSET, fieldValue); }

    // uint64_t channel_offset: INIT: from region base to channel 0
    private static final OfLong channel_offset$LAYOUT = (OfLong) $LAYOUT.select(groupElement("channel_offset"));
    private static final long channel_offset$OFFSET = $LAYOUT.byteOffset(groupElement("channel_offset"));
    public static final OfLong channel_offset$layout() { return channel_offset$LAYOUT; }
    public static final long channel_offset$offset() { return channel_offset$OFFSET; }
    public static long channel_offset(MemorySegment struct) { return struct.get(channel_offset$LAYOUT, channel_offset$OFFSET); }
    public static void channel_offset(MemorySegment struct, long fieldValue) { struct.set(channel_offset$LAYOUT, channel_offset$OFFSET, fieldValue); }

    // uint64_t channel_stride: INIT: from one channel to the next
    private static final OfLong channel_stride$LAYOUT = (OfLong) $LAYOUT.select(groupElement("channel_stride"));
    private static final long channel_stride$OFFSET = $LAYOUT.byteOffset(groupElement("channel_stride"));
    public static final OfLong channel_stride$layout() { return channel_stride$LAYOUT; }
    public static final long channel_stride$offset() { return channel_stride$OFFSET; }
    public static long channel_stride(MemorySegment struct) { return struct.get(channel_stride$LAYOUT, channel_stride$OFFSET); }
    public static void channel_stride(MemorySegment struct, long fieldValue) { struct.set(channel_stride$LAYOUT, channel_stride$OFFSET, fieldValue); }

    // uint32_t poll_interval_us: INIT: longest a sleeping proxy waits before re-polling
    private static final OfInt poll_interval_us$LAYOUT = (OfInt) $LAYOUT.select(groupElement("poll_interval_us"));
    private static final long poll_interval_us$OFFSET = $LAYOUT.byteOffset(groupElement("poll_interval_us"));
    public static final OfInt poll_interval_us$layout() { return poll_interval_us$LAYOUT; }
    public static final long poll_interval_us$offset() { return poll_interval_us$OFFSET; }
    public static int poll_interval_us(MemorySegment struct) { return struct.get(poll_interval_us$LAYOUT, poll_interval_us$OFFSET); }
    public static void poll_interval_us(MemorySegment struct, int fieldValue) { struct.set(poll_interval_us$LAYOUT, poll_interval_us$OFFSET, fieldValue); }

    // uint32_t host_state: OUT: AZ_HOST_*
    private static final OfInt host_state$LAYOUT = (OfInt) $LAYOUT.select(groupElement("host_state"));
    private static final long host_state$OFFSET = $LAYOUT.byteOffset(groupElement("host_state"));
    public static final OfInt host_state$layout() { return host_state$LAYOUT; }
    public static final long host_state$offset() { return host_state$OFFSET; }
    public static int host_state(MemorySegment struct) { return struct.get(host_state$LAYOUT, host_state$OFFSET); }
    public static void host_state(MemorySegment struct, int fieldValue) { struct.set(host_state$LAYOUT, host_state$OFFSET, fieldValue); }

    // uint64_t reserved0[8]
    private static final SequenceLayout reserved0$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("reserved0"));
    private static final long reserved0$OFFSET = $LAYOUT.byteOffset(groupElement("reserved0"));
    private static final long[] reserved0$DIMS = {8};
    private static final VarHandle reserved0$ELEM_HANDLE = $LAYOUT.varHandle(groupElement("reserved0"), sequenceElement());
    public static final SequenceLayout reserved0$layout() { return reserved0$LAYOUT; }
    public static final long reserved0$offset() { return reserved0$OFFSET; }
    public static long[] reserved0$dimensions() { return reserved0$DIMS.clone(); }
    public static MemorySegment reserved0(MemorySegment struct) { return struct.asSlice(reserved0$OFFSET, reserved0$LAYOUT.byteSize()); }
    public static void reserved0(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, reserved0$OFFSET, reserved0$LAYOUT.byteSize());
    }
    public static long reserved0(MemorySegment struct, long index0) { return (long) reserved0$ELEM_HANDLE.get(struct, 0L, index0); }
    public static void reserved0(MemorySegment struct, long index0, long fieldValue) { reserved0$ELEM_HANDLE.set(struct, 0L, index0, fieldValue); }

    // uint32_t doorbell: IN: futex word the proxy sleeps on (its own cache-line pair)
    private static final OfInt doorbell$LAYOUT = (OfInt) $LAYOUT.select(groupElement("doorbell"));
    private static final long doorbell$OFFSET = $LAYOUT.byteOffset(groupElement("doorbell"));
    public static final OfInt doorbell$layout() { return doorbell$LAYOUT; }
    public static final long doorbell$offset() { return doorbell$OFFSET; }
    public static int doorbell(MemorySegment struct) { return struct.get(doorbell$LAYOUT, doorbell$OFFSET); }
    public static void doorbell(MemorySegment struct, int fieldValue) { struct.set(doorbell$LAYOUT, doorbell$OFFSET, fieldValue); }

    // uint32_t reserved1[31]
    private static final SequenceLayout reserved1$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("reserved1"));
    private static final long reserved1$OFFSET = $LAYOUT.byteOffset(groupElement("reserved1"));
    private static final long[] reserved1$DIMS = {31};
    private static final VarHandle reserved1$ELEM_HANDLE = $LAYOUT.varHandle(groupElement("reserved1"), sequenceElement());
    public static final SequenceLayout reserved1$layout() { return reserved1$LAYOUT; }
    public static final long reserved1$offset() { return reserved1$OFFSET; }
    public static long[] reserved1$dimensions() { return reserved1$DIMS.clone(); }
    public static MemorySegment reserved1(MemorySegment struct) { return struct.asSlice(reserved1$OFFSET, reserved1$LAYOUT.byteSize()); }
    public static void reserved1(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, reserved1$OFFSET, reserved1$LAYOUT.byteSize());
    }
    public static int reserved1(MemorySegment struct, long index0) { return (int) reserved1$ELEM_HANDLE.get(struct, 0L, index0); }
    public static void reserved1(MemorySegment struct, long index0, int fieldValue) { reserved1$ELEM_HANDLE.set(struct, 0L, index0, fieldValue); }

    /** Element {@code index} of an array of {@code struct az_region}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index, layout().byteSize());
    }

    public static long sizeof() { return layout().byteSize(); }

    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate(layout()); }

    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return reinterpret(addr, 1, arena, cleanup);
    }

    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena,
            Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
    }
}
