package org.azalea.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.azalea.node.Node;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.ManagedInstance;
import org.azalea.sideloader.PartitionRequest;
import org.azalea.sideloader.Sideloader;

/**
 * File-call throughput as threads are added (issue 13, item 5): the static
 * {@code fileops_bench} (open, write 4 KiB, close, stat, unlink, each thread in
 * a directory of its own) in one instance with that many threads, each point
 * beside the same binary run natively right before it; three instances of 18
 * threads at once beside 54 native threads; 64 threads of null round trips.
 * On a host with fewer cpus than threads no point can add throughput: what
 * matters is that the offloaded curve keeps the native curve's shape.
 */
public final class FileOpsBench {
    private static final Pattern FIGURE = Pattern.compile("^(\\w+) ([0-9.]+)", Pattern.MULTILINE);
    private static final int[] THREADS = {1, 2, 4, 8, 18};
    private static final int QUADRANT_CORES = 18;
    private final Path image;
    private final long millis;

    public FileOpsBench(Path buildDir, boolean quick) {
        this.image = buildDir.resolve("test-images/fileops_bench");
        this.millis = quick ? 500 : 1000;
    }

    public void run(BenchReport report) throws Exception {
        Node.Config config = Node.Config.defaults(image.getParent().getParent());
        String sfx = config.accel().accelerator().metricSuffix();
        int cpus = Runtime.getRuntime().availableProcessors();
        Path root = Files.createTempDirectory("azalea-bench-fileops");
        try (Sideloader sl = Sideloader.boot(config)) {
            for (int t : THREADS) {
                double nat = onHost(root, "files", t, "n" + t);
                double off = first(inInstances(sl, root, "files", t, 1));
                report.put("native_fileops_per_s_t" + t, nat);
                report.put("offload_fileops_per_s_t" + t, off);
                if (t > cpus) {
                    report.note("offload_fileops_per_s_t" + t, "oversubscribed: " + t + " threads, " + cpus + " cpus");
                }
            }
            double shapeNative = report.get("native_fileops_per_s_t18") / report.get("native_fileops_per_s_t1");
            double shapeOffload = report.get("offload_fileops_per_s_t18") / report.get("offload_fileops_per_s_t1");
            report.put("fileops_t18_to_t1_native", shapeNative);
            report.put("fileops_t18_to_t1_offload", shapeOffload);
            report.put("ratio_fileops_shape_offload_to_native", shapeOffload / shapeNative);
            report.note("ratio_fileops_shape_offload_to_native", "target >= 0.8 (t18/t1 offloaded over native)");

            report.put("native_fileops_per_s_54", onHost(root, "files", 54, "n54"));
            report.note("native_fileops_per_s_54", "oversubscribed: 54 threads, " + cpus + " cpus");
            double sum = 0;
            for (double v : inInstances(sl, root, "files", QUADRANT_CORES, 3)) sum += v;
            report.put("offload_fileops_per_s_3inst", sum);
            report.note("offload_fileops_per_s_3inst", "three instances of 18 threads at once, summed");

            report.put("offload_null_ops_per_s_t64" + sfx, first(inInstances(sl, root, "null", 64, 1)));
            report.note("offload_null_ops_per_s_t64" + sfx, "64 threads on 18 cores of one instance");
        } finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(root);
        }
    }

    private static double first(List<Double> v) {
        return v.get(0);
    }

    private double onHost(Path root, String mode, int threads, String tag) throws Exception {
        String out = BenchIo.run(
                List.of(image.toString(), mode, Integer.toString(threads), Long.toString(millis), tag),
                root,
                Duration.ofMinutes(2));
        return figure(out, mode);
    }

    /** {@code count} instances at once, quadrants 1.., each with {@code threads} threads on up to 18 cores. */
    private List<Double> inInstances(Sideloader sl, Path root, String mode, int threads, int count) throws Exception {
        List<ManagedInstance> running = new ArrayList<>();
        List<ByteArrayOutputStream> outs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String tag = "i" + (i + 1) + "t" + threads;
            running.add(sl.launch(new LaunchRequest(
                    "fileops_bench",
                    image,
                    List.of(mode, Integer.toString(threads), Long.toString(millis), tag),
                    List.of("HOME=/"),
                    PartitionRequest.of(1 + i, Math.min(threads, QUADRANT_CORES), 256L << 20),
                    root,
                    InputStream.nullInputStream(),
                    out,
                    out)));
            outs.add(out);
        }
        List<Double> figures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            var o = running.get(i).awaitReclaimed(Duration.ofMinutes(5));
            String text = outs.get(i).toString(StandardCharsets.UTF_8);
            if (o == null || o.processStatus() != 0) {
                throw new IOException("fileops_bench " + mode + " " + threads + " failed in the unikernel: "
                        + (o == null ? "timeout" : o.describe()) + "\n" + text);
            }
            figures.add(figure(text, mode));
        }
        return figures;
    }

    private static double figure(String text, String mode) throws IOException {
        Map<String, Double> f = BenchIo.figures(FIGURE, text);
        Double v = f.get(mode.equals("null") ? "null_ops_per_s" : "fileops_per_s");
        if (v == null) throw new IOException("fileops_bench printed no figure: " + text.strip());
        return v;
    }
}
