package org.azalea.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented example of calling the offload proxy from Java does what its output says. */
class OffloadFromJavaTest {
    @TempDir
    Path root;

    @Test
    void realCallsThroughTheRingReachTheRootAndComeBack() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = OffloadFromJava.run(root, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        assertTrue(out.contains("write(fd, text, 33) = 33"), out);
        assertTrue(out.contains("read back: written through the offload ring"), out);
        assertTrue(out.contains("st_size 33"), out);
        assertTrue(out.contains("stat(\"/no/such/file\", &st) = -ENOENT"), out);
        assertEquals(
                "written through the offload ring\n", Files.readString(root.resolve("hello.txt")), "the host file");
    }
}
