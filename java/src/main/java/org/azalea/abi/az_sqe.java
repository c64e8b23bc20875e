package org.azalea.abi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.foreign.ValueLayout.OfShort;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * {@code struct az_sqe} of {@code include/azalea/abi.h}, in jextract's conventions.
 * A submission: one offloaded system call (64 bytes, one cache line).
 * {@snippet lang=c :
 * struct az_sqe {
 *     uint32_t seq;
 *     uint16_t opcode;
 *     uint16_t flags;
 *     uint64_t id;
 *     uint64_t args[6];
 * }
 * }
 * Every offset is derived from {@link #layout()}; {@code AbiLayoutTest} checks
 * each against the C compiler.
 */
@SuppressWarnings({"checkstyle:TypeName", "checkstyle:MethodName"})
public class az_sqe {
    az_sqe() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("seq"),
            JAVA_SHORT.withName("opcode"),
            JAVA_SHORT.withName("flags"),
            JAVA_LONG.withName("id"),
            MemoryLayout.sequenceLayout(6, JAVA_LONG).withName("args"))
            .withName("az_sqe");

    /** The layout of {@code struct az_sqe}. */
    public static final GroupLayout layout() { return $LAYOUT; }

    // uint32_t seq: IN: pos + 1 once the entry is complete (release)
    private static final OfInt seq$LAYOUT = (OfInt) $LAYOUT.select(groupElement("seq"));
    private static final long seq$OFFSET = $LAYOUT.byteOffset(groupElement("seq"));
    public static final OfInt seq$layout() { return seq$LAYOUT; }
    public static final long seq$offset() { return seq$OFFSET; }
    public static int seq(MemorySegment struct) { return struct.get(seq$LAYOUT, seq$OFFSET); }
    public static void seq(MemorySegment struct, int fieldValue) { struct.set(seq$LAYOUT, seq$OFFSET, fieldValue); }

    // uint16_t opcode: IN: AZ_OP_*
    private static final OfShort opcode$LAYOUT = (OfShort) $LAYOUT.select(groupElement("opcode"));
    private static final long opcode$OFFSET = $LAYOUT.byteOffset(groupElement("opcode"));
    public static final OfShort opcode$layout() { return opcode$LAYOUT; }
    public static final long opcode$offset() { return opcode$OFFSET; }
    public static short opcode(MemorySegment struct) { return struct.get(opcode$LAYOUT, opcode$OFFSET); }
    public static void opcode(MemorySegment struct, short fieldValue) { struct.set(opcode$LAYOUT, opcode$OFFSET, fieldValue); }

    // uint16_t flags: IN: must be 0
    private static final OfShort flags$LAYOUT = (OfShort) $LAYOUT.select(groupElement("flags"));
    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static final OfShort flags$layout() { return flags$LAYOUT; }
    public static final long flags$offset() { return flags$OFFSET; }
    public static short flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, short fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

    // uint64_t id: IN: correlation id, echoed in the completion
    private static final OfLong id$LAYOUT = (OfLong) $LAYOUT.select(groupElement("id"));
    private static final long id$OFFSET = $LAYOUT.byteOffset(groupElement("id"));
    public static final OfLong id$layout() { return id$LAYOUT; }
    public static final long id$offset() { return id$OFFSET; }
    public static long id(MemorySegment struct) { return struct.get(id$LAYOUT, id$OFFSET); }
    public static void id(MemorySegment struct, long fieldValue) { struct.set(id$LAYOUT, id$OFFSET, fieldValue); }

    // uint64_t args[6]: IN: the Linux syscall arguments, pointers as guest-physical addresses
    private static final SequenceLayout args$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("args"));
    private static final long args$OFFSET = $LAYOUT.byteOffset(groupElement("args"));
    private static final long[] args$DIMS = {6};
    private static final VarHandle args$ELEM_HANDLE = $LAYOUT.varHandle(groupElement("args"), sequenceElement());
    public static final SequenceLayout args$layout() { return args$LAYOUT; }
    public static final long args$offset() { return args$OFFSET; }
    public static long[] args$dimensions() { return args$DIMS.clone(); }
    public static MemorySegment args(MemorySegment struct) { return struct.asSlice(args$OFFSET, args$LAYOUT.byteSize()); }
    public static void args(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, args$OFFSET, args$LAYOUT.byteSize());
    }
    public static long args(MemorySegment struct, long index0) { return (long) args$ELEM_HANDLE.get(struct, 0L, index0); }
    public static void args(MemorySegment struct, long index0, long fieldValue) { args$ELEM_HANDLE.set(struct, 0L, index0, fieldValue); }

    /** Element {@code index} of an array of {@code struct az_sqe}. */
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
