package org.azalea.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.azalea.node.Accelerator;
import org.azalea.node.ElfImage;
import org.azalea.node.Instance;
import org.azalea.node.InstanceOutcome;
import org.azalea.node.InstanceSpec;
import org.azalea.node.Node;
import org.azalea.node.NodeInfo;
import org.azalea.node.NodeShape;
import org.azalea.node.SizeParser;
import org.azalea.proxy.Stdio;
import org.azalea.stub.HostStubSession;

/**
 * {@code azalea run}: boots a node, runs one static program as a unikernel
 * instance with the command's own stdio and a root directory, stops the node,
 * and exits with the program's status.  Everything that can be checked
 * without booting is checked first.
 */
final class RunCommand implements Command {
    /** The node kernel keeps the first 32 MiB of quadrant 0; leave slack for alignment. */
    private static final long QUADRANT0_RESERVED = 34L << 20;

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run a static Linux program as a unikernel instance";
    }

    @Override
    public String help() {
        return """
                usage: azalea run [OPTIONS] [--] PROGRAM [ARGS...]

                Boots an emulated many-core node, runs PROGRAM (a static x86-64 Linux ELF on
                this host: musl-gcc -static, or static-PIE) as a unikernel instance on its
                own cores and memory, serves its file and network calls from the host,
                stops the node and exits with the program's exit status.  A crashed
                instance prints the fault on stderr and exits with 139.

                  --cores N        cores for the instance (default 1)
                  --quadrant Q     NUMA quadrant to run on (default 1; 0 is the full-weight kernel's)
                  --mem SIZE       the instance's memory, e.g. 64M, 1G (default 128M)
                  --root DIR       the instance's file system root (default: the current directory);
                                   its working directory starts there; nothing outside is reachable
                  --env NAME=VALUE add to the environment (default: HOME=/ PATH=/bin:/usr/bin, TERM, LANG)
                  --smp N          CPUs of the node (default 72, four quadrants of 18)
                  --accel MODE     auto, kvm or tcg (default auto: TCG where /dev/kvm is PVM or absent)
                  --timeout SECS   kill the instance after this long (default: none)
                  --verbose        log the node's progress on stderr
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = new Options(args);
        int cores = 1, smp = 72;
        Integer quadrantGiven = null;
        long mem = 128L << 20;
        Path root = Path.of("").toAbsolutePath();
        String accel = "auto";
        long timeoutSecs = 0;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", "/");
        env.put("PATH", "/bin:/usr/bin");
        for (String name : List.of("TERM", "LANG")) {
            String v = System.getenv(name);
            if (v != null) env.put(name, v);
        }
        for (String opt; (opt = o.nextOption()) != null; ) {
            switch (opt) {
                case "--cores" -> cores = o.intValue(opt, 1, NodeShape.MAX_CPUS);
                case "--quadrant" -> quadrantGiven = o.intValue(opt, 0, NodeShape.MAX_CPUS);
                case "--mem" -> mem = size(o.value(opt));
                case "--root" -> root = Path.of(o.value(opt)).toAbsolutePath();
                case "--env" -> {
                    String kv = o.value(opt);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) throw new UsageException("--env needs NAME=VALUE, not '" + kv + "'");
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--smp" -> smp = o.intValue(opt, 1, NodeShape.MAX_CPUS);
                case "--accel" -> accel = o.value(opt);
                case "--timeout" -> timeoutSecs = o.intValue(opt, 1, Integer.MAX_VALUE);
                case "--verbose" -> { } // handled by Main before any logger exists
                default -> throw new UsageException("unknown option '" + opt + "' (see azalea run --help)");
            }
        }
        List<String> rest = o.rest();
        if (rest.isEmpty()) throw new UsageException("no PROGRAM given (see azalea run --help)");
        ElfImage program;
        try {
            program = ElfImage.load(Path.of(rest.get(0)));
        } catch (ElfImage.NotRunnable e) {
            throw new UsageException(e.getMessage());
        }
        if (!Files.isDirectory(root)) throw new UsageException("--root " + root + " is not a directory");
        NodeShape shape = shapeFor(smp);
        // Quadrant 0 is the full-weight kernel's; a node too small to split has only that one.
        int quadrant = quadrantGiven != null ? quadrantGiven : shape.quadrants() > 1 ? 1 : 0;
        Accelerator.Choice accelChoice;
        try {
            accelChoice = Accelerator.parse(accel);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        checkFits(shape, quadrant, cores, mem);

        List<String> argv = new ArrayList<>();
        argv.add(Path.of(rest.get(0)).getFileName().toString());
        argv.addAll(rest.subList(1, rest.size()));
        List<String> envList = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();

        Node.Config config = Node.Config.defaults(HostStubSession.buildDir()).withShape(shape).withAccel(accelChoice);
        try (Node node = Node.boot(config)) {
            NodeInfo.MemoryRange range = node.info().rangeOf(quadrant);
            if (range == null) throw new IllegalStateException("the node reports no memory for quadrant " + quadrant);
            long base = (range.base() + (2L << 20) - 1) & -(2L << 20);
            if (base + mem > range.end()) {
                err.println("azalea run: --mem " + SizeParser.format(mem) + " does not fit quadrant " + quadrant
                        + " (" + SizeParser.format(range.end() - base) + " usable)");
                return 2;
            }
            int first = shape.firstCpu(quadrant) + (quadrant == 0 ? 1 : 0);
            int[] cpus = new int[cores];
            for (int i = 0; i < cores; i++) cpus[i] = first + i;
            InstanceSpec spec = new InstanceSpec(argv.get(0), program, argv, envList, cpus, base, mem, root, Stdio.inherit());
            try (Instance inst = Instance.launch(node, spec)) {
                InstanceOutcome outcome = timeoutSecs > 0 ? inst.waitFor(Duration.ofSeconds(timeoutSecs))
                        : inst.waitFor(Duration.ofDays(365));
                if (outcome == null) {
                    err.println("azalea run: " + argv.get(0) + " still running after " + timeoutSecs + " s: killed");
                    inst.kill();
                    outcome = inst.waitFor(Duration.ofSeconds(10));
                    return 124;
                }
                if (outcome.state() != InstanceOutcome.State.EXITED) {
                    err.println("azalea run: " + argv.get(0) + " " + outcome.describe() + " (node log: " + node.consoleLog() + ")");
                }
                return outcome.processStatus();
            }
        }
    }

    static NodeShape shapeFor(int smp) throws UsageException {
        int quadrants = smp % 4 == 0 && smp >= 8 ? 4 : 1;
        long perQuadrant = quadrants == 4 ? 512L << 20 : 2L << 30;
        try {
            return new NodeShape(smp, quadrants, perQuadrant);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static void checkFits(NodeShape shape, int quadrant, int cores, long mem) throws UsageException {
        if (quadrant >= shape.quadrants()) {
            throw new UsageException("--quadrant " + quadrant + ": the node has quadrants 0.." + (shape.quadrants() - 1));
        }
        int freeCores = shape.cpusPerQuadrant() - (quadrant == 0 ? 1 : 0); // cpu 0 serves the mailboxes
        if (cores > freeCores) {
            throw new UsageException("--cores " + cores + ": quadrant " + quadrant + " has " + freeCores + " cores for instances");
        }
        long usable = shape.memoryPerQuadrant() - (quadrant == 0 ? QUADRANT0_RESERVED : 2L << 20);
        if (mem > usable) {
            throw new UsageException("--mem " + SizeParser.format(mem) + ": quadrant " + quadrant + " has "
                    + SizeParser.format(usable) + " for instances");
        }
        if (mem < (4L << 20)) throw new UsageException("--mem " + SizeParser.format(mem) + ": at least 4M");
    }

    private static long size(String text) throws UsageException {
        try {
            return SizeParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
