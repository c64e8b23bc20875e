package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.azalea.proxy.Stdio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's deployment through the Java API: one unikernel per quadrant 1-3
 * at once, each on its own cores, memory and root; and stopping instances that
 * will not end by themselves, even with interrupts off.
 */
class MultiInstanceIT {
    @RegisterExtension
    static final BootedNode booted = BootedNode.perClass();

    @TempDir
    Path dir;

    private InstanceSpec spec(
            String image, List<String> args, int quadrant, int ncpus, Path root, ByteArrayOutputStream out)
            throws Exception {
        Node node = booted.node;
        NodeInfo.MemoryRange r = node.info().rangeOf(quadrant);
        long base = (r.base() + (2L << 20) - 1) & -(2L << 20);
        int[] cpus = new int[ncpus];
        for (int i = 0; i < ncpus; i++) cpus[i] = node.shape().firstCpu(quadrant) + i;
        List<String> argv = new ArrayList<>(List.of(image));
        argv.addAll(args);
        return new InstanceSpec(
                BootedNode.nextId(),
                image + "-q" + quadrant,
                ElfImage.load(BootedNode.IMAGES.resolve(image)),
                argv,
                List.of("HOME=/"),
                cpus,
                base,
                128L << 20,
                root,
                Stdio.of(InputStream.nullInputStream(), out, out));
    }

    @Test
    void threeInstancesOnTheirOwnQuadrantsAtOnce() throws Exception {
        List<Instance> running = new ArrayList<>();
        List<ByteArrayOutputStream> outs = new ArrayList<>();
        try {
            for (int q = 1; q <= 3; q++) {
                Path root = Files.createDirectory(dir.resolve("q" + q));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                outs.add(out);
                running.add(Instance.launch(booted.node, spec("files", List.of(), q, 4, root, out)));
            }
            for (int i = 0; i < 3; i++) {
                InstanceOutcome o = running.get(i).waitFor(Duration.ofSeconds(60));
                assertNotNull(o, "instance " + i + " ended");
                String out = outs.get(i).toString(StandardCharsets.UTF_8);
                assertEquals(0, o.processStatus(), o.describe() + "\n" + out);
                assertTrue(out.contains("AZALEA-TEST-PASS files"), out);
            }
        } finally {
            for (Instance inst : running) inst.close();
        }
    }

    @Test
    void killStopsASpinningInstanceOnEveryCore() throws Exception {
        // "threads": a thread spins on each core, so STOP must reach busy members too.
        for (List<String> args : List.of(List.<String>of(), List.of("threads"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Instance inst = Instance.launch(booted.node, spec("spin", args, 2, 2, dir, out))) {
                assertNotNull(inst.awaitStarted(Duration.ofSeconds(30)));
                assertNull(inst.waitFor(Duration.ofMillis(300)), "spin does not end by itself");
                long t0 = System.nanoTime();
                inst.kill();
                InstanceOutcome o = inst.waitFor(Duration.ofSeconds(10));
                assertNotNull(o, "killed within 10 s (" + args + ")");
                assertEquals(InstanceOutcome.State.KILLED, o.state(), o.describe());
                assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
            }
        }
        // A program cannot turn interrupts off to resist: cli in ring 3 is a #GP, hence SIGSEGV.
        ByteArrayOutputStream cliOut = new ByteArrayOutputStream();
        try (Instance inst = Instance.launch(booted.node, spec("spin", List.of("cli"), 2, 2, dir, cliOut))) {
            InstanceOutcome o = inst.waitFor(Duration.ofSeconds(30));
            assertNotNull(o, "spin cli ends by itself");
            assertEquals(InstanceOutcome.State.FAULTED, o.state(), o.describe());
            assertEquals(13, o.faultVector(), o.describe());
            assertEquals(139, o.processStatus(), o.describe());
        }
        // The quadrant's cores are parked again and take new work.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Instance inst = Instance.launch(booted.node, spec("hello", List.of(), 2, 2, dir, out))) {
            assertEquals(0, inst.waitFor(Duration.ofSeconds(30)).processStatus(), out.toString());
        }
    }
}
