package org.azalea.host;

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
    private static final MethodHandle FALLOCATE =
            Native.errnoCall("fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));

    private HolePunch() {}

    /**
     * Punches [offset, offset + length) out of {@code file}.
     *
     * @return 0, or -errno (e.g. -EOPNOTSUPP on a file system without hole punching: the caller zeroes instead)
     */
    public static int punch(Path file, long offset, long length) {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) LibcPaths.open(arena.allocateFrom(file.toString()), Linux.O_RDWR | Linux.O_CLOEXEC, 0);
        }
        if (fd < 0) return fd;
        try {
            MemorySegment st = Native.state();
            return (int) Native.result(
                    (int) FALLOCATE.invokeExact(
                            st, fd, Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, offset, length),
                    st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            LibcIo.close(fd);
        }
    }
}
