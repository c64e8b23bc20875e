package org.azalea.abi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.util.function.Consumer;

/**
 * {@code struct az_cqe} of {@code include/azalea/abi.h}, in jextract's conventions.
 * A completion (32 bytes, two per cache line).
 * {@snippet lang=c :
 * struct az_cqe {
 *     uint64_t id;
 *     int64_t result;
 *     uint32_t seq;
 *     uint32_t flags;
 *     uint64_t reserved;
 * }
 * }
 * Every offset is derived from {@link #layout()}; {@code AbiLayoutTest} checks
 * each against the C compiler.
 */
@SuppressWarnings({"checkstyle:TypeName", "checkstyle:MethodName"})
public class az_cqe {
    az_cqe() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("id"),
            JAVA_LONG.withName("result"),
            JAVA_INT.withName("seq"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("reserved"))
            .withName("az_cqe");

    /** The layout of {@code struct az_cqe}. */
    public static final GroupLayout layout() { return $LAYOUT; }

    // uint64_t id: OUT: the submission's id
    private static final OfLong id$LAYOUT = (OfLong) $LAYOUT.select(groupElement("id"));
    private static final long id$OFFSET = $LAYOUT.byteOffset(groupElement("id"));
    public static final OfLong id$layout() { return id$LAYOUT; }
    public static final long id$offset() { return id$OFFSET; }
    public static long id(MemorySegment struct) { return struct.get(id$LAYOUT, id$OFFSET); }
    public static void id(MemorySegment struct, long fieldValue) { struct.set(id$LAYOUT, id$OFFSET, fieldValue); }

    // int64_t result: OUT: >= 0 on success, or -errno
    private static final OfLong result$LAYOUT = (OfLong) $LAYOUT.select(groupElement("result"));
    private static final long result$OFFSET = $LAYOUT.byteOffset(groupElement("result"));
    public static final OfLong result$layout() { return result$LAYOUT; }
    public static final long result$offset() { return result$OFFSET; }
    public static long result(MemorySegment struct) { return struct.get(result$LAYOUT, result$OFFSET); }
    public static void result(MemorySegment struct, long fieldValue) { struct.set(result$LAYOUT, result$OFFSET, fieldValue); }

    // uint32_t seq: OUT: pos + 1 once the entry is complete (release)
    private static final OfInt seq$LAYOUT = (OfInt) $LAYOUT.select(groupElement("seq"));
    private static final long seq$OFFSET = $LAYOUT.byteOffset(groupElement("seq"));
    public static final OfInt seq$layout() { return seq$LAYOUT; }
    public static final long seq$offset() { return seq$OFFSET; }
    public static int seq(MemorySegment struct) { return struct.get(seq$LAYOUT, seq$OFFSET); }
    public static void seq(MemorySegment struct, int fieldValue) { struct.set(seq$LAYOUT, seq$OFFSET, fieldValue); }

    // uint32_t flags: OUT: must be ignored; 0 today
    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));
    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static final OfInt flags$layout() { return flags$LAYOUT; }
    public static final long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

    // uint64_t reserved: OUT: 0
    private static final OfLong reserved$LAYOUT = (OfLong) $LAYOUT.select(groupElement("reserved"));
    private static final long reserved$OFFSET = $LAYOUT.byteOffset(groupElement("reserved"));
    public static final OfLong reserved$layout() { return reserved$LAYOUT; }
    public static final long reserved$offset() { return reserved$OFFSET; }
    public static long reserved(MemorySegment struct) { return struct.get(reserved$LAYOUT, reserved$OFFSET); }
    public static void reserved(MemorySegment struct, long fieldValue) { struct.set(reserved$LAYOUT, reserved$OFFSET, fieldValue); }

    /** Element {@code index} of an array of {@code struct az_cqe}. */
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
