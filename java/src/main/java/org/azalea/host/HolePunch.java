package org.azalea.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Frees a range of a shared-memory file: fallocate(PUNCH_HOLE | KEEP_SIZE).
 * Every mapping of the file (the guest's, through QEMU, and the host's) then
 * reads zeros there, and the pages go back to the host: scrubbing a 512 MiB
 * partition costs a system call instead of writing every page.
 */
public final class HolePunch {
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;

    private static final MethodHandle OPEN = Native.variadicErrnoCall("open", 2,
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FALLOCATE = Native.errnoCall("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle CLOSE = Native.errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private HolePunch() {}

    /**
     * Punches [offset, offset + length) out of {@code file}.
     *
     * @return 0, or -errno (e.g. -EOPNOTSUPP on a file system without hole punching: the caller zeroes instead)
     */
    public static int punch(Path file, long offset, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(file.toString());
            MemorySegment st = Native.state();
            int fd = (int) Native.result((int) OPEN.invokeExact(st, path, O_RDWR | O_CLOEXEC, 0), st);
            if (fd < 0) return fd;
            try {
                return (int) Native.result((int) FALLOCATE.invokeExact(st, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                        offset, length), st);
            } finally {
                int unused = (int) CLOSE.invokeExact(st, fd);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
