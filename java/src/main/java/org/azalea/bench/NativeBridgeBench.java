package org.azalea.bench;

import com.sun.jna.Native;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The same trivial native call, getppid(2), from Java through FFM and through
 * JNA: the design card names both bridges; this shows which belongs on the
 * proxy's hot path.  Each sample is the mean of a batch of calls, because one
 * call is shorter than the clock's own overhead.
 */
public final class NativeBridgeBench {
    private static final int BATCH = 1_000;
    private static final int SAMPLES = 300;
    private static final int WARMUP_BATCHES = 300; // ~300k calls: past C2 compilation

    private static final MethodHandle FFM_GETPPID = Linker.nativeLinker()
            .downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("getppid").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT),
                    Linker.Option.critical(false));

    /** JNA direct mapping: the fastest way JNA offers. */
    static final class JnaLibc {
        static {
            Native.register("c");
        }

        static native int getppid();

        private JnaLibc() {}
    }

    private NativeBridgeBench() {}

    /** Nanoseconds per getppid through FFM: median of batch means. */
    public static Samples ffm() {
        return measure(() -> {
            int sum = 0;
            for (int i = 0; i < BATCH; i++) {
                try {
                    sum += (int) FFM_GETPPID.invokeExact();
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
            }
            return sum;
        });
    }

    /** Nanoseconds per getppid through JNA (direct mapping). */
    public static Samples jna() {
        return measure(() -> {
            int sum = 0;
            for (int i = 0; i < BATCH; i++) sum += JnaLibc.getppid();
            return sum;
        });
    }

    private interface Batch {
        int run();
    }

    private static Samples measure(Batch batch) {
        long sink = 0;
        for (int i = 0; i < WARMUP_BATCHES; i++) sink += batch.run();
        Samples s = new Samples(SAMPLES);
        for (int i = 0; i < SAMPLES; i++) {
            long t0 = System.nanoTime();
            sink += batch.run();
            s.add((System.nanoTime() - t0) / (double) BATCH);
        }
        if (sink == 42) System.out.print(""); // keep the calls alive
        return s;
    }
}
