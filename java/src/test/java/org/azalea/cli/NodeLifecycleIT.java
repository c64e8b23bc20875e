package org.azalea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting and stopping the node service, each test with a runtime directory
 * and a node of its own: nothing may outlive a stop (no QEMU process, no
 * /dev/shm file, no socket), however the service ends.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NodeLifecycleIT {
    @TempDir
    Path runtime;

    @TempDir
    Path work;

    Azalea az;

    @BeforeEach
    void setUp() {
        az = new Azalea(runtime);
    }

    @AfterEach
    void tearDown() throws Exception {
        az.cleanUp();
    }

    private void assertNothingLeft(long pid) throws Exception {
        assertTrue(pid > 0);
        assertTrue(Azalea.qemusOf(pid).isEmpty(), "no QEMU of service " + pid);
        assertEquals(List.of(), Azalea.shmFilesOf(pid), "no shared memory of service " + pid);
        assertFalse(Files.exists(runtime.resolve("node.sock")), "no socket");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the service exited");
    }

    private void waitRunning(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (az.run("ps").out().split("RUNNING", -1).length - 1 != n) {
            assertTrue(System.nanoTime() < deadline, "waiting for " + n + " running instances");
            Thread.sleep(100);
        }
    }

    @Test
    void withoutANodeCommandsSaySoWithStatus3AndStopIsANoOp() throws Exception {
        for (String[] cmd : List.of(
                new String[] {"node", "status"},
                new String[] {"ps"},
                new String[] {"kill", "1"},
                new String[] {"logs", "1"},
                new String[] {"stats"})) {
            Azalea.Result r = az.run(cmd);
            assertEquals(3, r.status(), String.join(" ", cmd) + ": " + r);
        }
        Azalea.Result stop = az.run("node", "stop");
        assertEquals(0, stop.status(), stop.toString());
        assertEquals("no node is running\n", stop.out());
    }

    @Test
    void stopWithInstancesRunningKillsThemAndLeavesNothing() throws Exception {
        Azalea.Result start = az.run("node", "start", "--smp", "16");
        assertEquals(0, start.status(), start.toString());
        assertTrue(start.out().contains("16 cpus in 4 quadrants"), start.out());
        long pid = az.servicePid();
        assertEquals(4, Azalea.shmFilesOf(pid).size(), "one memory file per quadrant while it runs");
        assertEquals(1, Azalea.qemusOf(pid).size());
        Process a = az.start(work, "run", Azalea.IMAGES.resolve("spin").toString());
        Process b = az.start(
                work, "run", "--cores", "2", Azalea.IMAGES.resolve("stdin").toString());
        try {
            waitRunning(2);
            Azalea.Result stop = az.run("node", "stop");
            assertEquals(0, stop.status(), stop.toString());
            assertTrue(stop.out().contains("2 running instances killed"), stop.out());
        } finally {
            Azalea.Result ra = Azalea.finish(a, "", 60);
            Azalea.Result rb = Azalea.finish(b, "", 60);
            assertEquals(137, ra.status(), ra.toString());
            assertEquals(137, rb.status(), rb.toString());
        }
        assertNothingLeft(pid);
        assertEquals(3, az.run("node", "status").status());
    }

    @Test
    void sigtermToTheServiceStopsItCleanly() throws Exception {
        assertEquals(0, az.run("node", "start", "--smp", "8").status());
        long pid = az.servicePid();
        Process spin = az.start(work, "run", Azalea.IMAGES.resolve("spin").toString());
        waitRunning(1);
        ProcessHandle.of(pid).orElseThrow().destroy();
        Azalea.Result r = Azalea.finish(spin, "", 60);
        assertTrue(r.status() == 137 || r.status() == 127, "killed, or lost with its node: " + r);
        ProcessHandle.of(pid)
                .ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        assertNothingLeft(pid);
    }

    @Test
    void aServiceKilledOutrightIsCleanedUpByTheNextCommand() throws Exception {
        assertEquals(0, az.run("node", "start", "--smp", "8").status());
        long pid = az.servicePid();
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        h.destroyForcibly(); // SIGKILL: no hook runs; QEMU, its memory files and the socket stay
        h.onExit().get(10, TimeUnit.SECONDS);
        assertTrue(Files.exists(runtime.resolve("node.sock")));
        Azalea.Result status = az.run("node", "status");
        assertEquals(3, status.status(), status.toString());
        assertTrue(status.err().contains("stale control socket"), status.err());
        assertNothingLeft(pid);
        // And a new node starts in the same place.
        Azalea.Result start = az.run("node", "start", "--smp", "8");
        assertEquals(0, start.status(), start.toString());
        long second = az.servicePid();
        assertEquals(0, az.run("node", "stop").status());
        assertNothingLeft(second);
    }

    @Test
    void badStartOptionsAreRefusedBeforeBooting() throws Exception {
        Azalea.Result r = az.run("node", "start", "--smp", "6", "--quadrants", "4");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("cannot be split evenly"), r.err());
        assertEquals(2, az.run("node", "start", "--fwk", "7").status());
        assertEquals(2, az.run("node", "start", "--mem", "3G").status());
        assertEquals(2, az.run("node", "frobnicate").status());
        assertFalse(Files.exists(runtime.resolve("node.sock")));
    }
}
