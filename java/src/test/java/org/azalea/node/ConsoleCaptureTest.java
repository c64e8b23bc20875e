package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** node.log as the console capture writes it: everything below the cap, then one note, then nothing. */
class ConsoleCaptureTest {
    @TempDir
    Path dir;

    private byte[] capture(byte[] console, long cap) throws Exception {
        Path log = dir.resolve("node.log");
        try (ConsoleCapture c = ConsoleCapture.start(new ByteArrayInputStream(console), log, cap)) {
            // close() waits for the copy to reach the end of the stream
        }
        return Files.readAllBytes(log);
    }

    @Test
    void belowTheCapEveryByteIsKeptInOrder() throws Exception {
        byte[] console = new byte[300_000];
        new Random(7).nextBytes(console);
        assertArrayEquals(console, capture(console, 300_000));
    }

    @Test
    void pastTheCapTheLogIsTheCapThenOneNote() throws Exception {
        byte[] console = new byte[1_000_000];
        new Random(8).nextBytes(console);
        byte[] log = capture(console, 100_000);
        byte[] note = ConsoleCapture.note(100_000).getBytes(StandardCharsets.UTF_8);
        assertEquals(100_000 + note.length, log.length);
        assertArrayEquals(Arrays.copyOf(console, 100_000), Arrays.copyOf(log, 100_000));
        assertArrayEquals(note, Arrays.copyOfRange(log, 100_000, log.length));
    }

    @Test
    void theWholeConsoleIsReadEvenPastTheCapSoTheWriterNeverWaits() throws Exception {
        long[] read = {0};
        InputStream endless = new InputStream() {
            final long total = 50L << 20;

            @Override
            public int read() {
                return read[0] < total ? (int) (read[0]++ & 0x7f) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (read[0] >= total) return -1;
                int n = (int) Math.min(len, total - read[0]);
                read[0] += n;
                return n;
            }
        };
        Path log = dir.resolve("node.log");
        ConsoleCapture c = ConsoleCapture.start(endless, log, 4096);
        c.close();
        assertEquals(50L << 20, read[0], "read to the end");
        assertEquals(4096, c.kept());
        assertEquals((50L << 20) - 4096, c.dropped());
        assertEquals(4096 + ConsoleCapture.note(4096).length(), Files.size(log));
    }
}
