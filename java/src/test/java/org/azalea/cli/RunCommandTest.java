package org.azalea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `azalea run` refuses before anything boots: one line, status 2.  The
 * runtime directory is the test's, so no running node is found (and a
 * developer's own node is never used).
 */
class RunCommandTest {
    @TempDir
    Path dir;

    String before;

    @BeforeEach
    void isolate() {
        before = System.setProperty("azalea.runtime.dir", dir.resolve("runtime").toString());
    }

    @AfterEach
    void restore() {
        if (before == null) System.clearProperty("azalea.runtime.dir");
        else System.setProperty("azalea.runtime.dir", before);
    }

    record Result(int status, String out, String err) {}

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.standard()
                .run(
                        List.of(args),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path staticProgram() throws Exception {
        Path src = Files.writeString(dir.resolve("p.c"), "int main(void){return 0;}\n");
        Path out = dir.resolve("p");
        Process p = new ProcessBuilder("musl-gcc", "-static", "-o", out.toString(), src.toString())
                .inheritIO()
                .start();
        assertEquals(0, p.waitFor());
        return out;
    }

    private void refused(String expected, String... args) {
        Result r = run(args);
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void refusesBadInputBeforeBooting() throws Exception {
        String prog = staticProgram().toString();
        refused("unknown option '--bogus'", "run", "--bogus", prog);
        refused("no such file", "run", dir.resolve("absent").toString());
        refused(
                "not an ELF",
                "run",
                Files.writeString(dir.resolve("t.sh"), "#!/bin/sh\n").toString());
        refused("dynamically linked", "run", "/bin/sh");
        refused("quadrant 1 has 18 cores", "run", "--cores", "19", prog);
        refused("quadrant 0 has 17 cores", "run", "--quadrant", "0", "--cores", "18", prog);
        refused("quadrant 1 has 512M", "run", "--mem", "1G", prog);
        refused("not a size: 'lots'", "run", "--mem", "lots", prog);
        refused("quadrants 0..3", "run", "--quadrant", "4", prog);
        refused("unknown accelerator 'hvf'", "run", "--accel", "hvf", prog);
        refused("--cores needs a number", "run", "--cores", "many", prog);
        refused("no PROGRAM", "run");
        refused("is not a directory", "run", "--root", dir.resolve("nowhere").toString(), prog);
        refused("--mem 1M: at least 4M", "run", "--mem", "1M", prog);
        refused("--timeout must be 1..", "run", "--timeout", "0", prog);
        refused("--env needs NAME=VALUE", "run", "--env", "=x", prog);
        refused("--attach and --private exclude each other", "run", "--attach", "--private", prog);
    }

    @Test
    void attachWithoutANodeFailsInsteadOfBooting() throws Exception {
        long start = System.nanoTime();
        Result r = run("run", "--attach", staticProgram().toString());
        assertEquals(RunCommand.REFUSED, r.status(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(
                r.err().contains("--attach: no node is running (runtime directory " + dir.resolve("runtime")), r.err());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "nothing was booted");
    }

    @Test
    void helpDocumentsEveryOption() {
        Result r = run("run", "--help");
        assertEquals(0, r.status());
        for (String opt : List.of(
                "--cores",
                "--quadrant",
                "--mem",
                "--root",
                "--smp",
                "--accel",
                "--env",
                "--timeout",
                "--private",
                "--attach",
                "Exit status")) {
            assertTrue(r.out().contains(opt), opt);
        }
        assertEquals(2, run("frobnicate").status());
    }
}
