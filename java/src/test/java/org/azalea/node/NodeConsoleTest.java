package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConsoleTest {
    @TempDir
    Path dir;

    @Test
    void theLastLineOfOneCpuWithoutItsPrefix() {
        String text = "[cpu2] start: old\r\n[cpu28] start: no az_boot (magic 0, version 0) at 2001e000\n"
                + "[cpu2] start: new\n[cpu280] other cpu\n";
        assertEquals("start: no az_boot (magic 0, version 0) at 2001e000", NodeConsole.lastLineOf(text, 28));
        assertEquals("start: new", NodeConsole.lastLineOf(text, 2));
        assertEquals("", NodeConsole.lastLineOf(text, 3), "a cpu that printed nothing");
    }

    @Test
    void onlyWhatCameAfterTheMarkCounts() throws Exception {
        Path log = Files.writeString(dir.resolve("node.log"), "[cpu5] start: before\n");
        long mark = NodeConsole.size(log);
        assertEquals("", NodeConsole.lastLineOf(log, 5, mark));
        Files.writeString(log, "[cpu5] start: after\n", java.nio.file.StandardOpenOption.APPEND);
        assertEquals("start: after", NodeConsole.lastLineOf(log, 5, mark));
        assertEquals("", NodeConsole.lastLineOf(dir.resolve("missing.log"), 5, 0), "no console, no reason");
    }
}
