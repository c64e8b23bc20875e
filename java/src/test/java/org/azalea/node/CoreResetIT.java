package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.azalea.abi.abi_h;
import org.azalea.proxy.Stdio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * AZ_CORE_CMD_RESET through the monitor: a core busy in an instance that
 * does not park on an NMI is restarted by INIT-SIPI and parks; the instance
 * it left still ends, and its cores take new work.
 */
class CoreResetIT {
    @RegisterExtension
    static final BootedNode booted = BootedNode.perClass();

    @TempDir
    Path dir;

    private InstanceSpec spec(String image, List<String> args, ByteArrayOutputStream out) throws Exception {
        Node node = booted.node;
        NodeInfo.MemoryRange r = node.info().rangeOf(3);
        long base = (r.base() + (2L << 20) - 1) & -(2L << 20);
        int first = node.shape().firstCpu(3);
        return new InstanceSpec(
                BootedNode.nextId(),
                image + "-reset",
                ElfImage.load(BootedNode.IMAGES.resolve(image)),
                argv(image, args),
                List.of("HOME=/"),
                new int[] {first, first + 1},
                base,
                64L << 20,
                dir,
                Stdio.of(InputStream.nullInputStream(), out, out));
    }

    private static List<String> argv(String image, List<String> args) {
        List<String> argv = new ArrayList<>(List.of(image));
        argv.addAll(args);
        return argv;
    }

    private static boolean parked(int cpu) {
        return (int) NodeHandles.MAILBOX_STATE.getAcquire(booted.node.mailbox(cpu), 0L) == abi_h.AZ_CORE_PARKED();
    }

    @Test
    void aBusyCoreIsBroughtBackByInitSipiAndTheNodeGoesOn() throws Exception {
        Node node = booted.node;
        assertEquals(-22, node.resetCore(node.info().monitorCpu()), "the monitor does not reset itself");
        int member = node.shape().firstCpu(3) + 1;
        assertEquals(0, node.resetCore(member), "a parked core is parked already");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Instance inst = Instance.launch(node, spec("spin", List.of("threads"), out))) {
            assertNotNull(inst.awaitStarted(Duration.ofSeconds(30)));
            Thread.sleep(300);
            assertTrue(!parked(member), "the member spins");
            long mark = node.consoleSize();
            assertEquals(0, node.resetCore(member), "INIT-SIPI parks a core an NMI does not");
            assertTrue(parked(member));
            // The monitor prints before it acknowledges; the console reaches node.log through a copying thread.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Files.readString(node.consoleLog()).substring((int) mark).contains("took INIT-SIPI")
                    && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(Files.readString(node.consoleLog()).substring((int) mark).contains("took INIT-SIPI"));
            inst.kill();
            InstanceOutcome o = inst.waitFor(Duration.ofSeconds(30));
            assertNotNull(o, "the lead ends the instance without the member it lost");
            assertEquals(InstanceOutcome.State.KILLED, o.state(), o.describe());
            assertTrue(!inst.quarantined(), "every core parked: the partition may be reused");
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        try (Instance inst = Instance.launch(node, spec("hello", List.of(), again))) {
            assertEquals(0, inst.waitFor(Duration.ofSeconds(30)).processStatus(), again.toString());
        }
    }
}
