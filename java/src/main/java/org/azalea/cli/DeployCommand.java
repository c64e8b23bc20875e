package org.azalea.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.io.FileUtils;
import org.azalea.BuildPaths;
import org.azalea.node.ElfImage;
import org.azalea.node.Node;
import org.azalea.node.SizeParser;
import org.azalea.service.Deployment;
import org.azalea.service.InstanceHandle;
import org.azalea.service.InstanceView;
import org.azalea.service.NodeSession;
import org.azalea.service.NodeStatus;
import org.azalea.service.RemoteSession;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.LifecycleState;
import org.azalea.sideloader.ResourceManager.QuadrantUsage;
import org.azalea.sideloader.ResourceUnavailableException;

/**
 * {@code azalea deploy}: the paper's deployment in one command.  Reads a
 * deployment file, places its unikernels beside the full-weight kernel all at
 * once, shows their output as it comes, and reports how each ended with its
 * offload statistics and what the node has free afterwards.
 */
final class DeployCommand implements Command {
    @Override
    public String name() {
        return "deploy";
    }

    @Override
    public String summary() {
        return "run a deployment: unikernels on their quadrants beside the full-weight kernel";
    }

    @Override
    public String help() {
        return """
                usage: azalea deploy [OPTIONS] [FILE]

                Runs every instance of the deployment FILE at once (default: deploy/knl-snc4.deploy,
                the paper's: the full-weight kernel on quadrant 0 and one unikernel on each of
                quadrants 1-3), prints each instance's output prefixed with its name, then
                each one's exit status and offload statistics, and the node's free cores and
                memory once all are reclaimed.  Uses the running node if there is one (its
                full-weight kernel quadrant must match the file's), else boots the file's node.

                  --root DIR       each instance's root is DIR/NAME (default: a new temporary directory)
                  --timeout SECS   kill the instances still running after this long (default 600)
                  --private        boot a private node even if one is running

                The file format is documented in deploy/knl-snc4.deploy.

                Exit status: 0 when every instance exited with status 0; 1 when one did not, or
                the node refused one (nothing of the deployment is left running); 2 for a bad
                file or a program that cannot run.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = new Options(args);
        Path rootBase = null;
        long timeout = 600;
        boolean privateNode = false;
        for (String opt; (opt = o.nextOption()) != null; ) {
            switch (opt) {
                case "--root" -> rootBase = Path.of(o.value(opt)).toAbsolutePath();
                case "--timeout" -> timeout = o.intValue(opt, 1, Integer.MAX_VALUE);
                case "--private" -> privateNode = true;
                case "--verbose" -> {}
                default -> throw new UsageException("unknown option '" + opt + "' (see azalea deploy --help)");
            }
        }
        if (o.rest().size() > 1) throw new UsageException("one deployment FILE at most");
        Path file = o.rest().isEmpty() ? defaultFile() : Path.of(o.rest().getFirst());
        Deployment d;
        try {
            d = Deployment.read(file, BuildPaths.dir());
        } catch (Deployment.Invalid e) {
            throw new UsageException(e.getMessage());
        }
        for (Deployment.Entry e : d.entries()) {
            try {
                ElfImage.load(e.program());
            } catch (ElfImage.NotRunnable x) {
                throw new UsageException(file + ":" + e.line() + ": " + x.getMessage()
                        + (Files.exists(e.program()) ? "" : " (make native builds the deployment's programs)"));
            }
        }
        boolean ownRoot = rootBase == null;
        if (ownRoot) rootBase = Files.createTempDirectory("azalea-deploy");
        Optional<RemoteSession> running = privateNode ? Optional.empty() : Nodes.running();
        NodeSession session;
        if (running.isPresent()) {
            Set<Integer> fwk = fwkOf(running.get().status());
            if (!fwk.equals(d.fullWeightKernel())) {
                err.println("azalea deploy: the running node's full-weight kernel is on quadrant(s) " + fwk + ", "
                        + file + " wants " + d.fullWeightKernel());
                return 1;
            }
            session = running.get();
            out.println("== deploying " + file + " on the running node (pid "
                    + running.get().pid() + ")");
        } else {
            Node.Config config = Node.Config.defaults(BuildPaths.dir()).withShape(d.shape());
            out.println("== booting a node (" + d.shape().cpus() + " cpus, "
                    + d.shape().quadrants() + " quadrants of "
                    + SizeParser.format(d.shape().memoryPerQuadrant()) + ") for " + file);
            session = NodeSession.boot(config, d.fullWeightKernel());
        }
        try (session) {
            return deploy(session, d, rootBase, ownRoot, Duration.ofSeconds(timeout), out, err);
        } finally {
            if (ownRoot) FileUtils.deleteQuietly(rootBase.toFile()); // a temporary directory of ours; --root ones stay
        }
    }

    private static Path defaultFile() {
        String home = System.getProperty("azalea.home");
        return (home != null ? Path.of(home) : Path.of("")).resolve("deploy/knl-snc4.deploy");
    }

    private static Set<Integer> fwkOf(NodeStatus s) {
        Set<Integer> q = new TreeSet<>();
        for (QuadrantUsage u : s.usage()) if (u.fullWeightKernel()) q.add(u.quadrant());
        return q;
    }

    private static int deploy(
            NodeSession session,
            Deployment d,
            Path rootBase,
            boolean ownRoot,
            Duration timeout,
            PrintStream out,
            PrintStream err)
            throws Exception {
        out.println("== full-weight kernel on quadrant(s) " + d.fullWeightKernel() + "; "
                + d.entries().size() + " unikernels; roots under " + rootBase + (ownRoot ? " (temporary)" : ""));
        int width = d.entries().stream().mapToInt(e -> e.name().length()).max().orElse(8);
        List<InstanceHandle> handles = new ArrayList<>();
        List<LinePrefixer> outputs = new ArrayList<>();
        for (Deployment.Entry e : d.entries()) {
            Path root = Files.createDirectories(rootBase.resolve(e.name()));
            LinePrefixer o = new LinePrefixer(out, e.name(), width), x = new LinePrefixer(err, e.name(), width);
            outputs.add(o);
            outputs.add(x);
            LaunchRequest r = new LaunchRequest(
                    e.name(),
                    e.program(),
                    e.args(),
                    List.of("HOME=/", "PATH=/bin:/usr/bin"),
                    e.partition(),
                    root,
                    null,
                    o,
                    x,
                    e.net());
            try {
                handles.add(session.launch(r));
            } catch (ResourceUnavailableException | ElfImage.NotRunnable | IOException ex) {
                err.println("azalea deploy: " + e.name() + " refused: " + ex.getMessage());
                killAll(handles);
                return 1;
            }
        }
        List<InstanceView> ends = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean timedOut = false;
        for (InstanceHandle h : handles) {
            InstanceView v = h.await(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (v == null) {
                timedOut = true;
                h.kill();
                v = h.await(Duration.ofSeconds(30));
            }
            ends.add(v != null ? v : h.launched());
        }
        for (LinePrefixer p : outputs) p.close();
        if (timedOut)
            err.println("azalea deploy: instances still running after " + timeout.toSeconds() + " s were killed");
        return report(session, ends, out) && !timedOut ? 0 : 1;
    }

    private static void killAll(List<InstanceHandle> handles) throws IOException, InterruptedException {
        for (InstanceHandle h : handles) h.kill();
        for (InstanceHandle h : handles) h.await(Duration.ofSeconds(30));
    }

    /** Prints the outcome table, each instance's offload statistics and the node's occupancy; true if all succeeded. */
    private static boolean report(NodeSession session, List<InstanceView> ends, PrintStream out) throws IOException {
        boolean ok = true;
        out.println();
        out.println("== how each instance ended");
        out.print(Render.instances(ends));
        out.println();
        out.println("== offload statistics (calls the full-weight kernel served for each unikernel)");
        for (InstanceView v : ends) {
            out.print(Render.offloads(v));
            ok &= v.ending() == LifecycleState.EXITED && v.exitStatus() == 0;
        }
        NodeStatus s = session.status();
        out.println();
        out.println("== the node afterwards");
        out.print(Render.quadrants(s.usage()));
        out.println(
                s.allFree()
                        ? "every core and byte of memory for instances is free again"
                        : "some cores or memory are still held (other instances run on this node: azalea ps)");
        out.println(ok ? "deployment succeeded: every instance exited with status 0" : "deployment FAILED");
        return ok;
    }
}
