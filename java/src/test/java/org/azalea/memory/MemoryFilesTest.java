package org.azalea.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node memory files: owner-only, created exclusively, under names nobody can predict. */
class MemoryFilesTest {
    @TempDir
    Path dir;

    @Test
    void createdInShmOwnerOnlyWithARandomName() throws Exception {
        String prefix = "azalea-" + ProcessHandle.current().pid() + "-test-";
        Path a = MemoryFiles.create(prefix, "-node0");
        Path b = MemoryFiles.create(prefix, "-node0");
        try {
            assertEquals(MemoryFiles.SHM, a.getParent());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
            assertEquals(0L, Files.size(a));
            assertNotEquals(a, b, "the same prefix and suffix never give the same name");
            String random = a.getFileName().toString().substring(prefix.length(), prefix.length() + 32);
            assertTrue(random.matches("[0-9a-f]{32}"), random);
        } finally {
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
        }
    }

    @Test
    void anExistingFileOrSymlinkIsNeverReused() throws Exception {
        Path planted = Files.writeString(dir.resolve("f"), "someone else's");
        assertThrows(FileAlreadyExistsException.class, () -> MemoryFiles.create(dir, "f"));
        assertEquals("someone else's", Files.readString(planted));
        Path target = dir.resolve("target");
        Files.createSymbolicLink(dir.resolve("link"), target);
        assertThrows(FileAlreadyExistsException.class, () -> MemoryFiles.create(dir, "link"));
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS), "the symlink was not followed");
    }

    @Test
    void namesDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) assertTrue(seen.add(MemoryFiles.randomHex()));
    }
}
