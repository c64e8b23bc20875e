package org.azalea.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.azalea.proxy.Stdio;
import org.azalea.stub.HostStubSession;

/**
 * {@code azalea demo}: the offload channel end to end.  The host stub (the
 * unikernel's offload client in a host process) runs its file workload in a
 * fresh root through the Java proxy; the demo shows its transcript, what the
 * host now sees in that root, and the proxy's per-opcode statistics.
 */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run a workload through the offload proxy and show its statistics";
    }

    @Override
    public String help() {
        return """
                usage: azalea demo [--root DIR]

                Starts the Java offload proxy on a shared-memory region, runs the host
                stub's file workload through it (every file call offloaded to Java),
                then prints the stub's transcript, the files the host sees and the
                proxy's per-opcode counts and latencies.

                  --root DIR   the instance's root directory (default: a new temporary one)
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path chosen = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--root") && i + 1 < args.size()) chosen = Path.of(args.get(++i));
            else throw new UsageException("unknown option '" + args.get(i) + "'");
        }
        final Path root = chosen != null ? chosen : Files.createTempDirectory("azalea-demo");
        if (!Files.isDirectory(root)) throw new UsageException("--root " + root + " is not a directory");

        try (HostStubSession s = new HostStubSession(root, 1, 64, 100_000, Stdio.discard())) {
            List<String> cmd = new ArrayList<>(s.stubArgs(0, 1));
            cmd.add("files");
            out.println("== stub transcript (every call offloaded to the Java proxy, root " + root + ")");
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            p.getOutputStream().close();
            out.print(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            int status = p.waitFor();
            out.println("== the host sees in " + root + ":");
            try (var walk = Files.walk(root)) {
                walk.filter(f -> !f.equals(root)).sorted().forEach(f -> out.println("  " + root.relativize(f)));
            }
            out.println("== proxy statistics");
            out.print(s.proxy().stats());
            return status;
        }
    }
}
