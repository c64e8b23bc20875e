package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.azalea.proxy.Stdio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start the kernel refuses says why, in the kernel's words, and keeps the console that says it. */
class StartRefusalIT {
    @TempDir
    Path root;

    @Test
    void aRefusedStartCarriesTheKernelsReasonAndKeepsTheConsole() throws Exception {
        try (BootedNode booted = new BootedNode()) {
            Node node = booted.node;
            // 28 MiB: mapped (quadrant 0's file) but the node kernel's own memory, never an instance's.
            long reserved = 0x1C00000L;
            InstanceSpec spec = new InstanceSpec(
                    1,
                    "refused",
                    ElfImage.load(BootedNode.IMAGES.resolve("hello")),
                    List.of("hello"),
                    List.of(),
                    new int[] {20},
                    reserved,
                    4L << 20,
                    root,
                    Stdio.of(
                            new ByteArrayInputStream(new byte[0]),
                            new ByteArrayOutputStream(),
                            new ByteArrayOutputStream()));
            IOException e = assertThrows(IOException.class, () -> Instance.launch(node, spec));
            assertTrue(
                    e.getMessage()
                            .contains(
                                    "cpu 20 refused START (EINVAL): start: az_boot address 1c02000 is not usable memory"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(node.consoleLog().toString()), e.getMessage());
            assertEquals(java.util.Set.of("refused"), node.logsKeptFor());
            node.releaseLogsOf("refused");
            // The core is parked again and the node goes on.
            assertEquals(
                    0,
                    booted.run("hello", List.of(), "", root, 1, 3, Duration.ofSeconds(60))
                            .outcome()
                            .processStatus());
        }
    }
}
