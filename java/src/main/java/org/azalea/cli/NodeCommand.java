package org.azalea.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.azalea.BuildPaths;
import org.azalea.node.NodeBootException;
import org.azalea.service.NodeService;
import org.azalea.service.RemoteSession;
import org.azalea.service.RuntimeDir;

/**
 * {@code azalea node start|status|stop}: the node as a background service.
 * {@code start} runs this same program detached ({@code node serve}, not
 * listed) and waits until its socket answers.
 */
final class NodeCommand implements Command {
    /** Booting takes under a second under TCG; QEMU's first start on a cold machine, far longer. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    @Override
    public String name() {
        return "node";
    }

    @Override
    public String summary() {
        return "start, inspect or stop the node service (a node that stays up)";
    }

    @Override
    public String help() {
        return """
                usage: azalea node start [OPTIONS] [--foreground]
                       azalea node status
                       azalea node stop

                start   boots an emulated many-core node and keeps it running as a background
                        service with a control socket in the runtime directory
                        ($XDG_RUNTIME_DIR/azalea, else /tmp/azalea-$USER; AZALEA_RUNTIME_DIR
                        overrides), then prints its status.  `azalea run`, `ps`, `kill`,
                        `logs`, `stats` and `deploy` use it.  The service's log is
                        service.log there.  Refused if a node is already running.
                        --foreground runs the service in this process; Ctrl-C stops it.
                status  the node's shape, accelerator, uptime, per-quadrant free cores and
                        memory, and instance count.
                stop    kills every instance, stops QEMU, removes its shared-memory files
                        and the socket.  SIGTERM or SIGINT to the service does the same.

                """ + NodeOptions.HELP + """

                Exit status: 0; 1 when start is refused or fails; 2 for bad options;
                3 from status when no node is running (stop then says so and exits 0).
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty()) throw new UsageException("needs start, status or stop (see azalea node --help)");
        List<String> rest = args.subList(1, args.size());
        return switch (args.getFirst()) {
            case "start" -> {
                NodeOptions o = NodeOptions.parse(rest);
                yield o.foreground() ? serve(o, out, err, true) : start(o, out, err);
            }
            case "serve" -> serve(NodeOptions.parse(rest), out, err, false);
            case "status" -> {
                noArgs(rest);
                Optional<RemoteSession> s = Nodes.running();
                if (s.isEmpty()) {
                    out.println("no node is running");
                    yield 3;
                }
                out.print(Render.status(s.get().status()));
                yield 0;
            }
            case "stop" -> {
                noArgs(rest);
                Optional<RemoteSession> s = Nodes.running();
                if (s.isEmpty()) {
                    out.println("no node is running");
                    yield 0;
                }
                out.println(s.get().stopService() + " (pid " + s.get().pid() + ")");
                yield 0;
            }
            default ->
                throw new UsageException("unknown node command '" + args.getFirst() + "' (start, status or stop)");
        };
    }

    private static void noArgs(List<String> rest) throws UsageException {
        if (!rest.isEmpty()) throw new UsageException("unexpected '" + rest.getFirst() + "'");
    }

    /** Starts `node serve` detached and waits for its socket. */
    private int start(NodeOptions o, PrintStream out, PrintStream err) throws Exception {
        RuntimeDir dir = RuntimeDir.standard().create();
        Optional<RemoteSession> running = Nodes.running();
        if (running.isPresent()) {
            err.println("azalea node start: a node is already running (pid "
                    + running.get().pid() + ", socket " + dir.socket() + ")");
            return 1;
        }
        ProcessBuilder pb = new ProcessBuilder(serviceCommand(dir, o))
                .redirectErrorStream(true)
                .redirectOutput(dir.serviceLog().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!p.isAlive() && p.exitValue() != 0) {
                err.println("azalea node start: the node service exited with status " + p.exitValue() + ": "
                        + lastLine(dir.serviceLog()) + " (log: " + dir.serviceLog() + ")");
                return 1;
            }
            Optional<RemoteSession> s = Nodes.running();
            // Another pid answering: a start that raced ours won, and ours exits refused (unless setsid forked it).
            if (s.isPresent() && (s.get().pid() == p.pid() || (!p.isAlive() && p.exitValue() == 0))) {
                out.print(Render.status(s.get().status()));
                return 0;
            }
            if (System.nanoTime() > deadline) {
                p.destroy(); // SIGTERM: the service cleans up what it started
                p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                err.println("azalea node start: the node was not ready after " + START_TIMEOUT.toSeconds() + " s (log: "
                        + dir.serviceLog() + ")");
                return 1;
            }
            Thread.sleep(50);
        }
    }

    /**
     * This JVM's program again, as its own session (setsid: a Ctrl-C or hang-up
     * of the terminal that started it does not reach it), with the runtime
     * directory fixed so it serves where this command looks.
     */
    private static List<String> serviceCommand(RuntimeDir dir, NodeOptions o) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dazalea.build.dir=" + BuildPaths.dir().toAbsolutePath());
        cmd.add("-Dazalea.runtime.dir=" + dir.dir());
        String home = System.getProperty("azalea.home");
        if (home != null) cmd.add("-Dazalea.home=" + home);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "node", "serve"));
        cmd.addAll(o.raw());
        return cmd;
    }

    /** Runs the service in this process until it is stopped. */
    private static int serve(NodeOptions o, PrintStream out, PrintStream err, boolean interactive) throws Exception {
        RuntimeDir dir = RuntimeDir.standard();
        NodeService service;
        try {
            service = NodeService.start(dir, o.config(dir), o.fwk());
        } catch (NodeService.AlreadyRunning e) {
            err.println("azalea node: " + e.getMessage());
            return 1;
        } catch (NodeBootException e) {
            err.println("azalea node: the node did not boot: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(() -> service.stop("the service got SIGTERM or SIGINT"), "azalea-service-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.print(Render.status(service.session().status()));
        if (interactive) out.println("serving in the foreground; Ctrl-C or `azalea node stop` stops the node");
        out.flush();
        int status = service.awaitStopped();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what stopped us
        }
        return status;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
            return lines.isEmpty() ? "(no output)" : lines.getLast().strip();
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
