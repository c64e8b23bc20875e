package org.azalea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's refusals and exit statuses when nothing boots: bad options
 * (2, one line), no node running (3, one line), help that documents each
 * command's options.  The runtime directory is the test's: a node a developer
 * runs is never seen.
 */
class CliRefusalsTest {
    @TempDir
    Path runtime;

    String before;

    @BeforeEach
    void isolate() {
        before = System.setProperty("azalea.runtime.dir", runtime.toString());
    }

    @AfterEach
    void restore() {
        if (before == null) System.clearProperty("azalea.runtime.dir");
        else System.setProperty("azalea.runtime.dir", before);
    }

    record Result(int status, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.standard()
                .run(
                        List.of(args),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void refused(int status, String expected, String... args) {
        Result r = run(args);
        assertEquals(status, r.status(), String.join(" ", args) + ": " + r);
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void withoutANodeTheNodeCommandsExit3() {
        refused(3, "azalea ps: no node is running (start one with: azalea node start)", "ps");
        refused(3, "no node is running", "ps", "-a");
        refused(3, "no node is running", "kill", "4");
        refused(3, "no node is running", "logs", "4");
        refused(3, "no node is running", "stats", "--json");
        Result status = run("node", "status");
        assertEquals(3, status.status());
        assertEquals("no node is running\n", status.out());
        Result stop = run("node", "stop");
        assertEquals(0, stop.status());
    }

    @Test
    void badArgumentsExit2BeforeAnythingHappens() {
        refused(2, "unknown option '-x'", "ps", "-x");
        refused(2, "unexpected 'extra'", "ps", "extra");
        refused(2, "no instance ID given", "kill");
        refused(2, "'x1' is not an instance id", "kill", "x1");
        refused(2, "'0' is not an instance id", "logs", "0");
        refused(2, "needs exactly one instance ID", "logs", "1", "2");
        refused(2, "unknown option '--yaml'", "stats", "--yaml");
        refused(2, "needs start, status or stop", "node");
        refused(2, "unknown node command 'restart'", "node", "restart");
        refused(2, "unexpected 'now'", "node", "stop", "now");
        refused(2, "--smp must be 1..255, not 300", "node", "start", "--smp", "300");
        refused(2, "cannot be split evenly into 5 quadrants", "node", "start", "--quadrants", "5");
        refused(2, "--fwk needs a quadrant number or none", "node", "start", "--fwk", "zero");
        refused(2, "unknown accelerator 'hvf'", "node", "start", "--accel", "hvf");
        refused(
                2,
                "no such deployment file",
                "deploy",
                runtime.resolve("absent.deploy").toString());
        refused(2, "one deployment FILE at most", "deploy", "a", "b");
        refused(2, "no example 'now' (quickstart or offload)", "example", "now");
        refused(2, "takes one example name at most", "example", "offload", "now");
    }

    @Test
    void everyCommandIsListedAndDocumentsItsOptionsAndStatuses() {
        Result usage = run("--help");
        assertEquals(0, usage.status());
        for (String c : List.of("node", "run", "ps", "kill", "logs", "stats", "deploy", "example", "demo", "bench")) {
            assertTrue(usage.out().contains("\n  " + c + " "), c);
        }
        assertTrue(!usage.out().contains("serve"), "node serve is internal");
        assertTrue(run("node", "--help").out().contains("--foreground"));
        assertTrue(run("ps", "--help").out().contains("--all"));
        assertTrue(run("stats", "--help").out().contains("--json"));
        assertTrue(run("deploy", "--help").out().contains("--root"));
        for (String c : List.of("node", "run", "ps", "kill", "logs", "stats", "deploy", "example")) {
            assertTrue(run(c, "--help").out().contains("Exit status"), c + " documents its exit statuses");
        }
    }
}
