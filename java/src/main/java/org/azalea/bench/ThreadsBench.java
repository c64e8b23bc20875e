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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azalea.node.Node;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.ManagedInstance;
import org.azalea.sideloader.PartitionRequest;
import org.azalea.sideloader.Sideloader;

/**
 * Threads inside a unikernel (issue 5), each figure beside the same static
 * binary run natively on this host in the same run: thread creation, a futex
 * wake across cores, and OpenMP scaling from 1 to 16 cores of one instance.
 */
public final class ThreadsBench {
    private static final Pattern BENCH = Pattern.compile("^bench (\\w+) ([0-9.]+)", Pattern.MULTILINE);
    private static final Pattern OMP = Pattern.compile("speedup ([0-9.]+)");
    private final Path images;

    public ThreadsBench(Path buildDir) {
        this.images = buildDir.resolve("test-images");
    }

    public void run(BenchReport report) throws Exception {
        Node.Config config = Node.Config.defaults(images.getParent());
        String sfx = config.accel().accelerator().metricSuffix();
        Path root = Files.createTempDirectory("azalea-bench-threads");
        try (Sideloader sl = Sideloader.boot(config)) {
            Map<String, Double> guest = BenchIo.figures(BENCH, inInstance(sl, root, "threads_bench", 2));
            Map<String, Double> host = BenchIo.figures(BENCH, onHost("threads_bench"));
            for (String k : List.of("thread_create_us", "futex_wake_cross_core_p50_ns")) {
                if (guest.containsKey(k)) report.put(k + sfx, guest.get(k));
                if (host.containsKey(k)) report.put(k + "_host", host.get(k));
            }
            Matcher g = OMP.matcher(inInstance(sl, root, "openmp", 16));
            Matcher h = OMP.matcher(onHost("openmp"));
            if (g.find()) report.put("omp_speedup_16" + sfx, Double.parseDouble(g.group(1)));
            if (h.find()) report.put("omp_speedup_host", Double.parseDouble(h.group(1)));
            report.note(
                    "omp_speedup_16" + sfx,
                    "16 cores of one instance; bounded by this host's "
                            + Runtime.getRuntime().availableProcessors() + " cpus, see omp_speedup_host");
        } finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(root);
        }
    }

    private String inInstance(Sideloader sl, Path root, String image, int cores) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ManagedInstance mi = sl.launch(new LaunchRequest(
                image,
                images.resolve(image),
                List.of(),
                List.of("HOME=/"),
                PartitionRequest.of(1, cores, 256L << 20),
                root,
                InputStream.nullInputStream(),
                out,
                out));
        var o = mi.awaitReclaimed(Duration.ofMinutes(5));
        if (o == null || o.processStatus() != 0) {
            throw new IOException(
                    image + " failed in the unikernel: " + (o == null ? "timeout" : o.describe()) + "\n" + out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String onHost(String image) throws Exception {
        return BenchIo.run(List.of(images.resolve(image).toString()), null, Duration.ofMinutes(5));
    }
}
