package org.azalea.eval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.io.FileUtils;
import org.azalea.node.Node;
import org.azalea.service.InstanceHandle;
import org.azalea.service.InstanceView;
import org.azalea.service.NodeSession;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.PartitionRequest;

/**
 * Azalea: one private node booted for the whole evaluation (the paper's
 * shape: quadrant 0 the full-weight kernel's), each task an instance of its
 * cores, or for Fig. 5 one instance per quadrant 1-3 at once ({@link Split}).
 * Every instance's root is a scratch directory of its own.
 */
final class AzaleaRunner implements AutoCloseable {
    static final long INSTANCE_MEMORY = 128L << 20;

    private final NodeSession node;
    private final Programs programs;
    private final Path work;
    private final Duration timeout;
    private final String mode;
    final Duration bootTime;

    AzaleaRunner(Node.Config config, Set<Integer> fwk, Programs programs, Path work, Duration timeout, String mode)
            throws Exception {
        long t0 = System.nanoTime();
        this.node = NodeSession.boot(config, fwk);
        this.bootTime = Duration.ofNanos(System.nanoTime() - t0);
        this.programs = programs;
        this.work = work;
        this.timeout = timeout;
        this.mode = mode;
    }

    Outcome run(Task t) throws IOException, InterruptedException {
        Path root = Files.createDirectories(work.resolve(t.id()));
        double load = HostLoad.now();
        List<Split> parts = t.figure().equals("fig5")
                ? Split.of(t.users(), t.cores(), 3)
                : List.of(new Split(PartitionRequest.ANY, t.users(), t.cores(), 0));
        List<InstanceHandle> handles = new ArrayList<>();
        List<ByteArrayOutputStream> outputs = new ArrayList<>();
        String error = null;
        int status = 0;
        try {
            for (Split s : parts) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                OutputStream sync = new SynchronizedOutput(out);
                PartitionRequest where = s.quadrant() == PartitionRequest.ANY
                        ? PartitionRequest.of(s.cores(), INSTANCE_MEMORY)
                        : PartitionRequest.of(s.quadrant(), s.cores(), INSTANCE_MEMORY);
                handles.add(node.launch(new LaunchRequest(
                        t.kind().program + "-q" + s.quadrant(),
                        programs.of(t.kind()),
                        t.argsFor(s.users(), s.firstUser()),
                        List.of("HOME=/"),
                        where,
                        root,
                        null,
                        sync,
                        sync)));
                outputs.add(out);
            }
            for (InstanceHandle h : handles) {
                InstanceView end = h.await(timeout);
                if (end == null) {
                    h.kill();
                    h.await(Duration.ofSeconds(30));
                    error = "timed out after " + timeout.toSeconds() + " s";
                } else if (end.exitStatus() != 0) {
                    status = end.exitStatus();
                    if (error == null) error = "instance " + end.id() + ": " + end.stateText() + " " + end.outcome();
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) throw ie;
            for (InstanceHandle h : handles) h.kill();
            error = "launch failed: " + e.getMessage();
        }
        StringBuilder text = new StringBuilder();
        for (ByteArrayOutputStream o : outputs) text.append(o.toString(StandardCharsets.ISO_8859_1));
        FileUtils.deleteQuietly(root.toFile());
        return new Outcome(t, "azalea", mode, status, text.toString(), error, load);
    }

    @Override
    public void close() throws Exception {
        node.close();
    }

    /** Instances write their stdout and stderr from the proxy's threads. */
    private static final class SynchronizedOutput extends OutputStream {
        private final OutputStream out;

        SynchronizedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
