package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.azalea.proxy.Stdio;
import org.azalea.proxy.instance.NetPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offloaded networking end to end, on 127.0.0.1 only: a TCP echo server in
 * an instance (test-images/echo_server.c) serving several host clients at
 * once, and an instance as the client of a TCP and a UDP echo server on
 * the host (test-images/echo_client.c).
 */
class NetworkIT {
    @RegisterExtension
    static final BootedNode booted = BootedNode.perClass();

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path root;

    /** Starts an image on quadrant 1 without waiting for it (BootedNode.run waits). */
    private Instance launch(String image, List<String> args, int ncpus, ByteArrayOutputStream out) throws Exception {
        Node node = booted.node;
        InstanceSpec spec = BootedNode.spec(
                node,
                image,
                args,
                List.of("HOME=/"),
                1,
                ncpus,
                64L << 20,
                root,
                Stdio.of(new ByteArrayInputStream(new byte[0]), out, new ByteArrayOutputStream()),
                NetPolicy.DEFAULT);
        return Instance.launch(node, spec);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    /** Connects, retrying while the guest is not listening yet. */
    private static Socket connect(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (; ; ) {
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(LOOPBACK, port), 2000);
                return s;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }

    private static byte[] echoThrough(int port, int client) throws Exception {
        try (Socket s = connect(port)) {
            s.setSoTimeout(30_000);
            byte[] data =
                    ("host client " + client + " says hello\n").repeat(200).getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(data);
            s.shutdownOutput();
            byte[] back = s.getInputStream().readAllBytes();
            assertArrayEquals(data, back, "client " + client + " got its bytes back");
            return back;
        }
    }

    @Test
    void aGuestServerServesSeveralHostClientsAtOnce() throws Exception {
        int port = freePort();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int clients = 4;
        try (Instance inst = launch("echo_server", List.of(Integer.toString(port), Integer.toString(clients)), 2, out);
                ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<byte[]>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int id = i;
                done.add(pool.submit(() -> echoThrough(port, id)));
            }
            long bytes = 0;
            for (Future<byte[]> f : done) bytes += f.get(90, TimeUnit.SECONDS).length;
            InstanceOutcome o = inst.waitFor(Duration.ofSeconds(60));
            assertNotNull(o, "the server ends after its clients");
            String stdout = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, o.processStatus(), o.describe() + "\n" + stdout);
            assertTrue(stdout.contains("AZALEA-TEST-PASS echo_server"), stdout);
            assertTrue(stdout.contains(clients + " clients, " + bytes + " bytes echoed"), stdout);
        }
    }

    @Test
    void aGuestClientTalksToHostServersOverTcpAndUdp() throws Exception {
        try (ServerSocket tcp = new ServerSocket(0, 4, LOOPBACK);
                DatagramSocket udp = new DatagramSocket(0, LOOPBACK);
                ExecutorService pool = Executors.newFixedThreadPool(2)) {
            tcp.setSoTimeout(60_000);
            udp.setSoTimeout(60_000);
            Future<?> tcpEcho = pool.submit(() -> {
                try (Socket c = tcp.accept()) {
                    c.getInputStream().transferTo(c.getOutputStream());
                    c.shutdownOutput();
                }
                return null;
            });
            Future<?> udpEcho = pool.submit(() -> {
                DatagramPacket p = new DatagramPacket(new byte[512], 512);
                udp.receive(p);
                udp.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                return null;
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> ports = List.of(Integer.toString(tcp.getLocalPort()), Integer.toString(udp.getLocalPort()));
            try (Instance inst = launch("echo_client", ports, 2, out)) {
                InstanceOutcome o = inst.waitFor(Duration.ofSeconds(90));
                assertNotNull(o, "the client ends");
                String stdout = out.toString(StandardCharsets.UTF_8);
                assertEquals(0, o.processStatus(), o.describe() + "\n" + stdout);
                assertTrue(stdout.contains("echo_client: tcp ok") && stdout.contains("echo_client: udp ok"), stdout);
            }
            tcpEcho.get(10, TimeUnit.SECONDS);
            udpEcho.get(10, TimeUnit.SECONDS);
        }
    }
}
