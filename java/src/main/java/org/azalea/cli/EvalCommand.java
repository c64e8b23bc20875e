package org.azalea.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.azalea.BuildPaths;
import org.azalea.eval.EvalOptions;
import org.azalea.eval.Evaluation;

/** {@code azalea eval}: the paper's evaluation on this host (org.azalea.eval), with plots and a report. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "the paper's evaluation: Azalea vs a Linux guest vs native, plots and a report";
    }

    @Override
    public String help() {
        return """
                usage: azalea eval [--quick] [--out DIR] [--cores LIST] [--users LIST] [--reps N]
                                   [--only fig4,fig5,noise,calls] [--scale N] [--linux-cpus N] [--no-icount]

                Runs the AIM7-like workload (compute: Fig. 4, shared: Fig. 5), the OS noise probe and the
                per-call cost probe natively, on an Azalea node (the paper's 72-CPU shape) and in a Linux
                guest (Debian's kernel, fetched once by scripts/linux-guest.sh) booted on the same emulated
                node; the noise probe also under -icount.  Writes results.json, results.csv, report.md and
                fig4, fig5, noise, calls as PNG and SVG.  A failed point is reported with its log (logs/);
                the rest goes on (exit status 1 then).

                  --quick          loop counts / 8, cores 1,2, 10^5 noise samples
                  --out DIR        output directory (default build/eval)
                  --cores LIST     core counts of the Fig. 4 and Fig. 5 points (default 1,2,4)
                  --users LIST     users per core count (default: users = cores)
                  --reps N         repetitions per point, at least 3 (default 3)
                  --only LIST      parts to run (default all)
                  --scale N        divide aim7's loop counts by N (default 1; 8 with --quick)
                  --linux-cpus N   CPUs of the Linux guest (default 72, the node's; fewer boot faster)
                  --noise-samples N  quanta per noise probe (default 10^6)
                  --no-icount      skip the noise probe under -icount
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path outDir = BuildPaths.dir().resolve("eval");
        boolean quick = args.contains("--quick");
        EvalOptions d = quick ? EvalOptions.quick(outDir) : EvalOptions.defaults(outDir);
        List<Integer> cores = d.cores(), users = null;
        int reps = d.reps(), scale = d.scale(), linuxCpus = d.linuxCpus(), samples = d.noiseSamples();
        Set<String> only = d.only();
        boolean icount = d.icount();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--quick" -> {}
                case "--no-icount" -> icount = false;
                case "--out" -> outDir = Path.of(value(args, ++i, a));
                case "--cores" -> cores = list(value(args, ++i, a), a);
                case "--users" -> users = list(value(args, ++i, a), a);
                case "--reps" -> reps = number(value(args, ++i, a), a);
                case "--scale" -> scale = number(value(args, ++i, a), a);
                case "--linux-cpus" -> linuxCpus = number(value(args, ++i, a), a);
                case "--noise-samples" -> samples = number(value(args, ++i, a), a);
                case "--only" ->
                    only = new LinkedHashSet<>(List.of(value(args, ++i, a).split(",")));
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        EvalOptions opts;
        try {
            opts = new EvalOptions(
                    outDir.toAbsolutePath(),
                    cores,
                    users == null ? cores : users,
                    reps,
                    only,
                    scale,
                    d.jobs(),
                    samples,
                    d.calls(),
                    linuxCpus,
                    icount,
                    d.timeoutSeconds());
            if (linuxCpus > 255) throw new IllegalArgumentException("--linux-cpus: at most 255");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path home = Path.of(System.getProperty("azalea.home", "."));
        return new Evaluation(opts, home, BuildPaths.dir(), out).run();
    }

    private static String value(List<String> args, int i, String opt) throws UsageException {
        if (i >= args.size()) throw new UsageException(opt + " needs a value");
        return args.get(i);
    }

    private static int number(String s, String opt) throws UsageException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UsageException(opt + ": '" + s + "' is not a number");
        }
    }

    private static List<Integer> list(String s, String opt) throws UsageException {
        List<Integer> l = new ArrayList<>();
        for (String p : s.split(",")) l.add(number(p.trim(), opt));
        return l;
    }
}
