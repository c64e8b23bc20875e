package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.azalea.host.Errno;
import org.azalea.host.LinuxLayouts;
import org.azalea.host.LinuxNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every spelling of "outside the root" must fail, and nothing outside may change.
 * Layout: base/root is the instance's root; base/outside/secret is what it must not reach.
 */
class RootEscapeTest {
    @TempDir
    Path base;

    Path root;
    Path secret;
    Guest g;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectory(base.resolve("root"));
        Path outside = Files.createDirectory(base.resolve("outside"));
        secret = Files.writeString(outside.resolve("secret"), "secret");
        Files.writeString(root.resolve("inside"), "inside");
        g = new Guest(root);
    }

    @AfterEach
    void stop() throws Exception {
        g.close();
        assertEquals("secret", Files.readString(secret), "the outside file is untouched");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    }

    private long open(String path) {
        return g.call(AZ_OP_OPEN(), g.str(path), O_RDONLY, 0);
    }

    private String readAll(long fd) {
        long buf = g.alloc(64);
        long n = g.call(AZ_OP_READ(), fd, buf, 64);
        assertTrue(n >= 0, "read " + n);
        return g.string(buf, n);
    }

    @Test
    void dotDotAndAbsolutePathsStayInside() {
        assertEquals(-Errno.ENOENT, open("../outside/secret"));
        assertEquals(-Errno.ENOENT, open("../../../../../outside/secret"));
        assertEquals(-Errno.ENOENT, open("/../outside/secret"));
        assertEquals(-Errno.ENOENT, open(secret.toString()), "a host absolute path is an in-root path");
        assertEquals(-Errno.ENOENT, open("/etc/passwd"));
        assertEquals("inside", readAll(open("../../inside")), "'..' of the root is the root");
    }

    @Test
    void aDecoyInsideIsWhatEscapingPathsReach() throws Exception {
        Files.createDirectory(root.resolve("outside"));
        Files.writeString(root.resolve("outside/secret"), "decoy");
        assertEquals("decoy", readAll(open("../outside/secret")));
        assertEquals("decoy", readAll(open(secret.toString().replace(base.toString(), ""))));
    }

    @Test
    void symlinksPointingOutResolveInside() throws Exception {
        Files.createSymbolicLink(root.resolve("rel"), Path.of("../outside/secret"));
        Files.createSymbolicLink(root.resolve("abs"), secret);
        Files.createSymbolicLink(root.resolve("dir"), base);
        Files.createSymbolicLink(root.resolve("hostroot"), Path.of("/"));
        assertEquals(-Errno.ENOENT, open("rel"));
        assertEquals(-Errno.ENOENT, open("abs"));
        assertEquals(-Errno.ENOENT, open("dir/outside/secret"));
        assertEquals(-Errno.ENOENT, open("hostroot/etc/passwd"));
        assertEquals("inside", readAll(open("hostroot/inside")), "'/' in a symlink is the instance's root");
        // Guest-made symlinks: the target text is stored as given and is just as harmless.
        assertEquals(0, g.call(AZ_OP_SYMLINK(), g.str(secret.toString()), g.str("mine")));
        assertEquals(-Errno.ENOENT, open("mine"));
        long st = g.alloc(LinuxLayouts.STAT_SIZE);
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_STAT(), g.str("abs"), st));
        assertEquals(0, g.call(AZ_OP_LSTAT(), g.str("abs"), st), "the link itself is inside");
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_CHMOD(), g.str("abs"), 0777));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_CHOWN(), g.str("rel"), 0, 0));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_TRUNCATE(), g.str("abs"), 0));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_UTIMENSAT(), AT_FDCWD, g.str("abs"), 0, 0));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_ACCESS(), g.str("rel"), 0));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_CHDIR(), g.str("dir/outside")));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_OPEN(), g.str("abs"), O_WRONLY | O_TRUNC, 0));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_STATFS(), g.str("dir/outside"), g.alloc(LinuxLayouts.STATFS_SIZE)));
    }

    @Test
    void creatingThroughADanglingSymlinkCreatesInside() throws Exception {
        Path victim = base.resolve("outside/created");
        Files.createSymbolicLink(root.resolve("absolute"), victim);
        assertEquals(
                -Errno.ENOENT,
                g.call(AZ_OP_OPEN(), g.str("absolute"), O_CREAT | O_WRONLY, 0600),
                "its in-root spelling has no parent directory");
        Files.createSymbolicLink(root.resolve("relative"), Path.of("../outside/created"));
        Files.createDirectory(root.resolve("outside"));
        assertTrue(g.call(AZ_OP_OPEN(), g.str("relative"), O_CREAT | O_WRONLY, 0600) >= 0);
        assertTrue(Files.exists(root.resolve("outside/created")), "created inside");
        assertFalse(Files.exists(victim));
    }

    @Test
    void procSelfRootIsNoWayOut() throws Exception {
        assertEquals(-Errno.ENOENT, open("/proc/self/root" + secret));
        Files.createSymbolicLink(root.resolve("p"), Path.of("/proc/self/root" + base));
        assertEquals(-Errno.ENOENT, open("p/outside/secret"));
        Files.createSymbolicLink(root.resolve("fdlink"), Path.of("/proc/self/fd/0"));
        assertEquals(-Errno.ENOENT, open("fdlink"));
    }

    @Test
    void noHardLinkToAnOutsideFile() throws Exception {
        Files.createSymbolicLink(root.resolve("abs"), secret);
        Files.createSymbolicLink(root.resolve("rel"), Path.of("../outside/secret"));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_LINK(), g.str("../outside/secret"), g.str("stolen")));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_LINK(), g.str(secret.toString()), g.str("stolen")));
        assertEquals(
                -Errno.ENOENT,
                g.call(AZ_OP_LINKAT(), AT_FDCWD, g.str("abs"), AT_FDCWD, g.str("stolen"), AT_SYMLINK_FOLLOW));
        assertEquals(
                -Errno.ENOENT,
                g.call(AZ_OP_LINKAT(), AT_FDCWD, g.str("rel"), AT_FDCWD, g.str("stolen"), AT_SYMLINK_FOLLOW));
        assertEquals(0, g.call(AZ_OP_LINK(), g.str("abs"), g.str("stolen")), "without follow: a link to the link");
        assertTrue(Files.isSymbolicLink(root.resolve("stolen")));
        assertEquals(-Errno.ENOENT, open("stolen"));
        assertEquals(1, (int) Files.getAttribute(secret, "unix:nlink"));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_LINK(), g.str("inside"), g.str("../../outside/linked")));
        assertFalse(Files.exists(base.resolve("outside/linked")));
    }

    @Test
    void noRenameOrRemovalOutside() throws Exception {
        Files.createSymbolicLink(root.resolve("dir"), base.resolve("outside"));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_RENAME(), g.str("inside"), g.str("../outside/moved")));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_RENAME(), g.str("inside"), g.str(base + "/outside/moved")));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_RENAME(), g.str("inside"), g.str("dir/moved")));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_RENAME(), g.str("../outside/secret"), g.str("taken")));
        assertEquals(0, g.call(AZ_OP_RENAME(), g.str("dir"), g.str("dir2")), "renames the link itself");
        assertTrue(Files.isSymbolicLink(root.resolve("dir2")));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_UNLINK(), g.str("../outside/secret")));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_UNLINK(), g.str("dir2/secret")));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_RMDIR(), g.str("../outside")));
        assertEquals(-Errno.EBUSY, g.call(AZ_OP_RENAME(), g.str("/.."), g.str("x")));
        assertEquals(-Errno.ENOTEMPTY, g.call(AZ_OP_RMDIR(), g.str("/..")), "'..' of the root is never removed");
        assertEquals(0, g.call(AZ_OP_MKDIR(), g.str("../escaped"), 0755));
        assertTrue(Files.isDirectory(root.resolve("escaped")));
        assertFalse(Files.exists(base.resolve("escaped")));
        assertEquals(0, g.call(AZ_OP_SYMLINK(), g.str("x"), g.str("../../made")));
        assertTrue(Files.isSymbolicLink(root.resolve("made")));
        assertTrue(Files.exists(base.resolve("outside/secret")));
    }

    @Test
    void theRootItselfCannotBeChangedThroughDotDot() {
        long st = g.alloc(LinuxLayouts.STAT_SIZE);
        assertEquals(0, g.call(AZ_OP_STAT(), g.str("/.."), st));
        long rootIno = g.getLong(st + LinuxLayouts.STAT_INO);
        assertEquals(0, g.call(AZ_OP_STAT(), g.str("."), st));
        assertEquals(rootIno, g.getLong(st + LinuxLayouts.STAT_INO), "'/..' is the root");
        assertEquals(0, g.call(AZ_OP_CHMOD(), g.str("/.."), 0755), "chmod reaches the root, not its parent");
        assertTrue(Files.exists(base.resolve("outside")));
    }

    @Test
    void directoryFdsAndTheCwdStayInside() throws Exception {
        Files.createDirectory(root.resolve("sub"));
        long dir = g.call(AZ_OP_OPEN(), g.str("sub"), O_RDONLY | O_DIRECTORY, 0);
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_OPENAT(), dir, g.str("../../outside/secret"), O_RDONLY, 0));
        assertEquals(0, g.call(AZ_OP_CHDIR(), g.str("../../../..")));
        assertEquals("/", g.sys.cwd());
        assertEquals(-Errno.ENOENT, open("outside/secret"));
    }

    @Test
    void unixSocketNamesResolveInside() throws Exception {
        Path hostSocket = base.resolve("outside/host.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(hostSocket));
            Files.createSymbolicLink(root.resolve("sock"), hostSocket);
            long fd = g.call(AZ_OP_SOCKET(), LinuxNet.AF_UNIX, LinuxNet.SOCK_STREAM, 0);
            String abs = hostSocket.toString();
            assertEquals(-Errno.ENOENT, g.call(AZ_OP_CONNECT(), fd, g.sockaddrUn(abs), Guest.sunLen(abs)));
            assertEquals(-Errno.ENOENT, g.call(AZ_OP_CONNECT(), fd, g.sockaddrUn("sock"), Guest.sunLen("sock")));
            String rel = "../outside/host.sock";
            assertEquals(-Errno.ENOENT, g.call(AZ_OP_CONNECT(), fd, g.sockaddrUn(rel), Guest.sunLen(rel)));
            assertEquals(
                    -Errno.ENOENT,
                    g.call(AZ_OP_BIND(), fd, g.sockaddrUn("../outside/new.sock"), Guest.sunLen("../outside/new.sock")),
                    "bind resolves its directory in-root too");
            assertFalse(Files.exists(base.resolve("outside/new.sock")));
        }
    }

    @Test
    void loopsEndInEloop() throws Exception {
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        assertEquals(-Errno.ELOOP, open("loop"));
    }
}
