package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.azalea.abi.abi_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * File-backed mmap (test-images/file_mmap.c) on a node against the same binary
 * on the host: the same output line for line, and the same file contents left in
 * the root directory, including the store only the program's exit wrote back.
 */
class FileMmapIT {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FileMmapIT.class);

    @RegisterExtension
    static final BootedNode booted = BootedNode.perClass();

    @TempDir
    Path nodeRoot;

    @TempDir
    Path hostRoot;

    private static final List<String> FILES = List.of(
            "fm_data", "fm_unmap", "fm_close", "fm_part", "fm_inval", "fm_short", "fm_threads", "fm_err", "fm_exit");

    static String runNatively(Path program, Path cwd, int status, String... args) throws Exception {
        List<String> cmd =
                new java.util.ArrayList<>(List.of(program.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the native run ended");
        assertEquals(status, p.exitValue(), out);
        return out;
    }

    @Test
    void writeBackWritesOnlyTheDirtyPages() throws Exception {
        String host = runNatively(BootedNode.IMAGES.resolve("file_mmap"), hostRoot, 0, "bench");
        BootedNode.Run r = booted.run("file_mmap", List.of("bench"), "", nodeRoot, 1, 2, Duration.ofSeconds(120));
        assertEquals(0, r.outcome().processStatus(), r.outcome().describe() + "\n" + r.stdout());
        assertTrue(r.stdout().contains("AZALEA-TEST-PASS file_mmap bench"), r.stdout());
        var stats = r.instance().proxy().stats();
        // 128 sparse pages, then all 2048, then none: the page-table dirty bits decide.
        assertEquals((128 + 2048) * 4096L, stats.bytes(abi_h.AZ_OP_FMAP_WRITE()), "bytes written back: " + stats);
        log.info(
                "node: {}",
                r.stdout()
                        .lines()
                        .filter(l -> l.startsWith("msync"))
                        .findFirst()
                        .orElse(""));
        log.info(
                "host: {}",
                host.lines().filter(l -> l.startsWith("msync")).findFirst().orElse(""));
    }

    @Test
    void aFatalSignalStillWritesSharedStoresBack() throws Exception {
        String expected = runNatively(BootedNode.IMAGES.resolve("file_mmap"), hostRoot, 128 + 15, "kill");
        BootedNode.Run r = booted.run("file_mmap", List.of("kill"), "", nodeRoot, 1, 2, Duration.ofSeconds(60));
        assertEquals(
                InstanceOutcome.State.EXITED, r.outcome().state(), r.outcome().describe() + "\n" + r.stdout());
        assertEquals(128 + 15, r.outcome().processStatus(), r.outcome().describe());
        assertEquals(expected, r.stdout());
        String host = Files.readString(hostRoot.resolve("fm_kill"), StandardCharsets.ISO_8859_1);
        String node = Files.readString(nodeRoot.resolve("fm_kill"), StandardCharsets.ISO_8859_1);
        assertTrue(host.startsWith("written-at-kill."), "Linux wrote it back: " + host.substring(0, 20));
        assertEquals(host.substring(0, 20), node.substring(0, 20), "so did the node");
        assertTrue(host.equals(node), "the whole file as on Linux");
    }

    @Test
    void sharedAndPrivateFileMappingsBehaveAsOnLinux() throws Exception {
        String expected = runNatively(BootedNode.IMAGES.resolve("file_mmap"), hostRoot, 0);
        BootedNode.Run r = booted.run("file_mmap", List.of(), "", nodeRoot, 1, 2, Duration.ofSeconds(120));
        assertEquals(
                InstanceOutcome.State.EXITED, r.outcome().state(), r.outcome().describe() + "\n" + r.stdout());
        assertEquals(0, r.outcome().processStatus(), r.stdout());
        assertEquals(expected, r.stdout(), "the node's output is the host's");
        assertTrue(r.stdout().contains("AZALEA-TEST-PASS file_mmap\n"), r.stdout());

        for (String f : FILES) {
            byte[] host = Files.readAllBytes(hostRoot.resolve(f));
            byte[] node = Files.readAllBytes(nodeRoot.resolve(f));
            assertEquals(
                    new String(host, StandardCharsets.ISO_8859_1),
                    new String(node, StandardCharsets.ISO_8859_1),
                    f + ": the instance left the file as Linux did");
        }
        String exit = Files.readString(nodeRoot.resolve("fm_exit"), StandardCharsets.ISO_8859_1);
        assertTrue(exit.startsWith("written-at-exit...."), "the exit wrote the unsynced store back: " + exit);

        var stats = r.instance().proxy().stats();
        assertTrue(stats.count(abi_h.AZ_OP_FMAP_WRITE()) > 0, "write-back went through the map handles: " + stats);
        assertEquals(
                stats.count(abi_h.AZ_OP_FMAP_OPEN()) - stats.errors(abi_h.AZ_OP_FMAP_OPEN()),
                stats.count(abi_h.AZ_OP_FMAP_CLOSE()) + 1,
                "every handle but fm_exit's (open at the end) was closed by the kernel: " + stats);
    }
}
