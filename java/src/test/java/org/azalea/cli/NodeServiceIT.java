package org.azalea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azalea.service.Frame;
import org.azalea.service.FrameChannel;
import org.azalea.service.Protocol;
import org.azalea.service.WireWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node service through the command line, on one real node: runs with
 * streamed stdio, two runs at once on disjoint partitions, ps, kill, logs,
 * stats, refusals and their exit statuses, a client that is terminated, and
 * a socket fed garbage.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang fails the test; @AfterAll still stops the node
class NodeServiceIT {
    @TempDir
    static Path runtime;

    @TempDir
    Path work;

    static Azalea az;

    @BeforeAll
    static void startNode() throws Exception {
        az = new Azalea(runtime);
        Azalea.Result r = az.run("node", "start");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("72 cpus in 4 quadrants"), r.out());
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (az == null) return;
        try {
            Azalea.Result r = az.run("node", "stop");
            assertEquals(0, r.status(), r.toString());
        } finally {
            az.cleanUp();
        }
    }

    private static String image(String name) {
        return Azalea.IMAGES.resolve(name).toString();
    }

    /** Polls `azalea stats --json` until {@code n} instances run; returns their JSON objects. */
    private static List<String> running(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Azalea.Result r = az.run("stats", "--json");
            assertEquals(0, r.status(), r.toString());
            List<String> objs = new ArrayList<>();
            for (String obj : r.out().split("\\{\\s*\"id\"")) {
                if (obj.contains("\"state\": \"RUNNING\"")) objs.add(obj);
            }
            if (objs.size() == n) return objs;
            assertTrue(System.nanoTime() < deadline, "waiting for " + n + " running instances:\n" + r.out());
            Thread.sleep(100);
        }
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": (\\d+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static long idOf(String json) {
        Matcher m = Pattern.compile("^: (\\d+)").matcher(json);
        assertTrue(m.find(), json);
        return Long.parseLong(m.group(1));
    }

    private static BitSet cpus(String json) {
        Matcher m = Pattern.compile("\"cpus\": \\[([^\\]]*)\\]").matcher(json);
        assertTrue(m.find(), json);
        BitSet b = new BitSet();
        for (String c : m.group(1).split(",")) b.set(Integer.parseInt(c.strip()));
        return b;
    }

    @Test
    void statusAndASecondStartThatIsRefused() throws Exception {
        Azalea.Result s = az.run("node", "status");
        assertEquals(0, s.status(), s.toString());
        assertTrue(
                s.out().contains("node running")
                        && s.out().contains("full-weight kernel")
                        && s.out().contains("accelerator"),
                s.out());
        Azalea.Result again = az.run("node", "start");
        assertEquals(1, again.status(), again.toString());
        assertEquals(1, again.err().lines().count(), again.err());
        assertTrue(again.err().contains("already running"), again.err());
    }

    @Test
    void runStreamsStdioUsesTheCallersRootAndReturnsTheStatus() throws Exception {
        // A megabyte of stdin: more than the service's window, so credit must flow back.
        String big = "0123456789abcde\n".repeat(65536);
        Azalea.Result r = az.run(work, big, "run", image("stdin"));
        assertEquals(0, r.status(), r.toString());
        assertEquals("stdin: 1048576 bytes, 65536 lines\nAZALEA-TEST-PASS stdin\n", r.out());

        Azalea.Result files = az.run(work, "", "run", image("files"));
        assertEquals(0, files.status(), files.toString());
        assertTrue(files.out().contains("AZALEA-TEST-PASS files"), files.out());

        Azalea.Result exit = az.run(work, "", "run", "--cores", "2", image("exitcode"), "7");
        assertEquals(7, exit.status(), exit.toString());

        Azalea.Result crash = az.run(work, "", "run", image("crash"));
        assertEquals(139, crash.status(), crash.toString());
        assertTrue(crash.err().contains("crashed"), crash.err());
    }

    @Test
    void twoRunsAtOnceGetDisjointPartitions() throws Exception {
        Process a = az.start(work, "run", "--cores", "3", image("stdin"));
        Process b = az.start(work, "run", "--cores", "3", image("stdin"));
        try {
            List<String> two = running(2);
            BitSet ca = cpus(two.get(0)), cb = cpus(two.get(1));
            assertEquals(3, ca.cardinality());
            assertEquals(3, cb.cardinality());
            assertFalse(ca.intersects(cb), ca + " and " + cb);
            long baseA = number(two.get(0), "mem_base"), sizeA = number(two.get(0), "mem_size");
            long baseB = number(two.get(1), "mem_base"), sizeB = number(two.get(1), "mem_size");
            assertTrue(baseA + sizeA <= baseB || baseB + sizeB <= baseA, "memory ranges overlap");
            assertNotEquals(number(two.get(0), "quadrant"), number(two.get(1), "quadrant"), "any quadrant: spread out");
        } finally {
            Azalea.Result ra = Azalea.finish(a, "", 60), rb = Azalea.finish(b, "", 60);
            assertEquals(0, ra.status(), ra.toString());
            assertEquals(0, rb.status(), rb.toString());
            assertTrue(ra.out().startsWith("stdin: 0 bytes"), ra.out());
        }
        Azalea.Result ps = az.run("ps");
        assertEquals(0, ps.status(), ps.toString());
        assertTrue(ps.out().contains("every core and byte of memory for instances is free"), ps.out());
    }

    @Test
    void killLogsStatsAndRefusals() throws Exception {
        Process spin = az.start(work, "run", "--quadrant", "2", "--cores", "2", image("spin"));
        Azalea.Result ended;
        long id;
        boolean killed = false;
        try {
            id = idOf(running(1).getFirst());
            Azalea.Result busy = az.run(work, "", "run", "--quadrant", "2", "--cores", "17", image("hello"));
            assertEquals(125, busy.status(), busy.toString());
            assertEquals(1, busy.err().lines().count(), busy.err());
            assertTrue(busy.err().contains("quadrant 2: 16/18 cores"), busy.err());

            Azalea.Result impossible = az.run(work, "", "run", "--cores", "19", image("hello"));
            assertEquals(2, impossible.status(), impossible.toString());

            Azalea.Result ps = az.run("ps");
            assertTrue(ps.out().matches("(?s).*\\n" + id + " +spin +2 +2 +36-37 +128M +loopback +RUNNING.*"), ps.out());
            Azalea.Result logs = az.run("logs", Long.toString(id));
            assertEquals(0, logs.status(), logs.toString());
            assertEquals("AZALEA-TEST-SPINNING\n", logs.out());

            Azalea.Result kill = az.run("kill", Long.toString(id));
            assertEquals(0, kill.status(), kill.toString());
            assertTrue(kill.out().contains("killed instance " + id + " (spin)"), kill.out());
            killed = true;
        } finally {
            if (!killed) spin.destroy(); // the test failed: do not leave it spinning
            ended = Azalea.finish(spin, "", 60);
        }
        assertEquals(137, ended.status(), ended.toString());
        assertTrue(ended.err().contains("spin killed"), ended.err());

        Azalea.Result again = az.run("kill", Long.toString(id));
        assertEquals(1, again.status(), again.toString());
        assertTrue(again.err().contains("already ended"), again.err());
        assertEquals(1, az.run("kill", "9999").status());
        assertEquals(1, az.run("logs", "9999").status());
        assertEquals(1, az.run("stats", "9999").status());
        assertEquals(2, az.run("kill", "abc").status());
        assertEquals(2, az.run("logs").status());
        assertEquals(2, az.run("ps", "--bogus").status());

        Azalea.Result stats = az.run("stats", Long.toString(id));
        assertEquals(0, stats.status(), stats.toString());
        assertTrue(
                stats.out().contains("instance " + id + " spin: quadrant 2, cpus 36-37, 128M, net loopback; killed"),
                stats.out());
        assertTrue(stats.out().contains("writev"), stats.out());
        Azalea.Result json = az.run("stats", "--json");
        assertEquals(0, json.status(), json.toString());
        assertTrue(
                json.out().startsWith("{")
                        && json.out().contains("\"opcodes\": [")
                        && json.out().contains("\"p99_ns\"")
                        && json.out().contains("\"net\": \"loopback\""),
                json.out());
        Azalea.Result psAll = az.run("ps", "-a");
        assertTrue(psAll.out().contains("KILLED"), psAll.out());
    }

    @Test
    void aTerminatedClientTakesItsInstanceWithIt() throws Exception {
        Process spin = az.start(work, "run", image("spin"));
        long id = idOf(running(1).getFirst());
        spin.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM's shutdown hook kills the instance
        assertTrue(spin.waitFor(30, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String state;
        do {
            Azalea.Result r = az.run("stats", "--json", Long.toString(id));
            Matcher m = Pattern.compile("\"state\": \"(\\w+)\"").matcher(r.out());
            assertTrue(m.find(), r.out());
            state = m.group(1);
            if (!state.equals("RECLAIMED")) Thread.sleep(100);
        } while (!state.equals("RECLAIMED") && System.nanoTime() < deadline);
        assertEquals("RECLAIMED", state);
        assertTrue(az.run("stats", "--json", Long.toString(id)).out().contains("\"ending\": \"KILLED\""));
    }

    @Test
    void garbageOnTheSocketIsRefusedAndTheServiceStaysUp() throws Exception {
        Path socket = runtime.resolve("node.sock");
        // An unknown frame type, a frame announcing 2 GiB, a wrong magic, a wrong version,
        // a request with trailing bytes, a reply sent as a request.
        expectError(socket, rawFrame(0xee, 0), Protocol.ErrorCode.PROTOCOL);
        expectError(socket, rawFrame(Protocol.Type.HELLO.code, 0x7fffffff), Protocol.ErrorCode.PROTOCOL);
        expectError(
                socket,
                frame(
                        Protocol.Type.HELLO,
                        new WireWriter().i32(0x12345678).u8(0).u8(1).bytes()),
                Protocol.ErrorCode.PROTOCOL);
        expectError(
                socket,
                frame(
                        Protocol.Type.HELLO,
                        new WireWriter().i32(Protocol.MAGIC).u8(0).u8(99).bytes()),
                Protocol.ErrorCode.VERSION);
        byte[] hello = frame(
                Protocol.Type.HELLO,
                new WireWriter().i32(Protocol.MAGIC).u8(0).u8(Protocol.VERSION).bytes());
        expectError(socket, concat(hello, frame(Protocol.Type.INSPECT, new byte[12])), Protocol.ErrorCode.PROTOCOL);
        expectError(socket, concat(hello, frame(Protocol.Type.WELCOME, new byte[0])), Protocol.ErrorCode.PROTOCOL);
        // A RUN whose strings claim more bytes than the payload holds, and one with a relative program path.
        expectError(
                socket,
                concat(
                        hello,
                        frame(Protocol.Type.RUN, new WireWriter().i32(1 << 30).bytes())),
                Protocol.ErrorCode.PROTOCOL);
        byte[] relative = new WireWriter()
                .string("x")
                .string("relative/prog")
                .strings(List.of())
                .strings(List.of())
                .i32(-1)
                .bool(false)
                .i32(1)
                .i64(64L << 20)
                .bool(false)
                .string("/")
                .bytes();
        expectError(socket, concat(hello, frame(Protocol.Type.RUN, relative)), Protocol.ErrorCode.PROTOCOL);
        // A client that hangs up mid-frame; then everything still works.
        try (var c = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            c.write(java.nio.ByteBuffer.wrap(java.util.Arrays.copyOf(hello, 7)));
        }
        Azalea.Result s = az.run("node", "status");
        assertEquals(0, s.status(), s.toString());
    }

    @Test
    void aClientOverrunningItsStdinWindowIsRefusedAndItsInstanceKilled() throws Exception {
        Path socket = runtime.resolve("node.sock");
        byte[] run = new WireWriter()
                .string("spin")
                .string(image("spin"))
                .strings(List.of())
                .strings(List.of())
                .i32(-1)
                .bool(false)
                .i32(1)
                .i64(64L << 20)
                .bool(false)
                .string(work.toString())
                .string("loopback")
                .bytes();
        long id;
        try (FrameChannel ch = FrameChannel.connect(socket)) {
            ch.write(
                    Protocol.Type.HELLO,
                    new WireWriter()
                            .i32(Protocol.MAGIC)
                            .u8(0)
                            .u8(Protocol.VERSION)
                            .bytes());
            assertEquals(Protocol.Type.WELCOME, ch.read().type());
            ch.write(Protocol.Type.RUN, run);
            Frame started = ch.read();
            assertEquals(Protocol.Type.STARTED, started.type());
            id = started.reader().i64();
            // spin never reads its stdin: the node's pump takes at most a pipe's worth (64 KiB), so
            // 1 MiB overruns the 256 KiB window whatever the timing.  Written from another thread:
            // the service stops reading once it refused us.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 32; i++) ch.write(Protocol.Type.STDIN, new byte[Protocol.MAX_CHUNK]);
                } catch (IOException e) {
                    // refused and closed before all of it was written: expected
                }
            });
            Frame f;
            do {
                f = ch.read();
            } while (f != null && f.type() != Protocol.Type.ERROR && f.type() != Protocol.Type.EXIT);
            writer.join(10_000);
            assertTrue(f != null && f.type() == Protocol.Type.ERROR, "an ERROR frame");
            assertEquals(Protocol.ErrorCode.PROTOCOL.ordinal(), f.payload()[0]);
            assertTrue(new String(f.payload(), StandardCharsets.UTF_8).contains("window"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String json;
        do {
            json = az.run("stats", "--json", Long.toString(id)).out();
            if (!json.contains("\"state\": \"RECLAIMED\"")) Thread.sleep(100);
        } while (!json.contains("\"state\": \"RECLAIMED\"") && System.nanoTime() < deadline);
        assertTrue(json.contains("\"ending\": \"KILLED\""), json);
    }

    private static byte[] frame(Protocol.Type t, byte[] payload) {
        return concat(rawFrame(t.code, payload.length), payload);
    }

    private static byte[] rawFrame(int type, int length) {
        return java.nio.ByteBuffer.allocate(5).put((byte) type).putInt(length).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Sends raw bytes; the service answers ERROR(code) (after a WELCOME when the bytes began with a HELLO) and closes. */
    private static void expectError(Path socket, byte[] bytes, Protocol.ErrorCode code) throws IOException {
        try (var c = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            c.write(java.nio.ByteBuffer.wrap(bytes));
            FrameChannel ch = new FrameChannel(c);
            Frame f = ch.read();
            if (f != null && f.type() == Protocol.Type.WELCOME) f = ch.read();
            assertTrue(
                    f != null && f.type() == Protocol.Type.ERROR,
                    "an ERROR frame, got " + (f == null ? "EOF" : f.type()));
            assertEquals(code.ordinal(), f.payload()[0], new String(f.payload(), StandardCharsets.UTF_8));
            assertEquals(null, ch.read(), "closed after the error");
        }
    }
}
