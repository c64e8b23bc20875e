package org.azalea.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The API example runs as documented: on a private node here (the runtime directory is the test's, with no service). */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class QuickStartIT {
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

    @Test
    void runsEveryStep() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = QuickStart.run(
                Path.of(System.getProperty("azalea.build.dir")), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        assertTrue(out.contains("a private one, booted for this example"), out);
        assertTrue(out.contains("fileserv: 16 files served"), out);
        assertTrue(out.contains("exited with status 0"), out);
        assertTrue(out.contains(": KILLED"), out);
        assertTrue(out.contains("node free: all cores and memory"), out);
    }
}
