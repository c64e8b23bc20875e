package org.azalea.node;

import static org.azalea.abi.abi_h.AZ_ABI_VERSION;
import static org.azalea.abi.abi_h.AZ_CORE_CMD_RESET;
import static org.azalea.abi.abi_h.AZ_NODE_INFO_GPA;
import static org.azalea.abi.abi_h.AZ_NODE_INFO_SIZE;
import static org.azalea.abi.abi_h.AZ_NODE_MAGIC;
import static org.azalea.abi.abi_h.AZ_NODE_PANIC;
import static org.azalea.abi.abi_h.AZ_NODE_READY;
import static org.azalea.abi.abi_h.AZ_NODE_RESET_INIT_MS;
import static org.azalea.abi.abi_h.AZ_NODE_RESET_NMI_MS;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.azalea.BuildPaths;
import org.azalea.abi.az_core_mailbox;
import org.azalea.abi.az_node_info;
import org.azalea.memory.GuestMemory;
import org.azalea.memory.MemoryFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A booted node: QEMU running the Azalea node kernel on an emulated many-core
 * machine whose memory the host maps.  Closing it (or the JVM ending, also on
 * SIGTERM/SIGINT) stops QEMU and removes its shared-memory files.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final SecureRandom NONCES = new SecureRandom();

    /**
     * How to boot a node.
     *
     * @param workDir where the node's console log, QEMU's log and the kick socket go; null for a
     *     temporary directory that is removed when the node closes, unless something failed
     *     (then its logs stay for diagnosis and their place is logged)
     */
    public record Config(
            NodeShape shape,
            Accelerator.Choice accel,
            Path kernel,
            Path workDir,
            Duration bootTimeout,
            long consoleCap,
            int spinCores) {
        /** The most of the node's console node.log keeps by default (a note follows when cut). */
        public static final long DEFAULT_CONSOLE_CAP = 64L << 20;

        /**
         * How many cores of an instance may spin at once for the proxy's answers
         * by default (az_boot.spin_cores): the host's cpus but one, which the
         * proxy needs to answer them.  A spinning core is a busy vCPU thread on
         * the host; more of them than cpus starve the poller they wait for.  Per
         * instance: several busy instances can still oversubscribe the host.
         */
        public static int defaultSpinCores() {
            return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        }

        public Config {
            if (consoleCap < 0) throw new IllegalArgumentException("console cap " + consoleCap);
            if (spinCores < 0) throw new IllegalArgumentException("spin cores " + spinCores + " (0 for all)");
        }

        /** A config with the default console cap and spin budget. */
        public Config(NodeShape shape, Accelerator.Choice accel, Path kernel, Path workDir, Duration bootTimeout) {
            this(shape, accel, kernel, workDir, bootTimeout, DEFAULT_CONSOLE_CAP, defaultSpinCores());
        }

        public static Config defaults(Path buildDir) throws IOException {
            return new Config(
                    NodeShape.KNL_SNC4,
                    Accelerator.detect(),
                    BuildPaths.kernel(buildDir),
                    null,
                    Duration.ofSeconds(60));
        }

        public Config withShape(NodeShape s) {
            return new Config(s, accel, kernel, workDir, bootTimeout, consoleCap, spinCores);
        }

        public Config withAccel(Accelerator.Choice a) {
            return new Config(shape, a, kernel, workDir, bootTimeout, consoleCap, spinCores);
        }

        /** At most {@code n} cores of an instance spin for answers at once; 0: all may. */
        public Config withSpinCores(int n) {
            return new Config(shape, accel, kernel, workDir, bootTimeout, consoleCap, n);
        }

        /** At most {@code bytes} of the node's console are kept in node.log. */
        public Config withConsoleCap(long bytes) {
            return new Config(shape, accel, kernel, workDir, bootTimeout, bytes, spinCores);
        }
    }

    private final Config config;
    private final GuestMemory memory;
    private final List<Path> nodeFiles;
    private final Process qemu;
    private final MemorySegment info;
    private final NodeInfo nodeInfo;
    private final long bootNanos;
    private final Thread shutdownHook;
    private final GuestKicks kicks;
    private final ConsoleCapture console;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private final AtomicInteger liveInstances;
    /** The instances whose failure keeps the logs after close (their console tells why). */
    private final java.util.Set<String> keptFor;

    private final AtomicBoolean closed = new AtomicBoolean();

    private Node(
            Config config,
            GuestMemory memory,
            List<Path> nodeFiles,
            Process qemu,
            MemorySegment info,
            NodeInfo nodeInfo,
            long bootNanos,
            Thread hook,
            GuestKicks kicks,
            ConsoleCapture console,
            Path workDir,
            boolean ownsWorkDir,
            AtomicInteger liveInstances,
            java.util.Set<String> keptFor) {
        this.keptFor = keptFor;
        this.liveInstances = liveInstances;
        this.kicks = kicks;
        this.console = console;
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
        this.config = config;
        this.memory = memory;
        this.nodeFiles = nodeFiles;
        this.qemu = qemu;
        this.info = info;
        this.nodeInfo = nodeInfo;
        this.bootNanos = bootNanos;
        this.shutdownHook = hook;
    }

    /** Boots a node and waits until every core is parked and the node says READY. */
    public static Node boot(Config c) throws IOException, NodeBootException, InterruptedException {
        if (!Files.isReadable(c.kernel())) throw new NodeBootException(c.kernel() + " is missing: run `make native`");
        boolean owns = c.workDir() == null;
        Path work = owns ? Files.createTempDirectory("azalea-node") : Files.createDirectories(c.workDir());
        String tag = "azalea-" + ProcessHandle.current().pid() + "-";
        GuestMemory memory = new GuestMemory();
        List<Path> files = new ArrayList<>();
        Process qemu = null;
        ConsoleCapture console = null;
        Thread hook = null;
        AtomicInteger liveRef = null;
        java.util.Set<String> kept = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long nonce = NONCES.nextLong() & Long.MAX_VALUE;
        Path serial = work.resolve("node.log");
        GuestKicks kicks = new GuestKicks(work.resolve("kick.sock"));
        try {
            NodeShape s = c.shape();
            for (int q = 0; q < s.quadrants(); q++) {
                Path f = MemoryFiles.create(tag, "-node" + q); // 0600, exclusive, unguessable
                files.add(f);
                memory.map(f, s.memoryBase(q), s.memoryPerQuadrant()); // created fresh: all zero
            }
            List<Path> toRemove = List.copyOf(files);
            List<String> cmd =
                    QemuCommand.build("qemu-system-x86_64", s, c.accel().accelerator(), c.kernel(), files, nonce);
            cmd.addAll(kicks.qemuArgs());
            log.info(
                    "booting a {}-cpu node ({} quadrants, {} each) with {} ({})",
                    s.cpus(),
                    s.quadrants(),
                    SizeParser.format(s.memoryPerQuadrant()),
                    c.accel().accelerator(),
                    c.accel().reason());
            long t0 = System.nanoTime();
            qemu = new ProcessBuilder(cmd)
                    .redirectError(work.resolve("qemu.log").toFile())
                    .start();
            console = ConsoleCapture.start(qemu.getInputStream(), serial, c.consoleCap());
            Process started = qemu;
            AtomicInteger live = new AtomicInteger();
            liveRef = live;
            // On SIGTERM/SIGINT the owners' hooks (the service, `azalea run`) kill their instances in
            // order; give them a moment before QEMU goes, so instances end KILLED, not CRASHED.
            hook = new Thread(
                    () -> {
                        awaitNoInstances(live, SHUTDOWN_GRACE);
                        destroy(started, toRemove);
                        removeWorkDir(work, owns, kept);
                    },
                    "azalea-node-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            kicks.connect(qemu, c.bootTimeout());
            MemorySegment info =
                    memory.partition(AZ_NODE_INFO_GPA(), AZ_NODE_INFO_SIZE()).memory();
            waitReady(qemu, info, nonce, c, work);
            long bootNanos = System.nanoTime() - t0;
            NodeInfo ni = NodeInfo.read(info);
            log.info("node ready: {} cpus parked in {} ms", ni.cpus().size(), TimeUnit.NANOSECONDS.toMillis(bootNanos));
            return new Node(
                    c, memory, files, qemu, info, ni, bootNanos, hook, kicks, console, work, owns, liveRef, kept);
        } catch (IOException | NodeBootException | InterruptedException | RuntimeException e) {
            kicks.close();
            if (hook != null) removeHook(hook);
            destroy(qemu, files);
            if (console != null) console.close();
            memory.close();
            throw e;
        }
    }

    private static void waitReady(Process qemu, MemorySegment info, long nonce, Config c, Path work)
            throws NodeBootException, InterruptedException {
        Path serial = work.resolve("node.log");
        long deadline = System.nanoTime() + c.bootTimeout().toNanos();
        while (true) {
            if (az_node_info.magic(info) == AZ_NODE_MAGIC() && az_node_info.boot_nonce(info) == nonce) {
                int state = (int) NodeHandles.NODE_STATE.getAcquire(info, 0L);
                if (state == AZ_NODE_READY()) {
                    if (az_node_info.abi_version(info) != AZ_ABI_VERSION()) {
                        throw new NodeBootException("node kernel speaks ABI " + az_node_info.abi_version(info)
                                + ", this host " + AZ_ABI_VERSION() + ": rebuild with `make native`");
                    }
                    return;
                }
                if (state == AZ_NODE_PANIC()) {
                    throw new NodeBootException("node kernel panicked: " + cString(az_node_info.panic_message(info))
                            + " (log: " + serial + ")");
                }
            }
            if (!qemu.isAlive()) {
                // With -no-reboot a guest reset (a triple fault) ends QEMU with status 0.
                String why = qemu.exitValue() == 0 ? "the guest reset (a triple fault?)" : "status " + qemu.exitValue();
                throw new NodeBootException("QEMU exited before the node was ready: " + why + "; last console line: '"
                        + lastLine(serial) + "' (log: " + work.resolve("qemu.log") + ", console: " + serial + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new NodeBootException(
                        "node not ready after " + c.bootTimeout().toSeconds() + " s (console: " + serial + ")");
            }
            Thread.sleep(0, 200_000);
        }
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : lines.getLast().strip();
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static String cString(MemorySegment bytes) {
        byte[] b = bytes.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    public NodeInfo info() {
        return nodeInfo;
    }

    /**
     * The emulator's CPU time so far, all its threads (vCPUs spinning or
     * running programs, device emulation); empty where the OS does not say.
     */
    public java.util.Optional<Duration> emulatorCpuTime() {
        return qemu.toHandle().info().totalCpuDuration();
    }

    public Config config() {
        return config;
    }

    public NodeShape shape() {
        return config.shape();
    }

    public GuestMemory memory() {
        return memory;
    }

    /** From QEMU's start to the node's READY, as the host saw it. */
    public Duration bootTime() {
        return Duration.ofNanos(bootNanos);
    }

    /** The node's console (serial) log. */
    public Path consoleLog() {
        return workDir.resolve("node.log");
    }

    /** Keeps the node's logs after close: {@code instance} crashed, failed or was refused, and its console tells why. */
    public void keepLogsFor(String instance) {
        keptFor.add(instance);
    }

    /**
     * Withdraws {@link #keepLogsFor}: for a caller that made {@code instance}
     * fail on purpose and has checked how (a test).  The logs still stay if
     * anything else asked for them.
     */
    public void releaseLogsOf(String instance) {
        keptFor.remove(instance);
    }

    /** The instances for which the logs will be kept. */
    public java.util.Set<String> logsKeptFor() {
        return java.util.Set.copyOf(keptFor);
    }

    /**
     * The kernel's own account of what happened on {@code cpu}: the last line
     * the node console holds from that CPU after {@code since} (a console
     * size), or "" if it printed none.
     */
    public String consoleLineOf(int cpu, long since) {
        return NodeConsole.lastLineOf(consoleLog(), cpu, since);
    }

    /** The node console's current size: a mark for {@link #consoleLineOf}. */
    public long consoleSize() {
        return NodeConsole.size(consoleLog());
    }

    public boolean isAlive() {
        return !closed.get() && qemu.isAlive();
    }

    GuestKicks kicks() {
        return kicks;
    }

    /** The mailbox of node CPU {@code cpu}. */
    MemorySegment mailbox(int cpu) {
        if (cpu < 0 || cpu >= nodeInfo.cpus().size()) throw new IllegalArgumentException("no cpu " + cpu);
        long offset = nodeInfo.mailboxGpa() - AZ_NODE_INFO_GPA() + (long) cpu * nodeInfo.mailboxStride();
        return info.asSlice(offset, az_core_mailbox.sizeof());
    }

    /**
     * Brings node CPU {@code cpu} back to PARKED whatever it runs, through the
     * monitor (AZ_CORE_CMD_RESET: an NMI, then INIT-SIPI).  One at a time: the
     * monitor serves one RESET at once.  Returns the monitor's result: 0 once
     * the core is parked, else -errno (-ETIMEDOUT also when the monitor did
     * not answer in time).
     */
    synchronized int resetCore(int cpu) throws InterruptedException {
        MemorySegment mb = mailbox(nodeInfo.monitorCpu());
        az_core_mailbox.arg(mb, cpu);
        az_core_mailbox.cmd(mb, AZ_CORE_CMD_RESET());
        int seq = (int) NodeHandles.MAILBOX_CMD_SEQ.getAcquire(mb, 0L) + 1;
        NodeHandles.MAILBOX_CMD_SEQ.setRelease(mb, 0L, seq);
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(AZ_NODE_RESET_NMI_MS() + AZ_NODE_RESET_INIT_MS() + 1000);
        while ((int) NodeHandles.MAILBOX_ACK_SEQ.getAcquire(mb, 0L) != seq) {
            if (!isAlive() || System.nanoTime() > deadline) return -110; // ETIMEDOUT
            Thread.sleep(1);
        }
        return az_core_mailbox.result(mb);
    }

    /** Stops QEMU, unmaps the node's memory and removes its files.  Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        removeHook(shutdownHook);
        kicks.close();
        destroy(qemu, nodeFiles);
        console.close();
        memory.close();
        removeWorkDir(workDir, ownsWorkDir, keptFor);
        log.info("node stopped");
    }

    /** Removes a temporary work directory, unless an instance's failure asked for its logs. */
    private static void removeWorkDir(Path workDir, boolean owned, java.util.Set<String> keptFor) {
        if (!keptFor.isEmpty()) {
            log.warn(
                    "node logs kept for diagnosis of {} in {}",
                    String.join(", ", new java.util.TreeSet<>(keptFor)),
                    workDir);
        } else if (owned) {
            try {
                org.apache.commons.io.file.PathUtils.deleteDirectory(workDir);
            } catch (IOException e) {
                log.warn("could not remove {}: {}", workDir, e.toString());
            }
        }
    }

    /** How long the JVM's shutdown waits for running instances to be ended by their owners. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);

    private static void awaitNoInstances(AtomicInteger live, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (live.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Counts instances between their launch and their end (for an orderly JVM shutdown). */
    void instanceLaunched() {
        liveInstances.incrementAndGet();
    }

    void instanceEnded() {
        liveInstances.decrementAndGet();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook runs (or ran) by itself
        }
    }

    private static void destroy(Process qemu, List<Path> files) {
        if (qemu != null && qemu.isAlive()) {
            qemu.destroy();
            try {
                if (!qemu.waitFor(3, TimeUnit.SECONDS)) {
                    qemu.destroyForcibly();
                    qemu.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                qemu.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                log.warn("could not remove {}: {}", f, e.toString());
            }
        }
    }
}
