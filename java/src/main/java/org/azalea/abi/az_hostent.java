package org.azalea.abi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * {@code struct az_hostent} of {@code include/azalea/abi.h}, in jextract's conventions.
 * AZ_OP_GETHOSTBYNAME's answer.
 * {@snippet lang=c :
 * struct az_hostent {
 *     uint32_t count;
 *     uint32_t reserved;
 *     uint16_t family[AZ_HOSTENT_MAX_ADDRS];
 *     uint8_t addr[AZ_HOSTENT_MAX_ADDRS][16];
 * }
 * }
 * Every offset is derived from {@link #layout()}; {@code AbiLayoutTest} checks
 * each against the C compiler.
 */
@SuppressWarnings({"checkstyle:TypeName", "checkstyle:MethodName"})
public class az_hostent {
    az_hostent() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("count"),
            JAVA_INT.withName("reserved"),
            MemoryLayout.sequenceLayout(abi_h.AZ_HOSTENT_MAX_ADDRS(), JAVA_SHORT).withName("family"),
            MemoryLayout.sequenceLayout(abi_h.AZ_HOSTENT_MAX_ADDRS(), MemoryLayout.sequenceLayout(16, JAVA_BYTE)).withName("addr"))
            .withName("az_hostent");

    /** The layout of {@code struct az_hostent}. */
    public static final GroupLayout layout() { return $LAYOUT; }

    // uint32_t count: OUT: addresses below
    private static final OfInt count$LAYOUT = (OfInt) $LAYOUT.select(groupElement("count"));
    private static final long count$OFFSET = $LAYOUT.byteOffset(groupElement("count"));
    public static final OfInt count$layout() { return count$LAYOUT; }
    public static final long count$offset() { return count$OFFSET; }
    public static int count(MemorySegment struct) { return struct.get(count$LAYOUT, count$OFFSET); }
    public static void count(MemorySegment struct, int fieldValue) { struct.set(count$LAYOUT, count$OFFSET, fieldValue); }

    // uint32_t reserved: OUT: 0
    private static final OfInt reserved$LAYOUT = (OfInt) $LAYOUT.select(groupElement("reserved"));
    private static final long reserved$OFFSET = $LAYOUT.byteOffset(groupElement("reserved"));
    public static final OfInt reserved$layout() { return reserved$LAYOUT; }
    public static final long reserved$offset() { return reserved$OFFSET; }
    public static int reserved(MemorySegment struct) { return struct.get(reserved$LAYOUT, reserved$OFFSET); }
    public static void reserved(MemorySegment struct, int fieldValue) { struct.set(reserved$LAYOUT, reserved$OFFSET, fieldValue); }

    // uint16_t family[AZ_HOSTENT_MAX_ADDRS]: OUT: AF_INET or AF_INET6
    private static final SequenceLayout family$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("family"));
    private static final long family$OFFSET = $LAYOUT.byteOffset(groupElement("family"));
    private static final long[] family$DIMS = {abi_h.AZ_HOSTENT_MAX_ADDRS()};
    private static final VarHandle family$ELEM_HANDLE = $LAYOUT.varHandle(groupElement("family"), sequenceElement());
    public static final SequenceLayout family$layout() { return family$LAYOUT; }
    public static final long family$offset() { return family$OFFSET; }
    public static long[] family$dimensions() { return family$DIMS.clone(); }
    public static MemorySegment family(MemorySegment struct) { return struct.asSlice(family$OFFSET, family$LAYOUT.byteSize()); }
    public static void family(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, family$OFFSET, family$LAYOUT.byteSize());
    }
    public static short family(MemorySegment struct, long index0) { return (short) family$ELEM_HANDLE.get(struct, 0L, index0); }
    public static void family(MemorySegment struct, long index0, short fieldValue) { family$ELEM_HANDLE.set(struct, 0L, index0, fieldValue); }

    // uint8_t addr[AZ_HOSTENT_MAX_ADDRS][16]: OUT: network byte order; IPv4 in the first 4
    private static final SequenceLayout addr$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("addr"));
    private static final long addr$OFFSET = $LAYOUT.byteOffset(groupElement("addr"));
    private static final long[] addr$DIMS = {abi_h.AZ_HOSTENT_MAX_ADDRS(), 16};
    private static final VarHandle addr$ELEM_HANDLE = $LAYOUT.varHandle(groupElement("addr"), sequenceElement(), sequenceElement());
    public static final SequenceLayout addr$layout() { return addr$LAYOUT; }
    public static final long addr$offset() { return addr$OFFSET; }
    public static long[] addr$dimensions() { return addr$DIMS.clone(); }
    public static MemorySegment addr(MemorySegment struct) { return struct.asSlice(addr$OFFSET, addr$LAYOUT.byteSize()); }
    public static void addr(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, addr$OFFSET, addr$LAYOUT.byteSize());
    }
    public static byte addr(MemorySegment struct, long index0, long index1) { return (byte) addr$ELEM_HANDLE.get(struct, 0L, index0, index1); }
    public static void addr(MemorySegment struct, long index0, long index1, byte fieldValue) { addr$ELEM_HANDLE.set(struct, 0L, index0, index1, fieldValue); }

    /** Element {@code index} of an array of {@code struct az_hostent}. */
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
