package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.azalea.abi.abi_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every test image on a real 72-core node booted by the Java driver: exit
 * status and success marker checked, stdio through the offload proxy.
 */
class TestImagesIT {
    @RegisterExtension
    static final BootedNode booted = BootedNode.perClass();

    @TempDir
    Path root;

    private BootedNode.Run run(String image, String... args) throws Exception {
        return booted.run(image, List.of(args), "", root, 1, 2, Duration.ofSeconds(60));
    }

    @ParameterizedTest
    @CsvSource({"hello", "hello-pie", "memory", "memory-pie", "time", "sysinfo", "sysinfo-pie"})
    void imagePrintsItsMarker(String image) throws Exception {
        BootedNode.Run r = run(image);
        String marker = "AZALEA-TEST-PASS " + image.replace("-pie", "");
        assertEquals(
                InstanceOutcome.State.EXITED, r.outcome().state(), r.outcome().describe() + "\n" + r.stdout());
        assertEquals(0, r.outcome().processStatus(), r.stdout());
        assertTrue(r.stdout().contains(marker), r.stdout());
    }

    @Test
    void fileCallsFromThreadsOnTwoCoresAreAllAnswered() throws Exception {
        // Four threads on two cores, two channels: their calls may be served by two pollers at once.
        BootedNode.Run r = run("fileops_bench", "files", "4", "300", "it");
        assertEquals(0, r.outcome().processStatus(), r.outcome().describe() + "\n" + r.stdout());
        assertTrue(r.stdout().contains("AZALEA-TEST-PASS fileops_bench"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*fileops_per_s [1-9][0-9]*\n.*"), r.stdout());
        try (var left = java.nio.file.Files.list(root)) {
            assertEquals(
                    List.of(), left.map(p -> p.getFileName().toString()).toList(), "each thread removes its directory");
        }
    }

    @Test
    void argvAndEnvironmentReachTheProgram() throws Exception {
        BootedNode.Run r = run("args", "ONE", "TWO");
        assertEquals(0, r.outcome().processStatus(), r.outcome().describe() + "\n" + r.stdout());
        assertTrue(r.stdout().contains("AZALEA-TEST-PASS args"), r.stdout());
    }

    @Test
    void exitStatusReachesJava() throws Exception {
        BootedNode.Run r = run("exitcode", "7");
        assertEquals(InstanceOutcome.State.EXITED, r.outcome().state());
        assertEquals(7, r.outcome().processStatus(), r.stdout());
    }

    @Test
    void filesWrittenByTheInstanceAreOnTheHost() throws Exception {
        BootedNode.Run r = run("files");
        assertEquals(0, r.outcome().processStatus(), r.outcome().describe() + "\n" + r.stdout());
        assertTrue(r.stdout().contains("AZALEA-TEST-PASS files"), r.stdout());
        var stats = r.instance().proxy().stats();
        assertTrue(
                stats.count(abi_h.AZ_OP_MKDIR()) > 0
                        && stats.count(abi_h.AZ_OP_OPEN()) + stats.count(abi_h.AZ_OP_OPENAT()) > 0,
                "file calls were offloaded to the Java proxy: " + stats);
        try (var list = Files.list(root)) {
            assertTrue(list.toList().isEmpty(), "the workload removed its scratch directory, on the host too");
        }
    }

    @Test
    void stdinIsTheCallersStream() throws Exception {
        BootedNode.Run r = booted.run("stdin", List.of(), "line one\nline two\n", root, 1, 1, Duration.ofSeconds(60));
        assertEquals(0, r.outcome().processStatus(), r.outcome().describe());
        assertTrue(r.stdout().contains("stdin: 18 bytes, 2 lines"), r.stdout());
    }

    @Test
    void aCrashIsReportedWithItsCauseAndTheNodeGoesOn() throws Exception {
        BootedNode.Run r = run("crash");
        assertEquals(
                InstanceOutcome.State.FAULTED, r.outcome().state(), r.outcome().describe());
        assertEquals(14, r.outcome().faultVector(), r.outcome().describe());
        assertTrue(r.outcome().describe().contains("page fault"), r.outcome().describe());
        assertTrue(booted.node.logsKeptFor().contains("crash"), "a crash keeps the node's console");
        booted.node.releaseLogsOf("crash"); // caused on purpose, and checked
        assertTrue(booted.node.isAlive());
        assertEquals(0, run("hello").outcome().processStatus(), "the cores are usable again");
    }

    @Test
    void theNodeOffersInstancesWhatItsShapePromises() {
        Node node = booted.node;
        NodeShape shape = node.shape();
        for (int q = 0; q < shape.quadrants(); q++) {
            assertEquals(shape.instanceMemory(q), node.info().rangeOf(q).size(), "quadrant " + q + " memory");
            int quadrant = q;
            long cpus = node.info().cpus().stream()
                    .filter(c -> shape.quadrantOf(c.index()) == quadrant && !c.isMonitor())
                    .count();
            assertEquals(shape.instanceCpus(q), cpus, "quadrant " + q + " cpus");
        }
    }
}
