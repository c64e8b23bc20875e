package org.azalea.example;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.azalea.BuildPaths;
import org.azalea.node.Node;
import org.azalea.service.InstanceHandle;
import org.azalea.service.InstanceView;
import org.azalea.service.NodeSession;
import org.azalea.service.OpcodeView;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.PartitionRequest;

/**
 * The Java API in one page: attach to the user's running node (or boot a
 * private one), launch a unikernel instance on a partition, wait for it and
 * read its offload statistics, launch another and kill it, and close
 * everything with try-with-resources.
 *
 * <p>Run it with {@code bin/azalea example}, or after {@code make native} and
 * {@code mvn package}:
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -Dazalea.build.dir=build \
 *        -cp target/classes:$(cat target/runtime-classpath.txt) org.azalea.example.QuickStart
 * </pre>
 * It runs the deployment's workload programs from {@code build/deploy}.
 */
public final class QuickStart {
    private QuickStart() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(BuildPaths.dir(), System.out));
    }

    /** Runs the example; returns 0 when every step did what it should. */
    public static int run(Path buildDir, PrintStream out) throws Exception {
        Path fileserv = BuildPaths.deployProgram(buildDir, "fileserv");
        Path aim7 = BuildPaths.deployProgram(buildDir, "aim7");
        Path root = Files.createTempDirectory("azalea-quickstart");

        // 1. A node: the running service if there is one, else a private node (closed at the end of the block).
        try (NodeSession node = NodeSession.attachOrBoot(Node.Config.defaults(buildDir))) {
            out.println("node: " + (node.isPrivate() ? "a private one, booted for this example" : "the running service")
                    + ", " + node.status().cpus() + " cpus");

            // 2. Launch a program on 1 core and 64 MiB of any quadrant; its stdout comes back to us.
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            LaunchRequest files = new LaunchRequest(
                    "quickstart-files",
                    fileserv,
                    List.of("-f", "16"),
                    List.of("HOME=/"),
                    PartitionRequest.of(1, 64L << 20),
                    root,
                    null,
                    output,
                    output);
            InstanceHandle first = node.launch(files);
            out.println("launched instance " + first.id() + " on quadrant "
                    + first.launched().quadrant() + ", cpus " + first.launched().cpuText());

            // 3. Wait for it: the view comes back once its cores and memory are reclaimed.
            InstanceView end = first.await(Duration.ofMinutes(2));
            if (end == null) throw new IllegalStateException("the instance did not end within 2 minutes");
            out.print(output.toString(StandardCharsets.UTF_8));
            out.println("instance " + end.id() + ": " + end.outcome() + "; " + end.offloads() + " offloaded calls:");
            for (OpcodeView op : end.opcodes()) {
                out.printf(
                        "  %-12s %5d calls, p50 %d ns, p99 %d ns%n",
                        op.name(), op.count(), op.p50Nanos(), op.p99Nanos());
            }

            // 4. Launch a long computation on 2 cores of quadrant 2, then kill it.
            InstanceHandle second = node.launch(LaunchRequest.of(
                    aim7, List.of("-j", "1000000", "compute"), PartitionRequest.of(2, 2, 64L << 20), root));
            Thread.sleep(300);
            second.kill();
            InstanceView killed = second.await(Duration.ofSeconds(30));
            out.println("instance " + second.id() + ": " + (killed == null ? "still running?" : killed.stateText()));

            // 5. Everything is free again.
            out.println(
                    "node free: " + (node.status().allFree() ? "all cores and memory" : "not all (others run here)"));
            boolean ok = end.exitStatus() == 0 && killed != null && killed.exitStatus() == 137;
            return ok ? 0 : 1;
        } finally {
            FileUtils.deleteQuietly(root.toFile());
        }
    }
}
