package org.azalea.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Scrubbing zeroes exactly the range asked, through every mapping of the file. */
class ScrubTest {
    @Test
    void zeroesTheRangeOnlyAndReleasesItsPages() throws Exception {
        Path file = Path.of(
                "/dev/shm", "azalea-scrub-test-" + ProcessHandle.current().pid());
        long base = 0x1_0000_0000L, size = 8L << 20;
        try (GuestMemory m = new GuestMemory();
                GuestMemory other = new GuestMemory()) {
            var seg = m.map(file, base, size).segment();
            var view = other.map(file, base, size).segment(); // a second mapping, as QEMU's would be
            seg.fill((byte) 0x5a);
            m.scrub(base + (2L << 20), 4L << 20);
            assertEquals(0x5a, view.get(ValueLayout.JAVA_BYTE, (2L << 20) - 1));
            for (long off = 2L << 20; off < 6L << 20; off += 4096) {
                assertEquals(0, view.get(ValueLayout.JAVA_BYTE, off), "zero at " + off);
            }
            assertEquals(0x5a, view.get(ValueLayout.JAVA_BYTE, 6L << 20));
            assertEquals(0, seg.get(ValueLayout.JAVA_BYTE, 3L << 20));
            assertThrows(IllegalArgumentException.class, () -> m.scrub(base + size - 4096, 8192));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
