package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's temporary work directory goes with it, unless an instance failed and its logs tell why. */
class NodeWorkDirIT {
    @TempDir
    Path root;

    @Test
    void removedAfterACleanRunKeptAfterACrash() throws Exception {
        try (BootedNode clean = new BootedNode()) {
            Path work = clean.node.consoleLog().getParent();
            assertEquals(
                    0,
                    clean.run("hello", List.of(), "", root, 1, 1, Duration.ofSeconds(60))
                            .outcome()
                            .processStatus());
            clean.close();
            assertFalse(Files.exists(work), "no leftover " + work);
        }
        Path kept;
        try (BootedNode crashed = new BootedNode()) {
            kept = crashed.node.consoleLog().getParent();
            assertEquals(
                    InstanceOutcome.State.FAULTED,
                    crashed.run("crash", List.of(), "", root, 1, 1, Duration.ofSeconds(60))
                            .outcome()
                            .state());
        }
        try {
            assertTrue(Files.exists(kept.resolve("node.log")), "the console of a crash is kept: " + kept);
        } finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(kept);
        }
    }
}
