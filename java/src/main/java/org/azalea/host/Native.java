package org.azalea.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The one place that links libc functions.  Every handle that can fail is
 * linked with {@code captureCallState("errno")}, so it takes a capture segment
 * as its first argument and errno is read right after the call, before the JVM
 * can run anything that clobbers it.
 *
 * <p>The Libc* classes return the kernel's convention: a result {@code >= 0},
 * or {@code -errno}.  No exception on the hot path: an EAGAIN is an ordinary
 * answer for a non-blocking socket.
 */
@SuppressWarnings("restricted")
public final class Native {
    private Native() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CAPTURE.byteOffset(groupElement("errno"));

    /** One capture segment per thread: allocated once, reused by every call on that thread. */
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    /** Links {@code name}, capturing errno; the handle's first parameter is the capture segment. */
    static MethodHandle errnoCall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        return link(name, descriptor, options);
    }

    /** Links a variadic function whose fixed parameters are the first {@code fixedArgs}. */
    static MethodHandle variadicErrnoCall(String name, int fixedArgs, FunctionDescriptor descriptor) {
        return errnoCall(name, descriptor, Linker.Option.firstVariadicArg(fixedArgs));
    }

    private static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol =
                LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name + "()"));
        try {
            return LINKER.downcallHandle(symbol, descriptor, options);
        } catch (IllegalCallerException e) {
            throw new IllegalCallerException(
                    "native access is disabled: run the JVM with "
                            + "--enable-native-access=ALL-UNNAMED (bin/azalea and the pom do)",
                    e);
        }
    }

    /** This thread's errno capture segment: pass it as the first argument of an errno handle. */
    static MemorySegment state() {
        return STATE.get();
    }

    /** The kernel convention: {@code r} itself, or {@code -errno} when the call returned -1. */
    static long result(long r, MemorySegment state) {
        return r == -1 ? -(long) state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET) : r;
    }

    /** invokeExact declares Throwable; our handles throw only what the JVM throws. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native call failed", t);
    }
}
