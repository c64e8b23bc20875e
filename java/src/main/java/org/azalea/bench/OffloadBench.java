package org.azalea.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.azalea.proxy.Stdio;
import org.azalea.stub.HostStubSession;

/**
 * The offload channel's figures (issue 2), each beside a baseline measured in
 * the same run: C ping-pong and native calls, then the host stub through the
 * Java proxy, the native bridges, and an idle proxy's CPU.
 */
public final class OffloadBench {
    private final Path buildDir;
    private final long samples;
    private final Duration idleWindow;

    public OffloadBench(Path buildDir, boolean quick) {
        this.buildDir = buildDir;
        this.samples = quick ? 100_000 : 1_000_000;
        this.idleWindow = Duration.ofSeconds(quick ? 2 : 5);
    }

    public void run(BenchReport report) throws Exception {
        Map<String, Double> pp = runJson(List.of(bin("bench-pingpong"), Long.toString(samples)), null);
        report.put("pingpong_rtt_p50_ns", pp.get("pingpong_rtt_p50_ns"));
        report.put("pingpong_rtt_p99_ns", pp.get("pingpong_rtt_p99_ns"));

        Path root = Files.createTempDirectory("azalea-bench-root");
        try {
            Files.write(root.resolve("data4k"), new byte[1 << 16]);
            Map<String, Double> nat =
                    runJson(List.of(bin("bench-native"), Long.toString(samples), root.toString()), null);
            report.put("getppid_ns", nat.get("getppid_ns"));
            report.put("pread4k_native_p50_ns", nat.get("pread4k_native_p50_ns"));

            try (HostStubSession s = new HostStubSession(root, 2, 256, 100_000, Stdio.discard())) {
                var nul = runJson(stub(s, 1, "bench-null", Long.toString(samples)), root);
                report.put("offload_null_rtt_p50_ns", nul.get("offload_null_rtt_p50_ns"));
                report.put("offload_null_rtt_p99_ns", nul.get("offload_null_rtt_p99_ns"));
                var pread = runJson(stub(s, 1, "bench-pread", Long.toString(samples), "data4k"), root);
                report.put("offload_pread4k_p50_ns", pread.get("offload_pread4k_p50_ns"));
                var one = runJson(stub(s, 1, "bench-throughput", Long.toString(samples * 10)), root);
                report.put("offload_null_ops_per_s_1", one.get("offload_null_ops_per_s_1"));
                var two = runJson(stub(s, 2, "bench-throughput", Long.toString(samples * 5)), root);
                report.put("offload_null_ops_per_s_n", two.get("offload_null_ops_per_s_n"));
                report.put("offload_threads_n", two.get("threads"));
            }
        } finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(root);
        }

        report.put("ffm_getppid_ns", NativeBridgeBench.ffm().median());
        report.put("jna_getppid_ns", NativeBridgeBench.jna().median());

        measureIdleProxy(report);
        addRatios(report);
    }

    /**
     * An idle proxy wakes once per poll interval (host clients ring the futex
     * doorbell, so the interval is only a safety net).  Beside it, in the same
     * window: a bare JVM thread parking for the same interval, the platform's own
     * cost of a wake-up (on PVM hosts a JVM wake-up costs over a millisecond of CPU).
     */
    private void measureIdleProxy(BenchReport report) throws Exception {
        int intervalUs = org.azalea.ring.Region.MAX_POLL_INTERVAL_US;
        Thread parker = Thread.ofPlatform().name("azalea-bench-parker").daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted())
                java.util.concurrent.locks.LockSupport.parkNanos(intervalUs * 1000L);
        });
        Path root = Files.createTempDirectory("azalea-bench-idle");
        try (HostStubSession s = new HostStubSession(root, 1, 64, intervalUs, Stdio.discard())) {
            Thread.sleep(200); // past the proxy's initial spin
            long proxyBefore = ThreadCpu.of(s.proxy().threadNamePrefix());
            long parkerBefore = ThreadCpu.of("azalea-bench-parker");
            Thread.sleep(idleWindow);
            long proxy = ThreadCpu.of(s.proxy().threadNamePrefix()) - proxyBefore;
            long park = ThreadCpu.of("azalea-bench-parker") - parkerBefore;
            report.put("idle_proxy_cpu_pct", ThreadCpu.percentOfCore(proxy, idleWindow));
            report.put("idle_parked_jvm_thread_cpu_pct", ThreadCpu.percentOfCore(park, idleWindow));
            report.put("idle_poll_interval_us", intervalUs);
        } finally {
            parker.interrupt();
            org.apache.commons.io.file.PathUtils.deleteDirectory(root);
        }
    }

    /** The targets, as ratios within this run. */
    static void addRatios(BenchReport r) {
        r.put("ratio_null_rtt_to_pingpong", r.get("offload_null_rtt_p50_ns") / r.get("pingpong_rtt_p50_ns"));
        r.note("ratio_null_rtt_to_pingpong", "target <= 2");
        r.put(
                "ratio_pread_to_native_plus_null",
                r.get("offload_pread4k_p50_ns") / (r.get("pread4k_native_p50_ns") + r.get("offload_null_rtt_p50_ns")));
        r.note("ratio_pread_to_native_plus_null", "target <= 1");
        r.put("ratio_jna_to_ffm_getppid", r.get("jna_getppid_ns") / r.get("ffm_getppid_ns"));
        r.note("offload_null_ops_per_s_1", "target >= 5000000 per proxy thread");
        r.note("idle_proxy_cpu_pct", "target < 1");
        r.note("idle_parked_jvm_thread_cpu_pct", "baseline: a JVM thread waking as often");
    }

    private List<String> stub(HostStubSession s, int threads, String... mode) {
        List<String> cmd = new ArrayList<>(s.stubArgs(0, threads));
        cmd.addAll(List.of(mode));
        return cmd;
    }

    private String bin(String name) throws IOException {
        Path p = buildDir.resolve("native").resolve(name);
        if (!Files.isExecutable(p)) throw new IOException(p + " is missing: run `make native` first");
        return p.toString();
    }

    private static Map<String, Double> runJson(List<String> cmd, Path cwd) throws Exception {
        return JsonFigures.parse(BenchIo.run(cmd, cwd, Duration.ofMinutes(10)));
    }
}
