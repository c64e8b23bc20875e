package org.azalea.sideloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.azalea.node.InstanceOutcome;
import org.azalea.node.Node;
import org.azalea.testing.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Programs that attack the node (test-images/hostile.c), each run on quadrant
 * 1 beside a victim instance on quadrant 2: the attacker ends with the status
 * Linux would give it (or, for the system-call attacks, gets errors and
 * passes), the victim's memory and output stay intact, the node keeps
 * serving, and reclaim leaves nothing of the attacker behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileProgramsIT {
    static final Path IMAGES = SideloaderIT.IMAGES;
    static final long M = 1L << 20;
    static Sideloader sl;
    static ManagedInstance victim;
    static PipedOutputStream victimStdin;

    @TempDir
    static Path root;

    @BeforeAll
    static void boot() throws Exception {
        TestEnv.assumeQemu();
        sl = Sideloader.boot(Node.Config.defaults(SideloaderIT.BUILD));
        victimStdin = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(victimStdin);
        victim = launch("victim", PartitionRequest.of(2, 2, 64 * M), in, "victim");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!victim.console().contains("victim: secret at") && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(victim.console().contains("victim: secret at"), victim.console());
    }

    @AfterAll
    static void stop() {
        if (sl != null) sl.close();
    }

    private static ManagedInstance launch(String name, PartitionRequest p, PipedInputStream stdin, String... args)
            throws Exception {
        return sl.launch(new LaunchRequest(
                name, IMAGES.resolve("hostile"), List.of(args), List.of("HOME=/"), p, root, stdin, null, null));
    }

    /** The victim rechecks its secret on every line it reads; it ends (status 1) if one byte changed. */
    private static void victimChecks() throws IOException, InterruptedException {
        victimStdin.write("check\n".getBytes(StandardCharsets.UTF_8));
        victimStdin.flush();
        Thread.sleep(50);
        assertEquals(LifecycleState.RUNNING, victim.state(), "the victim runs on: " + victim.console());
    }

    private static void assertQuadrantFree(int q) {
        var u = sl.resources().usage().get(q);
        assertEquals(
                u.coresTotal(),
                u.coresFree(),
                "quadrant " + q + " cores: " + sl.resources().describeFree());
        assertEquals(u.memoryTotal(), u.memoryFree(), "quadrant " + q + " memory");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        // memory: another partition, the kernel half, its own kernel-owned pages
        "peek, VICTIM, 139",
        "poke, VICTIM, 139",
        "kernel, -, 139",
        "mailbox, -, 139",
        "region, 64, 139",
        "stateword, 64, 139",
        "cr3, -, 139",
        // privileged instructions and the node's life
        "triple, -, 139",
        "cli, -, 139",
        "hlt, -, 139",
        "outb, -, 139",
        "inb, -, 139",
        "wrmsr, -, 139",
        "swapgs, -, 139",
        "int80, -, 139",
        // faults programs make, ended as Linux would
        "int3, -, 133",
        "ud2, -, 132",
        "div0, -, 136",
        // returns the kernel must not take to ring 0
        "sigrip, -, 139",
        "sigframe, -, 139",
        // system calls: errors, never a crash
        "args, -, 0",
        "race, -, 0",
    })
    @Order(1)
    void anAttackEndsTheAttackerOnly(String attack, String arg, int status) throws Exception {
        String a = arg.equals("VICTIM")
                ? "0x" + Long.toHexString(victim.allocation().memBase() + 32 * M)
                : arg;
        List<String> args = a.equals("-") ? List.of(attack) : List.of(attack, a);
        ManagedInstance mi = launch(attack, PartitionRequest.of(1, 2, 64 * M), null, args.toArray(String[]::new));
        InstanceOutcome o = mi.awaitReclaimed(Duration.ofSeconds(60));
        assertNotNull(o, attack + " ended and was reclaimed");
        assertEquals(status, o.processStatus(), o.describe() + "\n" + mi.console());
        assertFalse(mi.console().contains("ESCAPED"), mi.console());
        if (status == 0) assertTrue(mi.console().contains("AZALEA-TEST-PASS hostile " + attack), mi.console());
        assertEquals(LifecycleState.RECLAIMED, mi.state(), "nothing quarantined");
        assertQuadrantFree(1);
        assertTrue(sl.node().isAlive(), "the node survives " + attack);
        victimChecks();
    }

    @Test
    @Order(2)
    void theVictimEndsIntactAndTheNodeServesOn() throws Exception {
        victimStdin.close();
        InstanceOutcome o = victim.awaitReclaimed(Duration.ofSeconds(60));
        assertNotNull(o);
        assertEquals(0, o.processStatus(), o.describe() + "\n" + victim.console());
        assertTrue(victim.console().contains("victim: intact"), victim.console());
        assertTrue(victim.console().contains("AZALEA-TEST-PASS hostile victim"), victim.console());
        ManagedInstance hello = sl.launch(new LaunchRequest(
                "hello",
                IMAGES.resolve("hello"),
                List.of(),
                List.of(),
                PartitionRequest.of(2, 64 * M),
                root,
                null,
                null,
                null));
        assertEquals(0, hello.awaitReclaimed(Duration.ofSeconds(60)).processStatus(), hello.console());
        for (int q = 1; q < sl.node().shape().quadrants(); q++) assertQuadrantFree(q);
    }
}
