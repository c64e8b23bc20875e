package org.azalea.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.azalea.node.Accelerator;
import org.azalea.node.Node;
import org.azalea.node.NodeShape;

/**
 * The paper's evaluation, reproduced (issue 9): the same tasks ({@link Plan})
 * natively, on an Azalea node and in a Linux guest on the same emulated node,
 * then the noise probe again under -icount; each system booted once.  Writes
 * results.json/csv, the plots and report.md into the output directory.  A
 * failed task is reported with its log (logs/) and the rest goes on.
 */
public final class Evaluation {
    private final EvalOptions o;
    private final Path home, buildDir;
    private final PrintStream out;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final Map<String, Object> boots = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private Progress progress;

    public Evaluation(EvalOptions options, Path home, Path buildDir, PrintStream out) {
        this.o = options;
        this.home = home;
        this.buildDir = buildDir;
        this.out = out;
    }

    /** Runs everything; returns 0 when every task ran, 1 when some failed (the results are written either way). */
    public int run() throws Exception {
        Programs programs = Programs.in(buildDir);
        LinuxKernel kernel = LinuxKernel.fetch(home);
        Path work = o.out().resolve("work");
        Files.createDirectories(o.out().resolve("logs"));
        Accelerator.Choice accel = Accelerator.detect();
        Map<String, Object> env = Environment.capture(home, kernel, accel.accelerator() + " (" + accel.reason() + ")");
        List<Task> tasks = Plan.tasks(o);
        boolean icount = o.icount() && o.runs("noise");
        int total = tasks.size() * 3 + (icount ? 2 : 0);
        progress = new Progress(out, total);
        progress.note("evaluation: " + tasks.size() + " tasks on each of native, azalea, linux"
                + (icount ? ", and the noise probe under -icount" : "") + "; output " + o.out());

        // Native: the host, the same binaries.
        NativeRunner nat = new NativeRunner(programs, work.resolve("native"), timeout());
        for (Task t : tasks) record("native", t, () -> nat.run(t));

        // Azalea: the paper's node, quadrant 0 the full-weight kernel's.
        Node.Config nodeConfig = Node.Config.defaults(buildDir).withAccel(accel);
        runAzalea(nodeConfig, Set.of(0), programs, work, tasks, "azalea", "tcg");

        // Linux: the same node's machine, one boot for every task.
        NodeShape linuxShape = NodeShape.of(o.linuxCpus(), null, null);
        runLinux(kernel, programs, work, tasks, linuxShape, accel.accelerator(), "linux", "tcg");

        if (icount) {
            // Under -icount guest time is exact: a 2-CPU node (its monitor and one core) and a
            // 1-CPU Linux guest (Linux does not bring a second CPU up under icount).
            List<Task> noise = List.of(Plan.noise(o));
            Node.Config ic = nodeConfig
                    .withShape(NodeShape.of(2, 1, 512L << 20))
                    .withAccel(new Accelerator.Choice(Accelerator.TCG_ICOUNT, "the noise probe under -icount"));
            runAzalea(ic, Set.of(), programs, work, noise, "azalea-icount", "icount");
            runLinux(
                    kernel,
                    programs,
                    work,
                    noise,
                    NodeShape.of(1, 1, 512L << 20),
                    Accelerator.TCG_ICOUNT,
                    "linux-icount",
                    "icount");
        }

        int hostCpus = (Integer) env.get("host_cpus");
        Results results = new Results(
                env,
                Aggregate.points(outcomes, hostCpus),
                Aggregate.noise(outcomes),
                Aggregate.calls(outcomes),
                boots,
                failures);
        results.write(o.out());
        Charts.writeAll(results, o.out(), hostCpus);
        Report.write(results, o, o.out());
        progress.note("wrote " + o.out().resolve("results.json") + ", results.csv, report.md and the plots");
        if (!failures.isEmpty()) {
            progress.note(failures.size() + " task(s) failed; their logs are in "
                    + o.out().resolve("logs"));
            return 1;
        }
        return 0;
    }

    private Duration timeout() {
        return Duration.ofSeconds(o.timeoutSeconds());
    }

    private void runAzalea(
            Node.Config config,
            Set<Integer> fwk,
            Programs programs,
            Path work,
            List<Task> tasks,
            String label,
            String mode)
            throws Exception {
        progress.note(label + ": booting a " + config.shape().cpus() + "-CPU node ("
                + config.accel().accelerator() + ")");
        AzaleaRunner az;
        try {
            az = new AzaleaRunner(config, fwk, programs, work.resolve(label), timeout(), mode);
        } catch (Exception e) {
            for (Task t : tasks) fail(new Outcome(t, "azalea", mode, -1, "", "node boot failed: " + e, HostLoad.now()));
            return;
        }
        try (az) {
            boots.put(label + "_boot_s", az.bootTime.toNanos() / 1e9);
            boots.put(label + "_cpus", config.shape().cpus());
            progress.note(label + ": node up in " + String.format("%.2f s", az.bootTime.toNanos() / 1e9));
            for (Task t : tasks) record(label, t, () -> az.run(t));
        }
    }

