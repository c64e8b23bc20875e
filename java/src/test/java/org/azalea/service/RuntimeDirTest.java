package org.azalea.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime directory is the socket's access control: created 0700, tightened if looser, refused if not a directory. */
class RuntimeDirTest {
    @TempDir
    Path tmp;

    @Test
    void createdOwnerOnly() throws Exception {
        RuntimeDir d = new RuntimeDir(tmp.resolve("a/azalea")).create();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.dir())));
        assertEquals(d.dir().resolve("node.sock"), d.socket());
    }

    @Test
    void aLooseExistingDirectoryIsTightened() throws Exception {
        Path p = Files.createDirectory(tmp.resolve("loose"));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        new RuntimeDir(p).create();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    }

    @Test
    void aFileOrASymlinkIsRefused() throws Exception {
        Path f = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(assertThrows(IOException.class, () -> new RuntimeDir(f).create())
                .getMessage()
                .contains("not a directory"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(tmp.resolve("target")));
        assertThrows(IOException.class, () -> new RuntimeDir(link).create(), "a symlink could point anywhere");
    }

    @Test
    void thePropertyOverridesTheDefault() {
        String before = System.setProperty("azalea.runtime.dir", tmp.toString());
        try {
            assertEquals(tmp, RuntimeDir.standard().dir());
        } finally {
            if (before == null) System.clearProperty("azalea.runtime.dir");
            else System.setProperty("azalea.runtime.dir", before);
        }
    }
}
