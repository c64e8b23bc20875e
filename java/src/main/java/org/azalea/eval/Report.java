package org.azalea.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * report.md: each claim of the paper beside what this run measured, with a
 * verdict, the figures, the environment and what this host cannot show.
 */
final class Report {
    private Report() {}

    static void write(Results r, EvalOptions o, Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        Map<String, Object> env = r.environment();
        int hostCpus = (Integer) env.get("host_cpus");
        int maxCores = o.cores().stream().mapToInt(i -> i).max().orElse(1);
        b.append("# Azalea evaluation report\n\n");
        b.append(String.format(
                Locale.ROOT,
                "Measured %s on a %d-CPU host (%s), load average %.2f at the start; %s; %s.%n%n",
                env.get("date"),
                hostCpus,
                env.get("host_cpu_model"),
                (Double) env.get("host_load_average_start"),
                env.get("qemu"),
                env.get("accelerator")));
        b.append("Sizes: cores ")
                .append(o.cores())
                .append(", users ")
                .append(o.users())
                .append(", ")
                .append(o.reps())
                .append(" repetitions per point (median, min-max), aim7 loop counts / ")
                .append(o.scale())
                .append(", ")
                .append(o.jobs())
                .append(" job(s) per user, ")
                .append(o.noiseSamples())
                .append(" noise samples, ")
                .append(o.calls())
                .append(" calls per call-cost run; Linux guest on ")
                .append(o.linuxCpus())
                .append(" CPUs.\n\n");
        b.append("**What this host can and cannot show.** QEMU's TCG translates every guest instruction; it "
                + "models no caches, no memory bandwidth and no NUMA latency, and here " + hostCpus
                + " host CPUs are shared by every vCPU (and by other users of the machine). Points with more "
                + "busy vCPUs than host CPUs are marked oversubscribed: they measure the host's time sharing. "
                + "The paper's Fig. 5 decline of Linux above 35 cores comes from contention in a real "
                + "manycore's caches and memory, which emulation does not model: it is not expected here, and "
                + "this run reaches only " + maxCores + " cores. On a host with 72 or more CPUs, "
                + "`bin/azalea eval --cores 1,2,4,8,16,18 --users 1,2,4,8,16,18` (Fig. 4) and up to 54 cores "
                + "for Fig. 5 reproduce the whole curves.\n\n");

        b.append("## The paper's claims beside this run\n\n");
        b.append("| claim (paper) | measured here | verdict |\n| --- | --- | --- |\n");
        b.append("| Fig. 4: a compute workload in one Azalea unikernel runs as fast as on Linux (\"little "
                        + "difference\", up to 16 cores) | ")
                .append(ratios(r.points(), "fig4"))
                .append(" | ")
                .append(verdictRatio(r.points(), "fig4"))
                .append(" |\n");
        b.append("| Fig. 5: FWK + 3 unikernels keep constant scalability; Linux scales better below 35 cores, worse "
                        + "above | ")
                .append(scalability(r.points()))
                .append(" | ")
                .append(
                        maxCores < 35
                                ? "cannot be tested here: " + maxCores
                                        + " cores at most on this host, and TCG models no memory contention"
                                : "see fig5.png")
                .append(" |\n");
        b.append("| Unikernels remove the kernel's OS noise | ")
                .append(noise(r.noise()))
                .append(" | ")
                .append(noiseVerdict(r.noise()))
                .append(" |\n");
        b.append("| File and network calls are offloaded to the full-weight kernel (the cost of offloading is not "
                        + "quantified in the paper) | ")
                .append(calls(r.calls()))
                .append(" | measured (no claim to check) |\n");
        b.append("| Booting: a unikernel node vs a Linux kernel on the same emulated node | ")
                .append(boots(r.boots()))
                .append(" | measured |\n\n");

        b.append("## Figures\n\n");
        for (String f : List.of("fig4", "fig5", "noise", "calls"))
            b.append("![").append(f).append("](").append(f).append(".png)\n\n");

        b.append("## Points\n\n| figure | system | workload | users | cores | jobs/min | min | max | reps | "
                + "oversubscribed | checksum | load |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Point p : r.points())
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %d | %d | %.1f | %.1f | %.1f | %d | %s | %s | %.2f |%s%n",
                    p.figure(),
                    p.system(),
                    p.workload(),
                    p.users(),
                    p.cores(),
                    p.jpm(),
                    p.jpmMin(),
                    p.jpmMax(),
                    p.reps(),
                    p.oversubscribed() ? "**yes**" : "no",
                    p.checksum(),
                    p.loadAverage(),
                    p.error() == null ? "" : " FAILED: " + p.error()));
        b.append("\nChecksums: every system ran the same work when its checksums equal the others' at a point.\n");
        if (!r.failures().isEmpty()) {
            b.append("\n## Failures\n\n");
            for (String f : r.failures()) b.append("- ").append(f).append('\n');
        }
        b.append("\n## Environment\n\n");
        for (Map.Entry<String, Object> e : env.entrySet())
            b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        for (Map.Entry<String, Object> e : r.boots().entrySet())
            b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        Files.writeString(dir.resolve("report.md"), b.toString());
    }

    private static Optional<Point> find(List<Point> ps, String fig, String sys, int users) {
        return ps.stream()
                .filter(p -> p.figure().equals(fig) && p.system().equals(sys) && p.users() == users && p.jpm() > 0)
                .findFirst();
    }

    private static String ratios(List<Point> ps, String fig) {
        StringBuilder s = new StringBuilder();
        for (Point a : ps) {
            if (!a.figure().equals(fig) || !a.system().equals("azalea")) continue;
            Optional<Point> l = find(ps, fig, "linux", a.users()), n = find(ps, fig, "native", a.users());
            if (l.isEmpty() || a.jpm() <= 0) continue;
            s.append(String.format(
                    Locale.ROOT,
                    "%d user(s): Azalea %.1f, Linux %.1f, native %s jobs/min, Azalea/Linux %.2f%s; ",
                    a.users(),
                    a.jpm(),
                    l.get().jpm(),
                    n.map(p -> String.format(Locale.ROOT, "%.1f", p.jpm())).orElse("-"),
                    a.jpm() / l.get().jpm(),
                    a.oversubscribed() ? " (oversubscribed)" : ""));
        }
        return s.isEmpty() ? "no complete point" : s.toString().strip();
    }

    /**
     * A pair whose Linux point ran while the host's load average was more than
     * twice the Azalea point's compares the host's time sharing, not the two
     * kernels (a 72-vCPU Linux guest loads a small host by itself): such pairs
     * are left out of the verdict and counted beside it.
     */
    static String verdictRatio(List<Point> ps, String fig) {
        int within = 0, azFaster = 0, linFaster = 0, skewed = 0;
        for (Point a : ps) {
            if (!a.figure().equals(fig) || !a.system().equals("azalea") || a.oversubscribed()) continue;
            Optional<Point> l = find(ps, fig, "linux", a.users());
            if (l.isEmpty() || a.jpm() <= 0) continue;
            if (l.get().loadAverage() > 2 * Math.max(1.0, a.loadAverage())) {
                skewed++;
                continue;
            }
            double q = a.jpm() / l.get().jpm();
            if (q >= 0.9 && q <= 1.1) within++;
            else if (q > 1.1) azFaster++;
            else linFaster++;
        }
        String left = skewed == 0
                ? ""
                : "; " + skewed + " point(s) left out: the host's load while Linux ran was more than twice"
                        + " Azalea's, so they compare the host's time sharing, not the kernels";
        if (within + azFaster + linFaster == 0)
            return (skewed == 0 ? "not measured without oversubscription" : "not comparable on this host") + left;
        if (linFaster == 0 && azFaster == 0)
            return "holds (within 10% at every point that is not oversubscribed)" + left;
        if (linFaster == 0) return "holds, Azalea even faster (by more than 10% at " + azFaster + " point(s))" + left;
        return "does not hold here: Linux faster by more than 10% at " + linFaster + " point(s)" + left;
    }

    private static String scalability(List<Point> ps) {
        StringBuilder s = new StringBuilder();
        for (String sys : List.of("azalea", "linux", "native")) {
            Optional<Point> one = ps.stream()
                    .filter(p -> p.figure().equals("fig5") && p.system().equals(sys) && p.cores() == 1 && p.jpm() > 0)
                    .findFirst();
            if (one.isEmpty()) continue;
            s.append(sys).append(":");
            for (Point p : ps)
                if (p.figure().equals("fig5") && p.system().equals(sys) && p.jpm() > 0)
                    s.append(String.format(
                            Locale.ROOT,
                            " %d cores %.1f jobs/min (%.2f)%s",
                            p.cores(),
                            p.jpm(),
                            p.jpm() / p.cores() / one.get().jpm(),
                            p.oversubscribed() ? "*" : ""));
            s.append("; ");
        }
        return s.isEmpty() ? "no complete point" : s + "(scalability in parentheses; * oversubscribed)";
    }

    private static String noise(List<NoisePoint> ns) {
        StringBuilder s = new StringBuilder();
        for (NoisePoint n : ns)
            if (n.result() != null)
                s.append(String.format(
                        Locale.ROOT,
                        "%s %s: %.2f%% of time lost, longest quantum %.0f us over a %.0f ns work quantum; ",
                        n.system(),
                        n.mode(),
                        n.result().lost() * 100,
                        n.result().maxNs() / 1000,
                        n.result().quantumNs()));
        return s.isEmpty() ? "not measured" : s.toString().strip();
    }

    private static double lost(List<NoisePoint> ns, String sys, String mode) {
        return ns.stream()
                .filter(n -> n.system().equals(sys) && n.mode().equals(mode) && n.result() != null)
                .mapToDouble(n -> n.result().lost())
                .findFirst()
                .orElse(Double.NaN);
    }

    private static String noiseVerdict(List<NoisePoint> ns) {
        double ai = lost(ns, "azalea", "icount"), li = lost(ns, "linux", "icount");
        double at = lost(ns, "azalea", "tcg"), lt = lost(ns, "linux", "tcg");
        String tcg = Double.isNaN(at) || Double.isNaN(lt)
                ? ""
                : String.format(
                        Locale.ROOT,
                        "under TCG both lose time mostly to the emulator and the host (Azalea %.1f%%, Linux %.1f%%)",
                        at * 100,
                        lt * 100);
        if (Double.isNaN(ai) || Double.isNaN(li)) return tcg.isEmpty() ? "not measured" : tcg;
        String v = ai < li
                ? String.format(Locale.ROOT, "holds under icount: Azalea %.3f%% vs Linux %.3f%%", ai * 100, li * 100)
                : String.format(
                        Locale.ROOT, "does not hold under icount: Azalea %.3f%% vs Linux %.3f%%", ai * 100, li * 100);
        return v + (tcg.isEmpty() ? "" : "; " + tcg);
    }

    private static String calls(List<CallPoint> cs) {
        StringBuilder s = new StringBuilder();
        for (String op : CallCosts.OPS) {
            s.append(op).append(':');
            for (String sys : List.of("azalea", "linux", "native"))
                cs.stream()
                        .filter(c -> c.op().equals(op) && c.system().equals(sys))
                        .findFirst()
                        .ifPresent(c -> s.append(String.format(Locale.ROOT, " %s %.0f ns", sys, c.ns())));
            s.append("; ");
        }
        return cs.isEmpty() ? "not measured" : s.toString().strip();
    }

    private static String boots(Map<String, Object> boots) {
        Object l = boots.get("linux_boot_s"), a = boots.get("azalea_boot_s");
        return String.format(
                Locale.ROOT,
                "Linux guest (%s CPUs) to its init: %s s; Azalea node (%s CPUs) to every core parked: %s s",
                boots.get("linux_cpus"),
                l == null ? "-" : String.format(Locale.ROOT, "%.1f", (Double) l),
                boots.get("azalea_cpus"),
                a == null ? "-" : String.format(Locale.ROOT, "%.2f", (Double) a));
    }
}