    private void runLinux(
            LinuxKernel kernel,
            Programs programs,
            Path work,
            List<Task> tasks,
            NodeShape shape,
            Accelerator accel,
            String label,
            String mode)
            throws IOException, InterruptedException {
        List<LinuxGuest.Line> plan = new ArrayList<>();
        Map<String, Task> byId = new LinkedHashMap<>();
        for (Task t : tasks) {
            plan.add(new LinuxGuest.Line(
                    t.id(),
                    Math.min(t.cores(), shape.cpus()),
                    o.timeoutSeconds(),
                    t.kind().program,
                    t.argsFor(t.users(), 0)));
            byId.put(t.id(), t);
        }
        progress.note(label + ": booting Linux " + kernel.version() + " on " + shape.cpus() + " CPUs (" + accel
                + "); under TCG this takes about a second per CPU");
        long[] began = {System.nanoTime()};
        double[] load = {HostLoad.now()};
        Map<String, Double> loads = new LinkedHashMap<>();
        LinuxGuest.Boot boot = LinuxGuest.run(
                kernel.vmlinuz(),
                programs.init(),
                programs.byName(),
                plan,
                shape,
                accel,
                work.resolve(label),
                Duration.ofMinutes(30),
                Duration.ofMinutes(30).plus(timeout().multipliedBy(Math.max(1, tasks.size()))),
                line -> {
                    if (line.startsWith("azalea-init: linux ")) progress.note(label + ": " + line.substring(13));
                    if (line.startsWith("azalea-init: begin ")) {
                        began[0] = System.nanoTime();
                        load[0] = HostLoad.now();
                        loads.put(line.substring(19).trim(), load[0]);
                    }
                    if (line.startsWith("azalea-init: end ")) {
                        String id = line.substring(17).split(" ")[0];
                        Task t = byId.get(id);
                        if (t != null)
                            progress.finished(
                                    label,
                                    t,
                                    Duration.ofNanos(System.nanoTime() - began[0]),
                                    new Outcome(t, "linux", mode, line.contains(" status 0 ") ? 0 : 1, "", null, 0));
                    }
                });
        if (boot.bootTime() != null)
            boots.put(label + "_boot_s", boot.bootTime().toNanos() / 1e9);
        boots.put(label + "_cpus", shape.cpus());
        if (boot.release() != null) boots.put(label + "_kernel_release", boot.release());
        Files.writeString(o.out().resolve("logs").resolve(label + "-console.log"), boot.console());
        for (Task t : tasks) {
            LinuxGuest.Output got = boot.outputs().get(t.id());
            String error = got == null
                    ? (boot.error() != null ? boot.error() : "the guest never ran it")
                    : got.status() < 0 ? (boot.error() != null ? boot.error() : "no end marker") : null;
            Outcome oc = new Outcome(
                    t,
                    "linux",
                    mode,
                    got == null ? -1 : got.status(),
                    got == null ? "" : got.text(),
                    error,
                    loads.getOrDefault(t.id(), -1.0));
            outcomes.add(oc);
            if (!oc.ok()) fail(oc);
        }
    }

    private interface Step {
        Outcome run() throws Exception;
    }

    private void record(String label, Task t, Step step) {
        long t0 = System.nanoTime();
        Outcome oc;
        try {
            oc = step.run();
        } catch (Exception e) {
            oc = new Outcome(t, label.startsWith("azalea") ? "azalea" : "native", "", -1, "", e.toString(), -1);
        }
        outcomes.add(oc);
        if (!oc.ok()) fail(oc);
        progress.finished(label, t, Duration.ofNanos(System.nanoTime() - t0), oc);
    }

    private void fail(Outcome oc) {
        Path log = o.out()
                .resolve("logs")
                .resolve(oc.system() + "-" + oc.mode() + "-" + oc.task().id() + ".log");
        try {
            Files.writeString(log, "failure: " + oc.failure() + "\n\n" + oc.output());
        } catch (IOException e) {
            // the failure is still listed below
        }
        String line = oc.system() + " (" + oc.mode() + ") " + oc.task().describe() + ": " + oc.failure() + " (log: "
                + log + ")";
        failures.add(line);
        progress.note("FAILED " + line);
        if (!oc.output().isEmpty()) {
            String[] lines = oc.output().strip().split("\n");
            for (int i = Math.max(0, lines.length - 5); i < lines.length; i++) progress.note("  | " + lines[i]);
        }
    }
}
