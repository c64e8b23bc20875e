package org.azalea.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.azalea.abi.abi_h;
import org.azalea.proxy.Stdio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card's integration: the host stub process (the unikernel's offload client
 * compiled for the host) drives a file and a socket workload through the Java
 * proxy, and every result matches the same workload done directly on the host.
 */
class StubOffloadIT {
    @TempDir
    Path proxied;

    @TempDir
    Path direct;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
    }

    record Result(int exit, String stdout, String stderr) {}

    private static Result runProcess(List<String> cmd, Path cwd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).start();
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofPlatform().start(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.complete(e.toString());
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("stub timed out: " + cmd);
        }
        return new Result(p.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    private HostStubSession session() throws IOException {
        var s = new HostStubSession(proxied, 2, 64, 100_000, Stdio.discard());
        toClose.add(s);
        return s;
    }

    @Test
    void fileWorkloadMatchesTheHost() throws Exception {
        HostStubSession s = session();
        List<String> cmd = new ArrayList<>(s.stubArgs(0, 1));
        cmd.add("files");
        Result viaProxy = runProcess(cmd, proxied);
        Result onHost = runProcess(List.of(s.stubBinary().toString(), "--direct", "files"), direct);

        assertEquals(0, onHost.exit(), "direct run failed:\n" + onHost.stdout() + onHost.stderr());
        assertEquals(onHost.stdout(), viaProxy.stdout(), "transcripts differ; stderr: " + viaProxy.stderr());
        assertEquals(0, viaProxy.exit(), viaProxy.stderr());
        assertTrue(viaProxy.stdout().contains("done failures=0"), viaProxy.stdout());
        // The host sees what the instance left in its root, and nothing the
        // workload did landed outside it.
        try (var files = Files.list(proxied)) {
            List<String> names =
                    files.map(p -> p.getFileName().toString()).sorted().toList();
            try (var expected = Files.list(direct)) {
                assertEquals(
                        expected.map(p -> p.getFileName().toString()).sorted().toList(), names);
            }
        }
        assertTrue(
                s.proxy().stats().count(abi_h.AZ_OP_OPENAT())
                                + s.proxy().stats().count(abi_h.AZ_OP_OPEN())
                        > 0,
                s.proxy().stats().toString());
    }

    @Test
    void socketWorkloadMatchesTheHost() throws Exception {
        HostStubSession s = session();
        try (EchoServer echo = new EchoServer()) {
            List<String> cmd = new ArrayList<>(s.stubArgs(0, 1));
            cmd.addAll(List.of("sockets", Integer.toString(echo.port())));
            Result viaProxy = runProcess(cmd, proxied);
            Result onHost = runProcess(
                    List.of(s.stubBinary().toString(), "--direct", "sockets", Integer.toString(echo.port())), direct);
            assertEquals(0, onHost.exit(), "direct run failed:\n" + onHost.stdout() + onHost.stderr());
            assertEquals(onHost.stdout(), viaProxy.stdout(), "transcripts differ; stderr: " + viaProxy.stderr());
            assertEquals(0, viaProxy.exit(), viaProxy.stderr());
            assertTrue(
                    s.proxy().stats().count(abi_h.AZ_OP_CONNECT()) > 0,
                    s.proxy().stats().toString());
        }
    }

    @Test
    void severalStubThreadsOnTheirOwnChannels() throws Exception {
        HostStubSession s = session();
        List<String> cmd = new ArrayList<>(s.stubArgs(0, 2));
        cmd.addAll(List.of("--warmup", "1000", "bench-throughput", "200000"));
        Result r = runProcess(cmd, proxied);
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("offload_null_ops_per_s_n"), r.stdout());
        assertTrue(
                s.proxy().stats().count(abi_h.AZ_OP_NOP()) >= 400_000,
                s.proxy().stats().toString());
    }

    /** A real TCP echo server on loopback: echoes every byte, closes its side on EOF. */
    static final class EchoServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Thread acceptor = Thread.ofPlatform().daemon().start(this::serve);

        EchoServer() throws IOException {}

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket c = server.accept();
                    Thread.ofPlatform().daemon().start(() -> echo(c));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void echo(Socket c) {
            try (c;
                    InputStream in = c.getInputStream();
                    OutputStream out = c.getOutputStream()) {
                in.transferTo(out);
                c.shutdownOutput();
            } catch (IOException ignored) {
                // the peer went away: nothing to echo to
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            acceptor.interrupt();
        }
    }
}
