package org.azalea.abi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

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
 * {@code struct az_channel} of {@code include/azalea/abi.h}, in jextract's conventions.
 * One channel's ring indices; each side's index on its own cache-line pair.
 * {@snippet lang=c :
 * struct az_channel {
 *     uint32_t sq_tail;
 *     uint32_t reserved_sq_tail[31];
 *     uint32_t sq_head;
 *     uint32_t flags;
 *     uint32_t reserved_sq_head[30];
 *     uint32_t cq_tail;
 *     uint32_t reserved_cq_tail[31];
 *     uint32_t cq_head;
 *     uint32_t reserved_cq_head[31];
 * }
 * }
 * Every offset is derived from {@link #layout()}; {@code AbiLayoutTest} checks
 * each against the C compiler.
 */
@SuppressWarnings({"checkstyle:TypeName", "checkstyle:MethodName"})
public class az_channel {
    az_channel() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_tail"),
            MemoryLayout.sequenceLayout(31, JAVA_INT).withName("reserved_sq_tail"),
            JAVA_INT.withName("sq_head"),
            JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(30, JAVA_INT).withName("reserved_sq_head"),
            JAVA_INT.withName("cq_tail"),
            MemoryLayout.sequenceLayout(31, JAVA_INT).withName("reserved_cq_tail"),
            JAVA_INT.withName("cq_head"),
            MemoryLayout.sequenceLayout(31, JAVA_INT).withName("reserved_cq_head"))
            .withName("az_channel");

    /** The layout of {@code struct az_channel}. */
    public static final GroupLayout layout() { return $LAYOUT; }

    // uint32_t sq_tail: IN: positions published so far (lines 0-1: submission producer)
    private static final OfInt sq_tail$LAYOUT = (OfInt) $LAYOUT.select(groupElement("sq_tail"));
    private static final long sq_tail$OFFSET = $LAYOUT.byteOffset(groupElement("sq_tail"));
    public static final OfInt sq_tail$layout() { return sq_tail$LAYOUT; }
    public static final long sq_tail$offset() { return sq_tail$OFFSET; }
    public static int sq_tail(MemorySegment struct) { return struct.get(sq_tail$LAYOUT, sq_tail$OFFSET); }
    public static void sq_tail(MemorySegment struct, int fieldValue) { struct.set(sq_tail$LAYOUT, sq_tail$OFFSET, fieldValue); }

    // uint32_t reserved_sq_tail[31]
    private static final SequenceLayout reserved_sq_tail$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("reserved_sq_tail"));
    private static final long reserved_sq_tail$OFFSET = $LAYOUT.byteOffset(groupElement("reserved_sq_tail"));
    private static final long[] reserved_sq_tail$DIMS = {31};
    private static final VarHandle reserved_sq_tail$ELEM_HANDLE = $LAYOUT.varHandle(groupElement("reserved_sq_tail"), sequenceElement());
    public static final SequenceLayout reserved_sq_tail$layout() { return reserved_sq_tail$LAYOUT; }
    public static final long reserved_sq_tail$offset() { return reserved_sq_tail$OFFSET; }
    public static long[] reserved_sq_tail$dimensions() { return reserved_sq_tail$DIMS.clone(); }
    public static MemorySegment reserved_sq_tail(MemorySegment struct) { return struct.asSlice(reserved_sq_tail$OFFSET, reserved_sq_tail$LAYOUT.byteSize()); }
    public static void reserved_sq_tail(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, reserved_sq_tail$OFFSET, reserved_sq_tail$LAYOUT.byteSize());
    }
    public static int reserved_sq_tail(MemorySegment struct, long index0) { return (int) reserved_sq_tail$ELEM_HANDLE.get(struct, 0L, index0); }
    public static void reserved_sq_tail(MemorySegment struct, long index0, int fieldValue) { reserved_sq_tail$ELEM_HANDLE.set(struct, 0L, index0, fieldValue); }

    // uint32_t sq_head: OUT: positions consumed (lines 2-3: submission consumer)
    private static final OfInt sq_head$LAYOUT = (OfInt) $LAYOUT.select(groupElement("sq_head"));
    private static final long sq_head$OFFSET = $LAYOUT.byteOffset(groupElement("sq_head"));
    public static final OfInt sq_head$layout() { return sq_head$LAYOUT; }
    public static final long sq_head$offset() { return sq_head$OFFSET; }
    public static int sq_head(MemorySegment struct) { return struct.get(sq_head$LAYOUT, sq_head$OFFSET); }
    public static void sq_head(MemorySegment struct, int fieldValue) { struct.set(sq_head$LAYOUT, sq_head$OFFSET, fieldValue); }

    // uint32_t flags: OUT: AZ_CHANNEL_*
    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));
    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static final OfInt flags$layout() { return flags$LAYOUT; }
    public static final long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

    // uint32_t reserved_sq_head[30]
    private static final SequenceLayout reserved_sq_head$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("reserved_sq_head"));
    private static final long reserved_sq_head$OFFSET = $LAYOUT.byteOffset(groupElement("reserved_sq_head"));
    private static final long[] reserved_sq_head$DIMS = {30};
    private static final VarHandle reserved_sq_head$ELEM_HANDLE = $LAYOUT.varHandle(groupElement("reserved_sq_head"), sequenceElement());
    public static final SequenceLayout reserved_sq_head$layout() { return reserved_sq_head$LAYOUT; }
    public static final long reserved_sq_head$offset() { return reserved_sq_head$OFFSET; }
    public static long[] reserved_sq_head$dimensions() { return reserved_sq_head$DIMS.clone(); }
    public static MemorySegment reserved_sq_head(MemorySegment struct) { return struct.asSlice(reserved_sq_head$OFFSET, reserved_sq_head$LAYOUT.byteSize()); }
    public static void reserved_sq_head(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, reserved_sq_head$OFFSET, reserved_sq_head$LAYOUT.byteSize());
    }
    public static int reserved_sq_head(MemorySegment struct, long index0) { return (int) reserved_sq_head$ELEM_HANDLE.get(struct, 0L, index0); }
    public static void reserved_sq_head(MemorySegment struct, long index0, int fieldValue) { reserved_sq_head$ELEM_HANDLE.set(struct, 0L, index0, fieldValue); }

    // uint32_t cq_tail: OUT: completions published so far (lines 4-5: completion producer)
    private static final OfInt cq_tail$LAYOUT = (OfInt) $LAYOUT.select(groupElement("cq_tail"));
    private static final long cq_tail$OFFSET = $LAYOUT.byteOffset(groupElement("cq_tail"));
    public static final OfInt cq_tail$layout() { return cq_tail$LAYOUT; }
    public static final long cq_tail$offset() { return cq_tail$OFFSET; }
    public static int cq_tail(MemorySegment struct) { return struct.get(cq_tail$LAYOUT, cq_tail$OFFSET); }
    public static void cq_tail(MemorySegment struct, int fieldValue) { struct.set(cq_tail$LAYOUT, cq_tail$OFFSET, fieldValue); }

    // uint32_t reserved_cq_tail[31]
    private static final SequenceLayout reserved_cq_tail$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("reserved_cq_tail"));
    private static final long reserved_cq_tail$OFFSET = $LAYOUT.byteOffset(groupElement("reserved_cq_tail"));
    private static final long[] reserved_cq_tail$DIMS = {31};
    private static final VarHandle reserved_cq_tail$ELEM_HANDLE = $LAYOUT.varHandle(groupElement("reserved_cq_tail"), sequenceElement());
    public static final SequenceLayout reserved_cq_tail$layout() { return reserved_cq_tail$LAYOUT; }
    public static final long reserved_cq_tail$offset() { return reserved_cq_tail$OFFSET; }
    public static long[] reserved_cq_tail$dimensions() { return reserved_cq_tail$DIMS.clone(); }
    public static MemorySegment reserved_cq_tail(MemorySegment struct) { return struct.asSlice(reserved_cq_tail$OFFSET, reserved_cq_tail$LAYOUT.byteSize()); }
    public static void reserved_cq_tail(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, reserved_cq_tail$OFFSET, reserved_cq_tail$LAYOUT.byteSize());
    }
    public static int reserved_cq_tail(MemorySegment struct, long index0) { return (int) reserved_cq_tail$ELEM_HANDLE.get(struct, 0L, index0); }
    public static void reserved_cq_tail(MemorySegment struct, long index0, int fieldValue) { reserved_cq_tail$ELEM_HANDLE.set(struct, 0L, index0, fieldValue); }

    // uint32_t cq_head: IN: completions consumed (lines 6-7: completion consumer)
    private static final OfInt cq_head$LAYOUT = (OfInt) $LAYOUT.select(groupElement("cq_head"));
    private static final long cq_head$OFFSET = $LAYOUT.byteOffset(groupElement("cq_head"));
    public static final OfInt cq_head$layout() { return cq_head$LAYOUT; }
    public static final long cq_head$offset() { return cq_head$OFFSET; }
    public static int cq_head(MemorySegment struct) { return struct.get(cq_head$LAYOUT, cq_head$OFFSET); }
    public static void cq_head(MemorySegment struct, int fieldValue) { struct.set(cq_head$LAYOUT, cq_head$OFFSET, fieldValue); }

    // uint32_t reserved_cq_head[31]
    private static final SequenceLayout reserved_cq_head$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("reserved_cq_head"));
    private static final long reserved_cq_head$OFFSET = $LAYOUT.byteOffset(groupElement("reserved_cq_head"));
    private static final long[] reserved_cq_head$DIMS = {31};
    private static final VarHandle reserved_cq_head$ELEM_HANDLE = $LAYOUT.varHandle(groupElement("reserved_cq_head"), sequenceElement());
    public static final SequenceLayout reserved_cq_head$layout() { return reserved_cq_head$LAYOUT; }
    public static final long reserved_cq_head$offset() { return reserved_cq_head$OFFSET; }
    public static long[] reserved_cq_head$dimensions() { return reserved_cq_head$DIMS.clone(); }
    public static MemorySegment reserved_cq_head(MemorySegment struct) { return struct.asSlice(reserved_cq_head$OFFSET, reserved_cq_head$LAYOUT.byteSize()); }
    public static void reserved_cq_head(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, reserved_cq_head$OFFSET, reserved_cq_head$LAYOUT.byteSize());
    }
    public static int reserved_cq_head(MemorySegment struct, long index0) { return (int) reserved_cq_head$ELEM_HANDLE.get(struct, 0L, index0); }
    public static void reserved_cq_head(MemorySegment struct, long index0, int fieldValue) { reserved_cq_head$ELEM_HANDLE.set(struct, 0L, index0, fieldValue); }

    /** Element {@code index} of an array of {@code struct az_channel}. */
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
