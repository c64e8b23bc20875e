package org.azalea.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.azalea.BuildPaths;
import org.azalea.node.Accelerator;
import org.azalea.node.ElfImage;
import org.azalea.node.Node;
import org.azalea.node.NodeShape;
import org.azalea.node.SizeParser;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.service.InstanceHandle;
import org.azalea.service.InstanceView;
import org.azalea.service.NodeSession;
import org.azalea.service.NodeStatus;
import org.azalea.service.RemoteSession;
import org.azalea.service.RuntimeDir;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.LifecycleState;
import org.azalea.sideloader.PartitionRequest;
import org.azalea.sideloader.ResourceManager.QuadrantUsage;
import org.azalea.sideloader.ResourceUnavailableException;

/**
 * {@code azalea run}: one static program as a unikernel instance with the
 * command's own stdio and a root directory, exiting with the program's
 * status.  On the running node service if there is one (stdio streamed over
 * its socket), else on a private node booted for this run; both go through
 * the same sideloader.  Everything that can be checked before booting or
 * connecting is checked first.
 */
final class RunCommand implements Command {
    /** The node kernel keeps the first 32 MiB of quadrant 0; leave slack for alignment. */
    /** `azalea run`'s own failure: the node refused or lost the instance (as `docker run` uses 125). */
    static final int REFUSED = 125;

    static final int TIMED_OUT = 124;

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

