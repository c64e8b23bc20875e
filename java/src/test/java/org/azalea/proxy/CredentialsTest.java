package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.azalea.host.Errno;
import org.azalea.proxy.fs.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program never makes a set-id file, never gives a file away, and never changes the caller's stdio files. */
class CredentialsTest {
    @TempDir
    Path root;

    Guest g;

    @BeforeEach
    void start() throws Exception {
        g = new Guest(root); // the guest's umask is 022: every mode below has no write bit for group or others
    }

    @AfterEach
    void stop() {
        g.close();
    }

    private int mode(String name) throws Exception {
        return (Integer) Files.getAttribute(root.resolve(name), "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    @Test
    void setIdBitsAreDroppedFromEveryMode() throws Exception {
        long fd = g.call(AZ_OP_OPEN(), g.str("o"), O_CREAT | O_WRONLY, 06755);
        assertTrue(fd >= 0);
        assertEquals(0755, mode("o"), "open(O_CREAT)");
        assertTrue(g.call(AZ_OP_CREAT(), g.str("c"), 04755) >= 0);
        assertEquals(0755, mode("c"), "creat");
        assertEquals(0, g.call(AZ_OP_MKDIR(), g.str("d"), 07755));
        assertEquals(01755, mode("d"), "mkdir keeps the sticky bit, not set-id");
        assertEquals(0, g.call(AZ_OP_CHMOD(), g.str("c"), 06711));
        assertEquals(0711, mode("c"), "chmod");
        assertEquals(0, g.call(AZ_OP_FCHMOD(), fd, 04700));
        assertEquals(0700, mode("o"), "fchmod");
        assertEquals(0, g.call(AZ_OP_FCHMODAT(), AT_FDCWD, g.str("o"), 02750, 0));
        assertEquals(0750, mode("o"), "fchmodat");
        assertEquals(0, g.call(AZ_OP_FCHMODAT(), AT_FDCWD, g.str("o"), 01640, 0));
        assertEquals(01640, mode("o"), "the sticky bit is not a privilege");
    }

    @Test
    void chownOnlyToTheServicesOwnIds() throws Exception {
        Files.writeString(root.resolve("f"), "x");
        long fd = g.call(AZ_OP_OPEN(), g.str("f"), O_RDONLY);
        int uid = Credentials.ownUid();
        int gid = Credentials.ownGid();
        int other = uid == 1234 ? 1235 : 1234;
        assertEquals(-Errno.EPERM, g.call(AZ_OP_CHOWN(), g.str("f"), other, other));
        assertEquals(-Errno.EPERM, g.call(AZ_OP_LCHOWN(), g.str("f"), other, -1));
        assertEquals(-Errno.EPERM, g.call(AZ_OP_FCHOWN(), fd, -1, other));
        assertEquals(-Errno.EPERM, g.call(AZ_OP_FCHOWNAT(), AT_FDCWD, g.str("f"), 0 == uid ? other : 0, -1, 0));
        assertEquals(uid, Files.getAttribute(root.resolve("f"), "unix:uid"), "the owner is unchanged");
        assertEquals(0, g.call(AZ_OP_CHOWN(), g.str("f"), uid, gid), "its own ids are fine");
        assertEquals(0, g.call(AZ_OP_FCHOWN(), fd, -1, -1), "-1 changes nothing and is fine");
        assertEquals(0, g.call(AZ_OP_FCHOWNAT(), AT_FDCWD, g.str("f"), -1, gid, 0));
    }

    @Test
    void stdioBoundToHostFdsCannotBeChanged() throws Exception {
        Path in = Files.writeString(root.resolve("in.txt"), "in");
        Path out = root.resolve("out.txt");
        try (Stdio files = Stdio.files(in, out, out);
                Guest h = new Guest(root, files, "files")) {
            Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
            assertEquals(4, h.call(AZ_OP_WRITE(), 1, h.str("kept"), 4));
            assertEquals(-Errno.EPERM, h.call(AZ_OP_FCHMOD(), 1, 0666));
            assertEquals(-Errno.EPERM, h.call(AZ_OP_FCHOWN(), 1, -1, -1));
            assertEquals(-Errno.EPERM, h.call(AZ_OP_FTRUNCATE(), 1, 0));
            long fd = h.call(AZ_OP_OPEN(), h.str("own"), O_CREAT | O_RDWR, 0600);
            assertEquals(0, h.call(AZ_OP_FTRUNCATE(), fd, 10), "the program's own files are its own");
        }
        assertEquals("kept", Files.readString(out));
        assertEquals(0640, mode("out.txt"));
    }
}
