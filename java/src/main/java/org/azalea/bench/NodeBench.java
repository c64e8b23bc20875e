package org.azalea.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.azalea.BuildPaths;
import org.azalea.node.ElfImage;
import org.azalea.node.Instance;
import org.azalea.node.InstanceOutcome;
import org.azalea.node.InstanceSpec;
import org.azalea.node.Node;
import org.azalea.node.NodeInfo;
import org.azalea.proxy.Stdio;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.ManagedInstance;
import org.azalea.sideloader.PartitionRequest;
import org.azalea.sideloader.Sideloader;

/**
 * The node's figures (issue 3), for the accelerator in use: boot time, launch
 * time, the offload channel as a guest program sees it, and the unikernel's
 * compute overhead against the same binary under QEMU's user-mode emulator
 * (the same translator, without a kernel or a machine: the baseline).
 */
public final class NodeBench {
    private static final Pattern FIGURE = Pattern.compile("^(\\w+) (\\d+)", Pattern.MULTILINE);
    private final Path buildDir;
    private final int boots;
    private final int launches;
    /** Instance numbers: the bench launches without a sideloader. */
    private long launched;

    public NodeBench(Path buildDir, boolean quick) {
        this.buildDir = buildDir;
        this.boots = quick ? 2 : 5;
        this.launches = quick ? 5 : 20;
    }

