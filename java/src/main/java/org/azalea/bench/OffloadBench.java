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
    private final int rounds;

    public OffloadBench(Path buildDir, boolean quick) {
        this.buildDir = buildDir;
        this.samples = quick ? 100_000 : 1_000_000;
        this.idleWindow = Duration.ofSeconds(quick ? 2 : 5);
        this.rounds = quick ? 3 : 5;
    }

    public void run(BenchReport report) throws Exception {
        Path root = Files.createTempDirectory("azalea-bench-root");
        try {
            Files.write(root.resolve("data4k"), new byte[1 << 16]);
            try (HostStubSession s = new HostStubSession(root, 2, 256, 100_000, Stdio.discard())) {
                interleaved(s, root, report);
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
     * Baselines and measurements in alternating rounds (issue 13, item 6): the
     * host sometimes places our threads badly for a while (the ping-pong
     * itself slows several-fold), and a ratio of figures taken minutes apart
     * then compares unlike with unlike.  Each round measures the C ping-pong,
     * the native calls and the offloaded ones back to back; a ratio is taken
     * within each round, and the report gives the median round with the range.
     * A round whose ping-pong is over twice the run's fastest is counted as a
     * slow placement.
     */
    private void interleaved(HostStubSession s, Path root, BenchReport report) throws Exception {
        long per = samples / rounds;
        String n = Long.toString(per);
        Samples ppP50 = new Samples(rounds), ppP99 = new Samples(rounds), getppid = new Samples(rounds);
        Samples natPread = new Samples(rounds), nullP50 = new Samples(rounds), nullP99 = new Samples(rounds);
        Samples pread = new Samples(rounds), ops1 = new Samples(rounds), opsN = new Samples(rounds);
        Samples ratioNull = new Samples(rounds), ratioPread = new Samples(rounds);
        double threads = 0;
        StringBuilder modes = new StringBuilder();
        for (int r = 0; r < rounds; r++) {
            Map<String, Double> pp = runJson(List.of(bin("bench-pingpong"), n), null);
            Map<String, Double> nat = runJson(List.of(bin("bench-native"), n, root.toString()), null);
            var nul = runJson(stub(s, 1, "bench-null", n), root);
            var pr = runJson(stub(s, 1, "bench-pread", n, "data4k"), root);
            var one = runJson(stub(s, 1, "bench-throughput", Long.toString(per * 10)), root);
            var two = runJson(stub(s, 2, "bench-throughput", Long.toString(per * 5)), root);
            double p = pp.get("pingpong_rtt_p50_ns"), nu = nul.get("offload_null_rtt_p50_ns");
            ppP50.add(p);
            ppP99.add(pp.get("pingpong_rtt_p99_ns"));
            getppid.add(nat.get("getppid_ns"));
            natPread.add(nat.get("pread4k_native_p50_ns"));
            nullP50.add(nu);
            nullP99.add(nul.get("offload_null_rtt_p99_ns"));
            pread.add(pr.get("offload_pread4k_p50_ns"));
            ops1.add(one.get("offload_null_ops_per_s_1"));
            opsN.add(two.get("offload_null_ops_per_s_n"));
            threads = two.get("threads");
            ratioNull.add(nu / p);
            ratioPread.add(pr.get("offload_pread4k_p50_ns") / (nat.get("pread4k_native_p50_ns") + nu));
            modes.append(r == 0 ? "" : "/").append(Math.round(p));
        }
        report.put("pingpong_rtt_p50_ns", ppP50.median());
        report.put("pingpong_rtt_p99_ns", ppP99.median());
        report.put("getppid_ns", getppid.median());
        report.put("pread4k_native_p50_ns", natPread.median());
        report.put("offload_null_rtt_p50_ns", nullP50.median());
        report.put("offload_null_rtt_p99_ns", nullP99.median());
        report.put("offload_pread4k_p50_ns", pread.median());
        report.put("offload_null_ops_per_s_1", ops1.median());
        report.put("offload_null_ops_per_s_n", opsN.median());
        report.put("offload_threads_n", threads);
        report.put("ratio_null_rtt_to_pingpong", ratioNull.median());
        report.note("ratio_null_rtt_to_pingpong", "target <= 1.5; median of " + rounds + " interleaved rounds");
        report.put("ratio_null_rtt_to_pingpong_min", ratioNull.quantile(0));
        report.put("ratio_null_rtt_to_pingpong_max", ratioNull.quantile(1));
        report.put("ratio_pread_to_native_plus_null", ratioPread.median());
        report.note("ratio_pread_to_native_plus_null", "target <= 1; median of interleaved rounds");
        report.put("ratio_pread_to_native_plus_null_min", ratioPread.quantile(0));
        report.put("ratio_pread_to_native_plus_null_max", ratioPread.quantile(1));
        int slow = 0;
        for (int r = 0; r < rounds; r++) {
            if (ppP50.get(r) > 2 * ppP50.quantile(0)) slow++;
        }
        report.put("bench_rounds", rounds);
        report.put("bench_slow_placement_rounds", slow);
        report.note(
                "bench_slow_placement_rounds",
                "rounds whose ping-pong p50 was over twice the fastest; per round: " + modes + " ns");
    }

    /**
     * An idle proxy wakes once per poll interval (host clients ring the futex
     * doorbell, so the interval is only a safety net).  Beside it, in the same
     * window: a bare JVM thread parking for the same interval, the platform's own
     * cost of a wake-up (on PVM hosts a JVM wake-up costs over a millisecond of CPU).
     * The window starts right after a burst of calls, so the spin that follows
     * the last one is counted.
     */
    private void measureIdleProxy(BenchReport report) throws Exception {
        int intervalUs = org.azalea.ring.Region.MAX_POLL_INTERVAL_US;
        Thread parker = Thread.ofPlatform().name("azalea-bench-parker").daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted())
                java.util.concurrent.locks.LockSupport.parkNanos(intervalUs * 1000L);
        });
        Path root = Files.createTempDirectory("azalea-bench-idle");
        try (HostStubSession s = new HostStubSession(root, 1, 64, intervalUs, Stdio.discard())) {
            // Traffic first, then the window at once: it includes the adaptive spin after the last
            // request (SpinPolicy: up to 5 ms, then the poller sleeps) and the timed re-polls after it.
            runJson(stub(s, 1, "bench-null", "20000"), root);
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

    /** The remaining ratios and the targets (the interleaved ones are taken per round). */
    static void addRatios(BenchReport r) {
        r.put("ratio_jna_to_ffm_getppid", r.get("jna_getppid_ns") / r.get("ffm_getppid_ns"));
        r.note("offload_null_ops_per_s_1", "target >= 15000000 per proxy thread");
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
