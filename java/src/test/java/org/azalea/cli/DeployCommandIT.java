package org.azalea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `azalea deploy` with the default deployment file: the full-weight kernel on
 * quadrant 0 and the three workloads on quadrants 1-3 at once, all exiting 0,
 * on a node it boots and on a running node service.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeployCommandIT {
    static final Path DEFAULT = Azalea.BUILD.getParent().resolve("deploy/knl-snc4.deploy");

    @TempDir
    Path runtime;

    @TempDir
    Path roots;

    Azalea az;

    @BeforeEach
    void setUp() {
        az = new Azalea(runtime);
    }

    @AfterEach
    void tearDown() throws Exception {
        az.cleanUp();
    }

    private static void assertDeployed(Azalea.Result r) {
        assertEquals(0, r.status(), r.toString());
        for (String name : new String[] {"compute", "fileserv", "shared"}) {
            assertTrue(
                    Pattern.compile("(?m)^" + name + " +\\| ").matcher(r.out()).find(), name + "'s output: " + r.out());
        }
        assertTrue(r.out().contains("fileserv | fileserv: 128 files served"), r.out());
        assertTrue(r.out().contains("compute  | aim7: 15 tests passed"), r.out());
        assertTrue(r.out().contains("shared   | aim7: 108 tests passed"), r.out());
        // Each on its own whole quadrant, each EXITED 0.
        assertTrue(
                Pattern.compile("(?m) compute +1 +18 +18-35 .*EXITED 0")
                        .matcher(r.out())
                        .find(),
                r.out());
        assertTrue(
                Pattern.compile("(?m) fileserv +2 +18 +36-53 .*EXITED 0")
                        .matcher(r.out())
                        .find(),
                r.out());
        assertTrue(
                Pattern.compile("(?m) shared +3 +18 +54-71 .*EXITED 0")
                        .matcher(r.out())
                        .find(),
                r.out());
        assertTrue(
                r.out().contains("instance 2 fileserv: quadrant 2") || r.out().contains("fileserv: quadrant 2"),
                r.out());
        assertTrue(r.out().contains("rename"), "per-opcode statistics: " + r.out());
        assertTrue(r.out().contains("every core and byte of memory for instances is free again"), r.out());
        assertTrue(r.out().contains("deployment succeeded"), r.out());
    }

    @Test
    void theDefaultDeploymentOnANodeItBoots() throws Exception {
        Azalea.Result r = az.run(runtime, "", "deploy", "--root", roots.toString(), DEFAULT.toString());
        assertDeployed(r);
        assertTrue(r.out().contains("== booting a node (72 cpus, 4 quadrants of 512M)"), r.out());
        assertTrue(Files.isDirectory(roots.resolve("fileserv")), "each instance had its root");
    }

    @Test
    void theDefaultDeploymentOnTheRunningNodeLeavesEveryResourceFree() throws Exception {
        assertEquals(0, az.run("node", "start").status());
        Azalea.Result r = az.run(runtime, "", "deploy", "--root", roots.toString(), DEFAULT.toString());
        assertDeployed(r);
        assertTrue(r.out().contains("on the running node"), r.out());
        Azalea.Result ps = az.run("ps", "-a");
        assertEquals(0, ps.status(), ps.toString());
        assertEquals(3, ps.out().split("EXITED 0", -1).length - 1, ps.out());
        assertTrue(ps.out().contains("every core and byte of memory for instances is free"), ps.out());
        assertEquals(0, az.run("node", "stop").status());
    }

    @Test
    void aFailingInstanceFailsTheDeployment() throws Exception {
        Path file = Files.writeString(roots.resolve("bad.deploy"), """
                run ok   1 2 64M %s
                run bad  2 1 64M %s 3
                """.formatted(
                        Azalea.IMAGES.resolve("hello"), Azalea.IMAGES.resolve("exitcode")));
        Azalea.Result r = az.run(runtime, "", "deploy", "--private", "--root", roots.toString(), file.toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.out().contains("EXITED 3") && r.out().contains("deployment FAILED"), r.out());
    }

    @Test
    void badFilesAreRefusedWithTheirLine() throws Exception {
        Path file = Files.writeString(roots.resolve("typo.deploy"), "fwk 0\nrun a 0 1 64M /bin/true\n");
        Azalea.Result r = az.run(runtime, "", "deploy", file.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("typo.deploy:2: quadrant 0 is the full-weight kernel's"), r.err());
        Path dynamic = Files.writeString(roots.resolve("dyn.deploy"), "run a 1 1 64M /bin/true\n");
        Azalea.Result d = az.run(runtime, "", "deploy", dynamic.toString());
        assertEquals(2, d.status(), d.toString());
        assertTrue(d.err().contains("dyn.deploy:1: ") && d.err().contains("dynamically linked"), d.err());
    }
}
