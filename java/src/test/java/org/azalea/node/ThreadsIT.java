package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threads, futexes, signals, glibc, the Azalea API and OpenMP inside one
 * instance, on several cores of a real node booted by the Java driver
 * (test-images/threads.c, futex.c, signals.c, glibc.c, azalea_api.c,
 * openmp.c): each image checks itself and prints its marker; here the
 * exit status, the marker, and the facts they print are checked.
 */
class ThreadsIT {
    @RegisterExtension
    static final BootedNode booted = BootedNode.perClass();

    @TempDir
    Path root;

    private BootedNode.Run run(String image, int cores, String... args) throws Exception {
        return booted.run(image, List.of(args), "", root, 1, cores, Duration.ofSeconds(90));
    }

    private static void assertPassed(BootedNode.Run r, String marker) {
        assertEquals(
                InstanceOutcome.State.EXITED, r.outcome().state(), r.outcome().describe() + "\n" + r.stdout());
        assertEquals(0, r.outcome().processStatus(), r.outcome().describe() + "\n" + r.stdout());
        assertTrue(r.stdout().contains("AZALEA-TEST-PASS " + marker), r.stdout());
    }

    @Test
    void pthreadsRunOnEveryCoreWithMoreThreadsThanCores() throws Exception {
        BootedNode.Run r = run("threads", 6, "3");
        assertPassed(r, "threads");
        assertTrue(r.stdout().contains("threads: 6 cores, 18 threads"), r.stdout());
        assertTrue(r.stdout().contains("ran on 6 cores"), r.stdout());
    }

    @Test
    void oversubscribedSingleCoreIsPreemptedFairly() throws Exception {
        assertPassed(run("threads", 1, "8"), "threads");
    }

    @Test
    void futexOperationsHoldUnderCrossCoreRaces() throws Exception {
        BootedNode.Run r = run("futex", 4);
        assertPassed(r, "futex");
        assertTrue(r.stdout().contains("futex: requeue ok") && r.stdout().contains("futex: wake_op ok"), r.stdout());
    }

    @Test
    void signalHandlersFaultsAndAlarmsWork() throws Exception {
        assertPassed(run("signals", 2), "signals");
    }

    @Test
    void anUnhandledSignalEndsTheInstanceWithItsStatus() throws Exception {
        BootedNode.Run r = run("signals", 2, "term");
        assertEquals(
                InstanceOutcome.State.EXITED, r.outcome().state(), r.outcome().describe());
        assertEquals(128 + 15, r.outcome().processStatus(), r.outcome().describe());
        assertTrue(
                r.outcome().message().contains("killed by signal 15"),
                r.outcome().message());
        assertPassed(run("threads", 4, "1"), "threads"); // the cores are usable again
    }

    @Test
    void aGlibcStaticProgramRunsUnchangedWithFilesThroughTheProxy() throws Exception {
        BootedNode.Run r = run("glibc", 4, "files");
        assertPassed(r, "glibc");
        assertTrue(r.stdout().contains("glibc: sysconf says 4 cores, affinity 4"), r.stdout());
        assertTrue(
                r.stdout().contains("8 threads ran on 4 cores") && r.stdout().contains("glibc: files ok"), r.stdout());
    }

    @Test
    void theAzaleaInternalApiWorksFromC() throws Exception {
        assertPassed(run("azalea_api", 4), "azalea_api");
    }

    @Test
    void anOpenMpProgramUsesEveryCore() throws Exception {
        BootedNode.Run r = run("openmp", 4, "400000");
        assertPassed(r, "openmp");
        assertTrue(r.stdout().contains("openmp: 4 procs, 4 threads by default"), r.stdout());
    }
}
