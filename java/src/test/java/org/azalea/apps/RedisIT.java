package org.azalea.apps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.azalea.node.InstanceOutcome;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.ManagedInstance;
import org.azalea.sideloader.PartitionRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis (bookworm's source package, built unmodified by apps/redis/build.sh)
 * as an instance: redis-server on the node, driven from the host by its own
 * redis-benchmark and redis-cli (native builds of the same source); then the
 * same static redis-server natively on the host under the same benchmark.
 * Both figures go to build/apps/redis-bench.txt, unikernel beside native.
 */
class RedisIT {
    @RegisterExtension
    static final AppNode booted = new AppNode();

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final List<String> COMMANDS = List.of("SET", "GET", "INCR", "LPUSH");
    /** Requests per benchmarked command (redis-benchmark -n). */
    static final int REQUESTS = Integer.getInteger("azalea.redis.requests", 20_000);

    @TempDir
    Path root;

    @Test
    void redisServesItsBenchmarkAndClientOnTheNodeAsNatively() throws Exception {
        Path server = AppBuild.file("redis/redis-server");

        int port = freePort();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path nodeRoot = Files.createDirectories(root.resolve("node"));
        ManagedInstance mi = booted.sideloader.launch(new LaunchRequest(
                "redis-server",
                server,
                serverArgs(port),
                List.of("HOME=/"),
                PartitionRequest.of(2, 256L << 20),
                nodeRoot,
                null,
                log,
                log));
        Map<String, Double> onNode;
        try {
            awaitPong(port, () -> !mi.state().settled(), log);
            onNode = exercise(port);
        } finally {
            if (!mi.state().settled()) cli(port, "SHUTDOWN", "NOSAVE");
        }
        InstanceOutcome o = mi.awaitReclaimed(Duration.ofSeconds(60));
        assertNotNull(o, "redis-server ends after SHUTDOWN NOSAVE and is reclaimed");
        String out = log.toString(StandardCharsets.UTF_8);
        assertEquals(InstanceOutcome.State.EXITED, o.state(), o.describe() + "\n" + out);
        assertEquals(0, o.processStatus(), o.describe() + "\n" + out);
        assertTrue(out.contains("Ready to accept connections"), out);
        assertTrue(out.contains("Redis is now ready to exit, bye bye"), out);
        booted.assertAllFree();
        assertEquals(List.of(), booted.unimplementedCallsOf(mi.id()), "redis-server needed no missing call");

        int nativePort = freePort();
        ByteArrayOutputStream nativeLog = new ByteArrayOutputStream();
        Path nativeRoot = Files.createDirectories(root.resolve("native"));
        List<String> cmd = new ArrayList<>(List.of(server.toString()));
        cmd.addAll(serverArgs(nativePort));
        Process p = HostProcess.start(cmd, nativeRoot, nativeLog);
        Map<String, Double> natively;
        try {
            awaitPong(nativePort, p::isAlive, nativeLog);
            natively = exercise(nativePort);
            cli(nativePort, "SHUTDOWN", "NOSAVE");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "native redis-server ends after SHUTDOWN NOSAVE");
            assertEquals(0, p.exitValue(), nativeLog.toString(StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
        writeFigures(onNode, natively);
    }

    /** Runs in the foreground with no persistence (no fork for RDB/AOF), on loopback at {@code port}. */
    private static List<String> serverArgs(int port) {
        return List.of(
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", ".");
    }

    /**
     * The benchmark (each command's requests per second, every one reported)
     * and the client's round trips: SET/GET, INCR and a 1 MiB value back byte for byte.
     */
    private Map<String, Double> exercise(int port) throws Exception {
        HostProcess bench = HostProcess.run(
                List.of(
                        AppBuild.file("redis/redis-benchmark").toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-t",
                        "set,get,incr,lpush",
                        "-n",
                        Integer.toString(REQUESTS),
                        "-c",
                        "10",
                        "--csv"),
                null,
                Map.of(),
                new byte[0],
                Duration.ofMinutes(10));
        assertEquals(0, bench.exitStatus(), bench.describe());
        Map<String, Double> rps = parseCsv(bench.out());
        assertEquals(COMMANDS, List.copyOf(rps.keySet()), "each command reports a figure:\n" + bench.out());
        for (var e : rps.entrySet()) assertTrue(e.getValue() > 0, e + "\n" + bench.out());

        assertEquals("OK", cli(port, "SET", "greeting", "hello from the host"));
        assertEquals("hello from the host", cli(port, "GET", "greeting"));
        for (int i = 1; i <= 3; i++) assertEquals(Integer.toString(i), cli(port, "INCR", "counter"));
        assertEquals(Integer.toString(REQUESTS), cli(port, "LLEN", "mylist"), "every LPUSH of the benchmark landed");

        byte[] big = new byte[1 << 20];
        Random r = new Random(12);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < big.length; i++) big[i] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
        HostProcess set = HostProcess.run(cliCmd(port, "-x", "SET", "big"), null, Map.of(), big, Duration.ofMinutes(2));
        assertEquals("OK\n", set.out(), set.describe());
        assertEquals(Integer.toString(big.length), cli(port, "STRLEN", "big"));
        HostProcess get =
                HostProcess.run(cliCmd(port, "GET", "big"), null, Map.of(), new byte[0], Duration.ofMinutes(2));
        assertEquals(0, get.exitStatus(), get.describe());
        byte[] expected = new byte[big.length + 1];
        System.arraycopy(big, 0, expected, 0, big.length);
        expected[big.length] = '\n';
        assertArrayEquals(expected, get.stdout(), "the 1 MiB value comes back byte for byte");
        return rps;
    }

    private static List<String> cliCmd(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                AppBuild.file("redis/redis-cli").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "--raw"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** One redis-cli command; its reply, trimmed. */
    private static String cli(int port, String... args) throws Exception {
        HostProcess r = HostProcess.run(cliCmd(port, args), null, Map.of(), new byte[0], Duration.ofMinutes(1));
        return r.out().strip();
    }

    /** redis-benchmark --csv: a header, then "NAME","RPS",... per command. */
    static Map<String, Double> parseCsv(String csv) {
        Map<String, Double> rps = new LinkedHashMap<>();
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length < 2 || line.startsWith("\"test\"")) continue;
            String name = f[0].replace("\"", "");
            if (name.startsWith("LPUSH")) name = "LPUSH"; // "LPUSH (needed to benchmark LRANGE)"
            rps.put(name, Double.parseDouble(f[1].replace("\"", "")));
        }
        return rps;
    }

    /** Waits until the server answers PING (inline command) while {@code alive}. */
    private static void awaitPong(int port, java.util.function.BooleanSupplier alive, ByteArrayOutputStream log)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            assertTrue(alive.getAsBoolean(), "redis-server ended before answering:\n" + log);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port), 2000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] reply = s.getInputStream().readNBytes(7);
                if (new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n")) return;
            } catch (IOException e) {
                // Not listening yet.
            }
            assertTrue(System.nanoTime() < deadline, "redis-server answers PING within 120 s:\n" + log);
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    private static void writeFigures(Map<String, Double> node, Map<String, Double> host) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# redis-benchmark -t set,get,incr,lpush -n ")
                .append(REQUESTS)
                .append(" -c 10 (requests per second), from the host\n");
        b.append(String.format(Locale.ROOT, "%-8s %14s %14s %8s%n", "command", "unikernel", "native", "ratio"));
        for (String c : COMMANDS) {
            b.append(String.format(
                    Locale.ROOT, "%-8s %14.2f %14.2f %8.3f%n", c, node.get(c), host.get(c), node.get(c) / host.get(c)));
        }
        Path out = AppBuild.APPS.resolve("redis-bench.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, b.toString());
        System.out.print(b);
    }
}
