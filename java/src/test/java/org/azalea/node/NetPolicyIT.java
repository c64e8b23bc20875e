package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.azalea.proxy.instance.NetPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network policy seen from a program on a booted node
 * (test-images/net_policy.c): under each policy it asserts the errnos of what is
 * refused and where a wildcard bind lands, and here the host's loopback server
 * sees the program's connection (or, under none, no connection at all).
 */
class NetPolicyIT {
    @RegisterExtension
    static final BootedNode booted = BootedNode.perClass();

    @TempDir
    Path root;

    /** Runs net_policy under {@code p} against a host server on loopback; returns its stdout. */
    private String run(NetPolicy p, boolean expectConnection) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(60_000);
            CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept();
                        InputStream in = s.getInputStream()) {
                    return new String(in.readNBytes(2), StandardCharsets.US_ASCII);
                } catch (Exception e) {
                    return "no connection: " + e.getMessage();
                }
            });
            BootedNode.Run r = booted.run(
                    "net_policy",
                    List.of(p.label(), String.valueOf(server.getLocalPort())),
                    "",
                    root,
                    1,
                    1,
                    Duration.ofSeconds(120),
                    p);
            assertEquals(
                    InstanceOutcome.State.EXITED,
                    r.outcome().state(),
                    r.outcome().describe() + "\n" + r.stdout());
            assertEquals(0, r.outcome().processStatus(), r.stdout());
            assertTrue(r.stdout().contains("AZALEA-TEST-PASS net_policy " + p.label()), r.stdout());
            if (expectConnection) {
                assertEquals("hi", got.get(60, TimeUnit.SECONDS), r.stdout());
            } else {
                server.close(); // ends the accept: nothing connected while the program ran
                assertTrue(got.get(10, TimeUnit.SECONDS).startsWith("no connection"));
            }
            return r.stdout();
        }
    }

    @Test
    void loopbackReachesLoopbackOnlyAndKeepsBindsOnIt() throws Exception {
        String out = run(NetPolicy.LOOPBACK, true);
        assertTrue(out.contains("wildcard bind -> 127.0.0.1"), out);
        assertTrue(out.contains("connect 192.0.2.1 -> ENETUNREACH"), out);
        assertTrue(out.contains("bind 192.0.2.1 -> EADDRNOTAVAIL"), out);
        assertTrue(out.contains("sendto 192.0.2.1 -> ENETUNREACH"), out);
        assertTrue(out.contains("listen unbound -> 127.0.0.1"), out);
    }

    @Test
    void noneRefusesIpSockets() throws Exception {
        String out = run(NetPolicy.NONE, false);
        assertTrue(out.contains("socket(AF_INET) -> EACCES"), out);
    }

    @Test
    void hostKeepsTheWildcard() throws Exception {
        String out = run(NetPolicy.HOST, true);
        assertTrue(out.contains("wildcard bind -> 0.0.0.0"), out);
    }
}
