package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.azalea.abi.abi_h;
import org.azalea.proxy.Stdio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sqlite3 shell, built from Debian's source package by apps/sqlite/build.sh
 * (`make apps`), in WAL mode on a node: its -shm file is mapped MAP_SHARED and
 * locked with fcntl, its database written with pwrite, fsync and ftruncate.  The
 * node's output is the host's for the same script, and the database it leaves is
 * read back by the same binary on the host (integrity_check, the same rows) and
 * by a second instance.
 */
class SqliteIT {
    private static final Logger log = LoggerFactory.getLogger(SqliteIT.class);
    static final Path SQLITE = BootedNode.BUILD.resolve("apps/sqlite/sqlite3");

    @RegisterExtension
    static final BootedNode booted = BootedNode.perClass();

    @TempDir
    Path nodeRoot;

    @TempDir
    Path hostRoot;

    record Result(String stdout, long micros, BootedNode.Run run, String kernelTime) {}

    static String script(String name) throws Exception {
        try (InputStream in = SqliteIT.class.getResourceAsStream("/sqlite/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Result onHost(Path dir, String sql) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(SQLITE.toAbsolutePath().toString(), "test.db")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write(sql.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the host's sqlite3 ended");
        long us = (System.nanoTime() - t0) / 1000;
        assertEquals(0, p.exitValue(), out);
        return new Result(out, us, null, "");
    }

    Result onNode(String sql) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Node node = booted.node;
        NodeInfo.MemoryRange range = node.info().rangeOf(1);
        int first = node.shape().firstCpu(1);
        long base = (range.base() + (2L << 20) - 1) & -(2L << 20);
        long id = BootedNode.nextId();
        InstanceSpec spec = new InstanceSpec(
                id,
                "sqlite3",
                ElfImage.load(SQLITE),
                List.of("sqlite3", "test.db"),
                List.of("HOME=/", "PATH=/bin:/usr/bin"),
                new int[] {first, first + 1},
                base,
                128L << 20,
                nodeRoot,
                Stdio.of(new ByteArrayInputStream(sql.getBytes(StandardCharsets.UTF_8)), out, err));
        long t0 = System.nanoTime();
        try (Instance inst = Instance.launch(node, spec)) {
            InstanceOutcome o = inst.waitFor(Duration.ofSeconds(120));
            long us = (System.nanoTime() - t0) / 1000;
            if (o == null) {
                inst.kill();
                throw new AssertionError("sqlite3 did not end; console: " + BootedNode.tail(node.consoleLog()));
            }
            String stdout = out.toString(StandardCharsets.UTF_8);
            String all = stdout + err.toString(StandardCharsets.UTF_8);
            assertEquals(InstanceOutcome.State.EXITED, o.state(), o.describe() + "\n" + all);
            assertEquals(0, o.processStatus(), all);
            assertEquals("", err.toString(StandardCharsets.UTF_8), "no error from sqlite3");
            // The kernel's own count, from the program's first instruction to its exit.
            String mark = "instance " + id + ": exited with status 0 after ";
            String kernelTime = Files.readAllLines(node.consoleLog()).stream()
                    .filter(l -> l.contains(mark))
                    .map(l -> l.substring(l.indexOf(mark) + mark.length()))
                    .findFirst()
                    .orElse("?");
            return new Result(
                    stdout, us, new BootedNode.Run(o, stdout, err.toString(StandardCharsets.UTF_8), inst), kernelTime);
        }
    }

    @Test
    void walDatabaseWrittenOnTheNodeChecksOutOnTheHost() throws Exception {
        assertTrue(Files.isExecutable(SQLITE), "build it with `make apps`: " + SQLITE);
        String wal = script("wal.sql");
        Result host = onHost(hostRoot, wal);
        Result node = onNode(wal);
        assertEquals(host.stdout(), node.stdout(), "the node's output is the host's");
        assertTrue(node.stdout().startsWith("wal\n"), "PRAGMA journal_mode=WAL answered wal: " + node.stdout());
        var stats = node.run().instance().proxy().stats();
        assertTrue(stats.count(abi_h.AZ_OP_FMAP_OPEN()) > 0, "the -shm file was mapped shared: " + stats);
        assertTrue(stats.count(abi_h.AZ_OP_FCNTL()) > 0, "with fcntl locks: " + stats);
        assertFalse(
                Files.exists(nodeRoot.resolve("test.db-wal")), "the last connection checkpointed and removed the WAL");

        // The same binary on the host reads what the node wrote.
        String check = script("check.sql");
        Result expected = onHost(hostRoot, check);
        Result read = onHost(nodeRoot, check);
        assertTrue(read.stdout().startsWith("ok\nwal\n"), "integrity_check ok, still WAL: " + read.stdout());
        assertEquals(expected.stdout(), read.stdout(), "the host reads the node's database as its own");

        // And a second instance opens the WAL database again (a new -shm).
        Result again = onNode(check);
        assertEquals(expected.stdout(), again.stdout(), "a second instance reads it too");
        log.info(
                "sqlite3 WAL script: node {} us wall from launch ({} in the program), host {} us;"
                        + " check: node {} us ({}), host {} us; node requests: {}",
                node.micros(),
                node.kernelTime(),
                host.micros(),
                again.micros(),
                again.kernelTime(),
                read.micros(),
                stats);
    }
}
