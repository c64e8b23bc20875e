package org.azalea.node;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.azalea.proxy.Stdio;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.testing.TestEnv;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real node shared by a test class (booting costs ~0.4 s of TCG), and a
 * helper that runs a test image on it and captures what it printed.  Tests
 * are skipped only when QEMU cannot start at all; every other failure fails.
 *
 * <p>A class that shares one node for all its tests registers it:
 * {@code @RegisterExtension static final BootedNode booted = BootedNode.perClass();}
 * (booted before the first test, stopped after the last).  A test that needs
 * a node of its own uses {@code try (BootedNode b = new BootedNode()) {...}}.
 */
final class BootedNode implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    static final Path BUILD = TestEnv.BUILD;
    static final Path IMAGES = BUILD.resolve("test-images");

    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    /** The node; set once booted (at construction, or before a class's first test). */
    Node node;

    /** Instance numbers for tests that launch without a sideloader. */
    static long nextId() {
        return IDS.incrementAndGet();
    }

    /** A node booted now. */
    BootedNode() throws Exception {
        this(c -> c);
    }

    /** A node booted now, its default config changed by {@code tweak}. */
    BootedNode(java.util.function.UnaryOperator<Node.Config> tweak) throws Exception {
        this.tweak = tweak;
        boot();
    }

    private BootedNode(Void bootedLater) {
        this.tweak = c -> c;
    }

    private final java.util.function.UnaryOperator<Node.Config> tweak;

    /** A node for a test class, booted by JUnit before its first test and stopped after its last. */
    static BootedNode perClass() {
        return new BootedNode((Void) null);
    }

    private void boot() throws Exception {
        TestEnv.assumeQemu();
        node = Node.boot(tweak.apply(Node.Config.defaults(BUILD)));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        boot();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    record Run(InstanceOutcome outcome, String stdout, String stderr, Instance instance) {}

    /** Runs {@code image} with {@code args} on {@code ncpus} cores of {@code quadrant}; waits for its end. */
    Run run(String image, List<String> args, String stdin, Path root, int quadrant, int ncpus, Duration timeout)
            throws Exception {
        return run(image, args, stdin, root, quadrant, ncpus, timeout, NetPolicy.DEFAULT);
    }

    /** As {@link #run(String, List, String, Path, int, int, Duration)}, under network policy {@code net}. */
    Run run(
            String image,
            List<String> args,
            String stdin,
            Path root,
            int quadrant,
            int ncpus,
            Duration timeout,
            NetPolicy net)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InstanceSpec spec = spec(
                node,
                image,
                args,
                List.of("HOME=/", "PATH=/bin:/usr/bin", "AZALEA_TEST=1"),
                quadrant,
                ncpus,
                64L << 20,
                root,
                Stdio.of(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err),
                net);
        try (Instance inst = Instance.launch(node, spec)) {
            InstanceOutcome o = inst.waitFor(timeout);
            if (o == null) {
                inst.kill();
                o = inst.waitFor(Duration.ofSeconds(10));
                throw new AssertionError(
                        image + " did not end within " + timeout + "; console: " + tail(node.consoleLog()));
            }
            return new Run(o, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), inst);
        }
    }

    /**
     * A spec for test image {@code image} on {@code ncpus} cores of {@code quadrant}
     * (past the monitor's cpu on quadrant 0), at the quadrant's first 2 MiB boundary.
     */
    static InstanceSpec spec(
            Node node,
            String image,
            List<String> args,
            List<String> env,
            int quadrant,
            int ncpus,
            long memSize,
            Path root,
            Stdio stdio,
            NetPolicy net)
            throws IOException, ElfImage.NotRunnable {
        List<String> argv = new ArrayList<>();
        argv.add(image);
        argv.addAll(args);
        NodeInfo.MemoryRange range = node.info().rangeOf(quadrant);
        int first = node.shape().firstCpu(quadrant) + (quadrant == 0 ? 1 : 0);
        int[] cpus = new int[ncpus];
        for (int i = 0; i < ncpus; i++) cpus[i] = first + i;
        long base = (range.base() + (2L << 20) - 1) & -(2L << 20);
        return new InstanceSpec(
                nextId(),
                image,
                ElfImage.load(IMAGES.resolve(image)),
                argv,
                env,
                cpus,
                base,
                memSize,
                root,
                stdio,
                net);
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (node != null) node.close();
        node = null;
    }
}