                Runs PROGRAM (a static x86-64 Linux ELF on this host: musl-gcc -static, or
                static-PIE) as a unikernel instance on its own cores and memory, serves its
                file and network calls from the host, and exits with the program's exit
                status.  With a running node (azalea node start) the instance runs there and
                its stdin, stdout and stderr are streamed over the node's socket (Ctrl-C
                kills it); otherwise a private node is booted for this run and stopped after.

                  --cores N        cores for the instance (default 1)
                  --quadrant Q     NUMA quadrant to run on (default: any with room, the emptiest;
                                   0 is the full-weight kernel's on a node with quadrants)
                  --mem SIZE       the instance's memory, e.g. 64M, 1G (default 128M)
                  --root DIR       the instance's file system root (default: the current directory);
                                   its working directory starts there; nothing outside is reachable
                  --env NAME=VALUE add to the environment (default: HOME=/ PATH=/bin:/usr/bin, TERM, LANG)
                  --net POLICY     what network the program reaches (default loopback):
                                   none      no IP sockets (socket() fails with EACCES)
                                   loopback  peers on 127.0.0.0/8 and ::1 only (others: ENETUNREACH);
                                             a bind to 0.0.0.0 or :: binds loopback instead
                                   host      the host's network, as the node service's user
                  --private        boot a private node even if one is running
                  --attach         run on the running node service only: with none, fail (125)
                                   instead of booting a private node (the Slurm plugin's tasks)
                  --smp N          CPUs of a private node (default 72, four quadrants of 18)
                  --accel MODE     a private node's accelerator: auto, kvm or tcg (default auto:
                                   TCG where /dev/kvm is PVM or absent)
                  --timeout SECS   kill the instance after this long (default: none)
                  --verbose        log the node's progress on stderr

                Exit status: the program's; 128+9 = 137 when killed, 139 when it crashed (the
                fault is printed), 127 when it could not start, 124 after --timeout,
                125 when the node refused it (the cores or memory asked for are busy: the
                message says what is free) or was lost, 2 for bad options or programs.
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
        boolean privateNode = false, attachOnly = false, nodeOptionsGiven = false;
        long timeoutSecs = 0;
        NetPolicy net = NetPolicy.DEFAULT;
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
                case "--mem" -> mem = NodeOptions.size(o.value(opt));
                case "--root" -> root = Path.of(o.value(opt)).toAbsolutePath();
                case "--env" -> {
                    String kv = o.value(opt);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) throw new UsageException("--env needs NAME=VALUE, not '" + kv + "'");
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--net" -> {
                    try {
                        net = NetPolicy.parse(o.value(opt));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--net: " + e.getMessage());
                    }
                }
                case "--private" -> privateNode = true;
                case "--attach" -> attachOnly = true;
                case "--smp" -> {
                    smp = o.intValue(opt, 1, NodeShape.MAX_CPUS);
                    nodeOptionsGiven = true;
                }
                case "--accel" -> {
                    accel = o.value(opt);
                    nodeOptionsGiven = true;
                }
                case "--timeout" -> timeoutSecs = o.intValue(opt, 1, Integer.MAX_VALUE);
                case "--verbose" -> {} // handled by Main before any logger exists
                default -> throw new UsageException("unknown option '" + opt + "' (see azalea run --help)");
            }
        }
        List<String> rest = o.rest();
        if (rest.isEmpty()) throw new UsageException("no PROGRAM given (see azalea run --help)");
        if (attachOnly && privateNode) throw new UsageException("--attach and --private exclude each other");
        Path programPath = Path.of(rest.get(0)).toAbsolutePath();
        try {
            ElfImage.load(programPath);
        } catch (ElfImage.NotRunnable e) {
            throw new UsageException(e.getMessage().replace(programPath.toString(), rest.get(0)));
        }
        if (!Files.isDirectory(root)) throw new UsageException("--root " + root + " is not a directory");
        if (mem < (4L << 20)) throw new UsageException("--mem " + SizeParser.format(mem) + ": at least 4M");
        Accelerator.Choice accelChoice;
        try {
            accelChoice = Accelerator.parse(accel);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }

        String name = programPath.getFileName().toString();
        PartitionRequest partition = quadrantGiven == null
                ? PartitionRequest.of(cores, mem)
                : PartitionRequest.of(quadrantGiven, cores, mem);
        LaunchRequest request = new LaunchRequest(
                name,
                programPath,
                rest.subList(1, rest.size()),
                env.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList(),
                partition,
                root,
                System.in,
                out,
                err,
                net);

        Optional<RemoteSession> running = privateNode ? Optional.empty() : Nodes.running();
        if (attachOnly && running.isEmpty()) {
            err.println("azalea run: --attach: no node is running (runtime directory "
                    + RuntimeDir.standard().dir() + ")");
            return REFUSED;
        }
        NodeSession session;
        if (running.isPresent()) {
            if (nodeOptionsGiven)
                err.println("azalea run: --smp and --accel ignored: running on the node service (pid "
                        + running.get().pid() + ")");
            checkFits(running.get().status(), quadrantGiven, cores, mem);
            session = running.get();
        } else {
            NodeShape shape = shapeFor(smp);
            checkFits(shape, quadrantGiven != null ? quadrantGiven : shape.quadrants() > 1 ? 1 : 0, cores, mem);
            // Quadrant 0 is the full-weight kernel's, unless asked for or the only one.
            Set<Integer> fwk =
                    shape.quadrants() > 1 && !Integer.valueOf(0).equals(quadrantGiven) ? Set.of(0) : Set.of();
            Node.Config config =
                    Node.Config.defaults(BuildPaths.dir()).withShape(shape).withAccel(accelChoice);
            session = NodeSession.boot(config, fwk);
        }
        try (session) {
            return runOn(session, request, timeoutSecs, err);
        }
    }

    private static int runOn(NodeSession session, LaunchRequest request, long timeoutSecs, PrintStream err)
            throws Exception {
        String console =
                session.status().consoleLog(); // asked now: a service may be gone by the time the instance ends
        InstanceHandle h;
        try {
            h = session.launch(request);
        } catch (ResourceUnavailableException e) {
            err.println("azalea run: " + e.getMessage());
            return REFUSED;
        } catch (ElfImage.NotRunnable e) {
            throw new UsageException(e.getMessage());
        }
        // Ctrl-C (or SIGTERM) of this command ends the instance, not only the command.
        Thread hook = new Thread(
                () -> {
                    try {
                        h.kill();
                        h.await(Duration.ofSeconds(5));
                    } catch (Exception ignored) {
                        // the JVM is going; a service also kills a run whose connection closes
                    }
                },
                "azalea-run-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            InstanceView end;
            try {
                end = h.await(timeoutSecs > 0 ? Duration.ofSeconds(timeoutSecs) : Duration.ofDays(3650));
            } catch (java.io.IOException e) {
                err.println("azalea run: " + request.name() + ": " + e.getMessage());
                return REFUSED;
            }
            if (end == null) {
                err.println("azalea run: " + request.name() + " still running after " + timeoutSecs + " s: killed");
                h.kill();
                h.await(Duration.ofSeconds(20));
                return TIMED_OUT;
            }
            if (end.ending() != LifecycleState.EXITED) {
                err.println("azalea run: " + request.name() + " " + end.outcome() + " (instance " + end.id()
                        + "; node console: " + console + ")");
            }
            return end.exitStatus();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    static NodeShape shapeFor(int smp) throws UsageException {
        try {
            return NodeShape.of(smp, null, null);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** What a private node of {@code shape} could never give (busy resources are the node's to refuse). */
    static void checkFits(NodeShape shape, int quadrant, int cores, long mem) throws UsageException {
        if (quadrant >= shape.quadrants()) {
            throw new UsageException(
                    "--quadrant " + quadrant + ": the node has quadrants 0.." + (shape.quadrants() - 1));
        }
        int freeCores = shape.instanceCpus(quadrant);
        if (cores > freeCores) {
            throw new UsageException(
                    "--cores " + cores + ": quadrant " + quadrant + " has " + freeCores + " cores for instances");
        }
        long usable = shape.instanceMemory(quadrant);
        if (mem > usable) {
            throw new UsageException("--mem " + SizeParser.format(mem) + ": quadrant " + quadrant + " has "
                    + SizeParser.format(usable) + " for instances");
        }
    }

    /** The same for a running node, from what it reports. */
    static void checkFits(NodeStatus s, Integer quadrant, int cores, long mem) throws UsageException {
        if (quadrant != null && quadrant >= s.quadrants()) {
            throw new UsageException("--quadrant " + quadrant + ": the node has quadrants 0.." + (s.quadrants() - 1));
        }
        int maxCores = 0;
        long maxMem = 0;
        for (QuadrantUsage u : s.usage()) {
            if (u.fullWeightKernel() || (quadrant != null && u.quadrant() != quadrant)) continue;
            maxCores = Math.max(maxCores, u.coresTotal());
            maxMem = Math.max(maxMem, u.memoryTotal());
        }
        String where = quadrant == null ? "no quadrant for instances has" : "quadrant " + quadrant + " has";
        if (quadrant != null && maxCores == 0) {
            throw new UsageException("--quadrant " + quadrant + " is the full-weight kernel's on the running node");
        }
        if (cores > maxCores) throw new UsageException("--cores " + cores + ": " + where + " more than " + maxCores);
        if (mem > maxMem) {
            throw new UsageException(
                    "--mem " + SizeParser.format(mem) + ": " + where + " more than " + SizeParser.format(maxMem));
        }
    }
}
