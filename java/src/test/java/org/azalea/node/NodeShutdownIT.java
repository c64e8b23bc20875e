package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.azalea.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full-weight kernel JVM stopped by SIGTERM while an instance runs leaves
 * nothing behind: no QEMU process, no shared-memory file, no work directory.
 */
class NodeShutdownIT {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsQemuAndRemovesTheMemoryFilesAndWorkDirectory() throws Exception {
        TestEnv.assumeQemu();
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dazalea.build.dir=" + BootedNode.BUILD.toAbsolutePath(),
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-cp",
                System.getProperty("java.class.path"),
                "org.azalea.cli.Main",
                "run",
                "--root",
                dir.toString(),
                BootedNode.IMAGES.resolve("spin").toAbsolutePath().toString());
        Process fwk = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(fwk.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertEquals("AZALEA-TEST-SPINNING", line, "the instance runs");
            List<ProcessHandle> qemu = fwk.descendants()
                    .filter(p -> p.info().command().orElse("").contains("qemu"))
                    .toList();
            assertEquals(1, qemu.size(), "one QEMU under the full-weight kernel");
            String prefix = "azalea-" + fwk.pid() + "-";
            assertTrue(shmFiles(prefix) > 0, "its memory files exist while it runs");

            fwk.destroy(); // SIGTERM
            assertTrue(fwk.waitFor(30, TimeUnit.SECONDS), "the JVM ended");
            assertTrue(qemu.get(0).onExit().get(10, TimeUnit.SECONDS) != null);
            assertFalse(qemu.get(0).isAlive(), "QEMU stopped");
            assertEquals(0, shmFiles(prefix), "memory files removed");
            try (var left = Files.list(dir.resolve("tmp"))) {
                assertEquals(
                        List.of(),
                        left.filter(p -> p.getFileName().toString().startsWith("azalea-node"))
                                .toList(),
                        "the node's work directory removed");
            }
        } finally {
            fwk.destroyForcibly();
        }
    }

    private static long shmFiles(String prefix) throws Exception {
        try (var s = Files.list(Path.of("/dev/shm"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }
}