    public void run(BenchReport report) throws Exception {
        Node.Config config = Node.Config.defaults(buildDir);
        String sfx = config.accel().accelerator().metricSuffix();
        Samples boot = new Samples(boots);
        for (int i = 0; i < boots - 1; i++) {
            try (Node n = Node.boot(config)) {
                boot.add(n.bootTime().toNanos() / 1e6);
            }
        }
        Path root = Files.createTempDirectory("azalea-bench-node");
        try (Node node = Node.boot(config)) {
            boot.add(node.bootTime().toNanos() / 1e6);
            report.put("node_boot_ms" + sfx, boot.median());
            report.note("node_boot_ms" + sfx, "target <= 500 (TCG, 72 cpus)");

            Samples launch = new Samples(launches);
            for (int i = 0; i < launches; i++) launch.add(launchMillis(node, root, "hello"));
            report.put("instance_launch_ms" + sfx, launch.median());
            report.note("instance_launch_ms" + sfx, "request to first instruction; target <= 5");

            Map<String, Double> guest = figures(runOffloadBench(node, root));
            report.put("guest_offload_null_rtt_p50_ns" + sfx, guest.get("guest_offload_null_rtt_p50_ns"));
            report.put("guest_offload_null_rtt_p99_ns" + sfx, guest.get("guest_offload_null_rtt_p99_ns"));
            report.note("guest_offload_null_rtt_p50_ns" + sfx, "target <= 1000 and <= 4x the ping-pong, no VM exit");
            report.note("guest_offload_null_rtt_p99_ns" + sfx, "target <= 5000");
            if (guest.containsKey("guest_pingpong_rtt_p50_ns")) {
                report.put("guest_pingpong_rtt_p50_ns" + sfx, guest.get("guest_pingpong_rtt_p50_ns"));
                report.put("guest_pingpong_rtt_p99_ns" + sfx, guest.get("guest_pingpong_rtt_p99_ns"));
                report.note(
                        "guest_pingpong_rtt_p50_ns" + sfx,
                        "floor: one shared word, guest and a host thread, in blocks alternating with the null calls");
                report.put(
                        "ratio_guest_null_to_pingpong" + sfx,
                        guest.get("guest_offload_null_rtt_p50_ns") / guest.get("guest_pingpong_rtt_p50_ns"));
                report.note("ratio_guest_null_to_pingpong" + sfx, "target <= 4");
            }
            report.put("guest_offload_pread4k_p50_ns" + sfx, guest.get("guest_offload_pread4k_p50_ns"));
            report.put("guest_null_syscall_ns" + sfx, guest.get("guest_null_syscall_ns"));
            report.note("guest_null_syscall_ns" + sfx, "getppid, answered by the instance kernel: syscall/sysret");

            Samples unikernel = new Samples(5), user = new Samples(5);
            for (int i = 0; i < 5; i++) {
                unikernel.add(figures(runImage(node, root, "offload_bench", "compute"))
                        .get("compute_loop_ns"));
                user.add(figures(userMode("offload_bench", "compute")).get("compute_loop_ns"));
            }
            report.put("guest_compute_loop_ms" + sfx, unikernel.median() / 1e6);
            report.put("user_mode_compute_loop_ms", user.median() / 1e6);
            report.put("guest_compute_ratio" + sfx, unikernel.median() / user.median());
            report.note("guest_compute_ratio" + sfx, "unikernel / the same binary in qemu-x86_64 user mode");

            measureReclaim(node, root, report, sfx);
        } finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(root);
        }
    }

    /** From the program's end to its cores, memory (scrubbed) and host fds being free again. */
    private void measureReclaim(Node node, Path root, BenchReport report, String sfx) throws Exception {
        Sideloader sl = new Sideloader(node, java.util.Set.of(0));
        Samples reclaim = new Samples(launches);
        for (int i = 0; i < launches; i++) {
            ManagedInstance mi = sl.launch(LaunchRequest.of(
                    buildDir.resolve("test-images/hello"), List.of(), PartitionRequest.of(1, 1, 64L << 20), root));
            InstanceOutcome o = mi.awaitReclaimed(Duration.ofSeconds(30));
            if (o == null || o.processStatus() != 0) throw new IOException("hello failed under the sideloader");
            reclaim.add(mi.reclaimTime().toNanos() / 1e6);
        }
        report.put("instance_reclaim_ms" + sfx, reclaim.median());
        report.note("instance_reclaim_ms" + sfx, "64M partition: cores parked, proxy closed, memory scrubbed");
    }

    private InstanceSpec spec(Node node, Path root, String image, List<String> args, java.io.OutputStream out)
            throws Exception {
        long base = partitionBase(node);
        List<String> argv = new java.util.ArrayList<>(List.of(image));
        argv.addAll(args);
        return new InstanceSpec(
                ++launched,
                image,
                ElfImage.load(BuildPaths.testImage(buildDir, image)),
                argv,
                List.of("HOME=/"),
                new int[] {node.shape().firstCpu(1)},
                base,
                64L << 20,
                root,
                Stdio.of(InputStream.nullInputStream(), out, out));
    }

    private double launchMillis(Node node, Path root, String image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Instance inst = Instance.launch(node, spec(node, root, image, List.of(), out))) {
            Duration started = inst.awaitStarted(Duration.ofSeconds(30));
            InstanceOutcome o = inst.waitFor(Duration.ofSeconds(30));
            if (started == null || o == null || o.processStatus() != 0) {
                throw new IOException(image + " did not run: " + (o == null ? "timeout" : o.describe()));
            }
            return started.toNanos() / 1e6;
        }
    }

    private String runImage(Node node, Path root, String image, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Instance inst = Instance.launch(node, spec(node, root, image, List.of(args), out))) {
            InstanceOutcome o = inst.waitFor(Duration.ofMinutes(2));
            if (o == null || o.processStatus() != 0) {
                throw new IOException(image + " failed: " + (o == null ? "timeout" : o.describe()) + "\n" + out);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Where the bench's instances live: the start of quadrant 1's memory, 2 MiB aligned. */
    private static long partitionBase(Node node) {
        NodeInfo.MemoryRange r = node.info().rangeOf(1);
        return (r.base() + (2L << 20) - 1) & -(2L << 20);
    }

    /** offload_bench with a host thread answering its ping-pong (see {@link GuestPingPong}). */
    private String runOffloadBench(Node node, Path root) throws Exception {
        try (GuestPingPong out = new GuestPingPong(node.memory().partition(partitionBase(node), 64L << 20))) {
            try (Instance inst = Instance.launch(node, spec(node, root, "offload_bench", List.of(), out))) {
                InstanceOutcome o = inst.waitFor(Duration.ofMinutes(2));
                if (o == null || o.processStatus() != 0) {
                    throw new IOException(
                            "offload_bench failed: " + (o == null ? "timeout" : o.describe()) + "\n" + out.text());
                }
            }
            return out.text();
        }
    }

    private String userMode(String image, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(
                List.of("qemu-x86_64", BuildPaths.testImage(buildDir, image).toString()));
        cmd.addAll(List.of(args));
        return BenchIo.run(cmd, null, Duration.ofMinutes(2));
    }

    static Map<String, Double> figures(String text) {
        return BenchIo.figures(FIGURE, text);
    }
}
