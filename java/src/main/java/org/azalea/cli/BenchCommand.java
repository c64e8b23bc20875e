package org.azalea.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.azalea.BuildPaths;
import org.azalea.bench.BenchReport;
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
                usage: azalea bench [--out FILE] [--quick]

                Measures the offload channel beside baselines taken in the same run
                (the machines are shared and noisy: compare ratios, not single times):
                C cache-line ping-pong, native syscalls, the host stub through the
                Java proxy (null round trip, 4 KiB pread, throughput), getppid through
                FFM and JNA, and an idle proxy's CPU.  Then the node: boot time, instance
                launch time, the channel as a guest program times it, and the unikernel's
                compute overhead over the same binary in QEMU's user-mode emulator.

                  --out FILE   where to write the JSON object (default build/bench/results.json)
                  --quick      fewer samples, for a smoke run
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path file = BuildPaths.dir().resolve("bench/results.json");
        boolean quick = false;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--out" -> {
                    if (++i >= args.size()) throw new UsageException("--out needs a FILE");
                    file = Path.of(args.get(i));
                }
                case "--quick" -> quick = true;
                default -> throw new UsageException("unknown option '" + args.get(i) + "'");
            }
        }
        BenchReport report = new BenchReport();
        new OffloadBench(BuildPaths.dir(), quick).run(report);
        new NodeBench(BuildPaths.dir(), quick).run(report);
        new ThreadsBench(BuildPaths.dir()).run(report);
        out.print(report.toTable());
        report.write(file);
        out.println("wrote " + file);
        return 0;
    }
}
