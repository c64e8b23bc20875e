package org.azalea.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.azalea.BuildPaths;
import org.azalea.bench.BenchReport;
import org.azalea.bench.FileOpsBench;
import org.azalea.bench.NodeBench;
import org.azalea.bench.OffloadBench;
import org.azalea.bench.ThreadsBench;

/** {@code azalea bench}: measures, prints a table, writes JSON. */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "run the benchmarks; figures beside the same run's baselines";
    }

    @Override
    public String help() {
        return """
                usage: azalea bench [--out FILE] [--quick] [--only PART]

                Measures the offload channel beside baselines taken in the same run
                (the machines are shared and noisy: compare ratios, not single times):
                C cache-line ping-pong, native syscalls, the host stub through the
                Java proxy (null round trip, 4 KiB pread, throughput), getppid through
                FFM and JNA, and an idle proxy's CPU.  Then the node: boot time, instance
                launch time, the channel as a guest program times it, and the unikernel's
                compute overhead over the same binary in QEMU's user-mode emulator.

                  --out FILE   where to write the JSON object (default build/bench/results.json)
                  --quick      fewer samples, for a smoke run
                  --only PART  one part only: offload (host side), node, threads or fileops
                """;
    }

    /** The host's 1-minute load average: how busy the machine was while we measured (-1 if unknown). */
    private static double loadAverage() {
        try {
            return Double.parseDouble(
                    java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path file = BuildPaths.dir().resolve("bench/results.json");
        boolean quick = false;
        String only = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--out" -> {
                    if (++i >= args.size()) throw new UsageException("--out needs a FILE");
                    file = Path.of(args.get(i));
                }
                case "--quick" -> quick = true;
                case "--only" -> {
                    if (++i >= args.size()
                            || !List.of("offload", "node", "threads", "fileops").contains(args.get(i))) {
                        throw new UsageException("--only needs offload, node, threads or fileops");
                    }
                    only = args.get(i);
                }
                default -> throw new UsageException("unknown option '" + args.get(i) + "'");
            }
        }
        BenchReport report = new BenchReport();
        double loadBefore = loadAverage();
        if (only == null || only.equals("offload")) new OffloadBench(BuildPaths.dir(), quick).run(report);
        if (only == null || only.equals("node")) new NodeBench(BuildPaths.dir(), quick).run(report);
        if (only == null || only.equals("threads")) new ThreadsBench(BuildPaths.dir()).run(report);
        if (only == null || only.equals("fileops")) new FileOpsBench(BuildPaths.dir(), quick).run(report);
        report.put("host_loadavg_1m_start", loadBefore);
        report.put("host_loadavg_1m_end", loadAverage());
        report.note("host_loadavg_1m_start", "other work on this host while measuring (" + cpus() + " cpus)");
        out.print(report.toTable());
        report.write(file);
        out.println("wrote " + file);
        return 0;
    }
}
