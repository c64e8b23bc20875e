package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.azalea.host.Errno;
import org.azalea.host.LinuxLayouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path calls inside a temporary root: success and the usual Linux errors. */
class PathCallsTest {
    @TempDir
    Path root;

    Guest g;

    @BeforeEach
    void start() throws Exception {
        g = new Guest(root);
    }

    @AfterEach
    void stop() {
        g.close();
    }

    private long call(int op, Object... args) {
        long[] a = new long[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i] instanceof String str ? g.str(str) : ((Number) args[i]).longValue();
        }
        return g.call(op, a);
    }

    @Test
    void mkdirRmdirAndTheirErrors() {
        assertEquals(0, call(AZ_OP_MKDIR(), "d", 0755));
        assertTrue(Files.isDirectory(root.resolve("d")));
        assertEquals(-Errno.EEXIST, call(AZ_OP_MKDIR(), "d", 0755));
        assertEquals(-Errno.ENOENT, call(AZ_OP_MKDIR(), "no/such/parent", 0755));
        assertEquals(0, call(AZ_OP_MKDIR(), "d/e/", 0755), "a trailing slash is fine for mkdir");
        assertEquals(-Errno.ENOTEMPTY, call(AZ_OP_RMDIR(), "d"));
        assertEquals(0, call(AZ_OP_RMDIR(), "d/e"));
        assertEquals(0, call(AZ_OP_RMDIR(), "/d/"));
        assertFalse(Files.exists(root.resolve("d")));
        assertEquals(-Errno.EEXIST, call(AZ_OP_MKDIR(), "/", 0755));
        assertEquals(-Errno.EBUSY, call(AZ_OP_RMDIR(), "/"));
        assertEquals(-Errno.EINVAL, call(AZ_OP_RMDIR(), "."));
        assertEquals(-Errno.ENOENT, call(AZ_OP_MKDIR(), "", 0755));
    }

    @Test
    void mkdiratAndOpenatResolveFromTheDirectoryFd() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        long dir = call(AZ_OP_OPEN(), "a", O_RDONLY | O_DIRECTORY, 0);
        assertEquals(0, call(AZ_OP_MKDIRAT(), dir, "c", 0700));
        assertTrue(Files.isDirectory(root.resolve("a/c")));
        long f = call(AZ_OP_OPENAT(), dir, "b/file", O_CREAT | O_WRONLY, 0600);
        assertTrue(f >= 0);
        assertTrue(Files.exists(root.resolve("a/b/file")));
        assertTrue(call(AZ_OP_OPENAT(), dir, "../a/b/file", O_RDONLY, 0) >= 0, ".. from a directory fd");
        assertTrue(call(AZ_OP_OPENAT(), AT_FDCWD, "a/b/file", O_RDONLY, 0) >= 0);
        assertTrue(call(AZ_OP_OPENAT(), 0xFFFFFF9CL, "a/b/file", O_RDONLY, 0) >= 0, "AT_FDCWD zero-extended");
        assertEquals(-Errno.ENOTDIR, call(AZ_OP_OPENAT(), f, "x", O_RDONLY, 0), "a file fd as directory");
        assertTrue(call(AZ_OP_OPENAT(), f, "/a/b/file", O_RDONLY, 0) >= 0, "an absolute path ignores the fd");
        assertEquals(-Errno.EBADF, call(AZ_OP_OPENAT(), 77, "x", O_RDONLY, 0));
    }

    @Test
    void unlinkAndUnlinkat() throws Exception {
        Files.writeString(root.resolve("f"), "x");
        Files.createDirectory(root.resolve("d"));
        assertEquals(-Errno.EISDIR, call(AZ_OP_UNLINK(), "d"));
        assertEquals(-Errno.ENOTDIR, call(AZ_OP_UNLINK(), "f/"));
        assertEquals(0, call(AZ_OP_UNLINK(), "f"));
        assertEquals(-Errno.ENOENT, call(AZ_OP_UNLINK(), "f"));
        assertEquals(-Errno.EINVAL, call(AZ_OP_UNLINKAT(), AT_FDCWD, "d", 0x4));
        assertEquals(0, call(AZ_OP_UNLINKAT(), AT_FDCWD, "d", AT_REMOVEDIR));
        assertFalse(Files.exists(root.resolve("d")));
    }

    @Test
    void renameAndRenameat2() throws Exception {
        Files.writeString(root.resolve("a"), "A");
        Files.writeString(root.resolve("b"), "B");
        assertEquals(0, call(AZ_OP_RENAME(), "a", "c"));
        assertEquals("A", Files.readString(root.resolve("c")));
        assertEquals(-Errno.EEXIST, call(AZ_OP_RENAMEAT2(), AT_FDCWD, "c", AT_FDCWD, "b", RENAME_NOREPLACE));
        assertEquals(0, call(AZ_OP_RENAMEAT2(), AT_FDCWD, "c", AT_FDCWD, "b", RENAME_EXCHANGE));
        assertEquals("A", Files.readString(root.resolve("b")));
        assertEquals("B", Files.readString(root.resolve("c")));
        assertEquals(-Errno.EINVAL, call(AZ_OP_RENAMEAT2(), AT_FDCWD, "c", AT_FDCWD, "b", 0x100));
        assertEquals(-Errno.EBUSY, call(AZ_OP_RENAME(), ".", "x"));
        assertEquals(-Errno.ENOTDIR, call(AZ_OP_RENAME(), "c/", "x"));
        assertEquals(-Errno.ENOENT, call(AZ_OP_RENAME(), "missing", "x"));
    }

    @Test
    void hardLinksAndSymlinks() throws Exception {
        Files.writeString(root.resolve("t"), "target");
        assertEquals(0, call(AZ_OP_LINK(), "t", "hard"));
        assertEquals(2, (int) Files.getAttribute(root.resolve("t"), "unix:nlink"));
        assertEquals(-Errno.EEXIST, call(AZ_OP_LINK(), "t", "hard"));
        assertEquals(0, call(AZ_OP_SYMLINK(), "t", "soft"));
        assertEquals(Path.of("t"), Files.readSymbolicLink(root.resolve("soft")));
        assertEquals(0, call(AZ_OP_SYMLINKAT(), "/t", AT_FDCWD, "abs"));

        long buf = g.alloc(64);
        assertEquals(1, call(AZ_OP_READLINK(), "soft", buf, 64));
        assertEquals("t", g.string(buf, 1));
        assertEquals(2, call(AZ_OP_READLINKAT(), AT_FDCWD, "abs", buf, 1 + 1));
        assertEquals("/t", g.string(buf, 2));
        assertEquals(1, call(AZ_OP_READLINK(), "abs", buf, 1), "truncated silently, as Linux");
        assertEquals(-Errno.EINVAL, call(AZ_OP_READLINK(), "t", buf, 64), "not a symlink");
        assertEquals(-Errno.EINVAL, call(AZ_OP_READLINK(), "soft", buf, 0));

        assertEquals(0, call(AZ_OP_LINKAT(), AT_FDCWD, "soft", AT_FDCWD, "linkToLink", 0));
        assertTrue(Files.isSymbolicLink(root.resolve("linkToLink")), "without AT_SYMLINK_FOLLOW the link itself");
        assertEquals(0, call(AZ_OP_LINKAT(), AT_FDCWD, "abs", AT_FDCWD, "followed", AT_SYMLINK_FOLLOW));
        assertFalse(Files.isSymbolicLink(root.resolve("followed")));
        assertEquals(3, (int) Files.getAttribute(root.resolve("t"), "unix:nlink"), "t, hard, followed");
        assertEquals(-Errno.EINVAL, call(AZ_OP_LINKAT(), AT_FDCWD, "t", AT_FDCWD, "x", 0x1));
        assertEquals(-Errno.ENOENT, call(AZ_OP_SYMLINK(), "", "empty"));
    }

    @Test
    void linkatWithEmptyPathLinksAnOpenFile() throws Exception {
        Files.writeString(root.resolve("o"), "open");
        long fd = call(AZ_OP_OPEN(), "o", O_RDONLY, 0);
        assertEquals(0, call(AZ_OP_LINKAT(), fd, "", AT_FDCWD, "o2", AT_EMPTY_PATH));
        assertEquals("open", Files.readString(root.resolve("o2")));
        assertEquals(
                -Errno.EXDEV,
                call(AZ_OP_LINKAT(), 1, "", AT_FDCWD, "stdout", AT_EMPTY_PATH),
                "stdio is not a file of the root");
    }

    @Test
    void statLstatNewfstatat() throws Exception {
        Files.write(root.resolve("f"), new byte[77]);
        Files.createSymbolicLink(root.resolve("l"), Path.of("f"));
        long st = g.alloc(LinuxLayouts.STAT_SIZE);
        assertEquals(0, call(AZ_OP_STAT(), "l", st));
        assertEquals(S_IFREG, g.getInt(st + LinuxLayouts.STAT_MODE) & S_IFMT);
        assertEquals(77, g.getLong(st + LinuxLayouts.STAT_ST_SIZE));
        assertEquals(0, call(AZ_OP_LSTAT(), "l", st));
        assertEquals(S_IFLNK, g.getInt(st + LinuxLayouts.STAT_MODE) & S_IFMT);
        assertEquals(0, call(AZ_OP_NEWFSTATAT(), AT_FDCWD, "l", st, AT_SYMLINK_NOFOLLOW));
        assertEquals(S_IFLNK, g.getInt(st + LinuxLayouts.STAT_MODE) & S_IFMT);
        long fd = call(AZ_OP_OPEN(), "f", O_RDONLY, 0);
        assertEquals(0, call(AZ_OP_NEWFSTATAT(), fd, "", st, AT_EMPTY_PATH));
        assertEquals(77, g.getLong(st + LinuxLayouts.STAT_ST_SIZE));
        assertEquals(0, call(AZ_OP_NEWFSTATAT(), AT_FDCWD, "", st, AT_EMPTY_PATH), "the cwd itself");
        assertEquals(S_IFDIR, g.getInt(st + LinuxLayouts.STAT_MODE) & S_IFMT);
        assertEquals(-Errno.ENOENT, call(AZ_OP_NEWFSTATAT(), fd, "", st, 0), "empty path without AT_EMPTY_PATH");
        assertEquals(-Errno.EINVAL, call(AZ_OP_NEWFSTATAT(), AT_FDCWD, "f", st, 0x1));
        assertEquals(-Errno.ENOENT, call(AZ_OP_STAT(), "missing", st));
        assertEquals(-Errno.ENOTDIR, call(AZ_OP_STAT(), "f/x", st));
        assertEquals(0, call(AZ_OP_STAT(), "..", st), "the root's parent is the root");
        assertEquals(0, call(AZ_OP_STAT(), "/", st));
    }

    @Test
    void accessChecksModes() throws Exception {
        Files.writeString(root.resolve("f"), "x");
        assertEquals(0, call(AZ_OP_ACCESS(), "f", 0));
        assertEquals(0, call(AZ_OP_ACCESS(), "f", 4));
        assertEquals(-Errno.ENOENT, call(AZ_OP_ACCESS(), "missing", 0));
        assertEquals(-Errno.EINVAL, call(AZ_OP_ACCESS(), "f", 8));
        assertEquals(0, call(AZ_OP_FACCESSAT(), AT_FDCWD, "f", 0, AT_EACCESS));
        assertEquals(-Errno.EINVAL, call(AZ_OP_FACCESSAT(), AT_FDCWD, "f", 0, 0x1));
    }

    @Test
    void chmodChownUtimensat() throws Exception {
        Files.writeString(root.resolve("f"), "x");
        Files.createSymbolicLink(root.resolve("l"), Path.of("f"));
        assertEquals(0, call(AZ_OP_CHMOD(), "l", 0604), "chmod follows the symlink");
        assertEquals("rw----r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("f"))));
        assertEquals(0, call(AZ_OP_FCHMODAT(), AT_FDCWD, "f", 0600, 0));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("f"))));
        assertEquals(-Errno.EOPNOTSUPP, call(AZ_OP_FCHMODAT(), AT_FDCWD, "l", 0600, AT_SYMLINK_NOFOLLOW));
        assertEquals(0, call(AZ_OP_CHOWN(), "f", -1, -1));
        assertEquals(0, call(AZ_OP_LCHOWN(), "l", -1, -1));
        assertEquals(0, call(AZ_OP_FCHOWNAT(), AT_FDCWD, "f", -1, -1, 0));
        assertEquals(-Errno.EINVAL, call(AZ_OP_FCHOWNAT(), AT_FDCWD, "f", -1, -1, 0x2));

        long times = g.alloc(32);
        g.setLong(times, 1_000_000_000L); // atime
        g.setLong(times + 8, 0);
        g.setLong(times + 16, 1_500_000_000L); // mtime
        g.setLong(times + 24, 0);
        assertEquals(0, call(AZ_OP_UTIMENSAT(), AT_FDCWD, "l", times, 0));
        assertEquals(FileTime.fromMillis(1_500_000_000_000L), Files.getLastModifiedTime(root.resolve("f")));
        assertEquals(0, call(AZ_OP_UTIMENSAT(), AT_FDCWD, "l", times, AT_SYMLINK_NOFOLLOW));
        assertEquals(
                FileTime.fromMillis(1_500_000_000_000L),
                Files.getLastModifiedTime(root.resolve("l"), LinkOption.NOFOLLOW_LINKS));
        long fd = call(AZ_OP_OPEN(), "f", O_RDONLY, 0);
        g.setLong(times + 16, 1_600_000_000L);
        assertEquals(0, g.call(AZ_OP_UTIMENSAT(), fd, 0, times, 0), "NULL path: the fd itself");
        assertEquals(FileTime.fromMillis(1_600_000_000_000L), Files.getLastModifiedTime(root.resolve("f")));
        g.setLong(times + 8, 2_000_000_000L); // tv_nsec out of range
        assertEquals(-Errno.EINVAL, call(AZ_OP_UTIMENSAT(), AT_FDCWD, "f", times, 0));
        assertEquals(0, call(AZ_OP_UTIMENSAT(), AT_FDCWD, "f", 0, 0), "NULL times: now");
    }

    @Test
    void statfsOfAPath() {
        long buf = g.alloc(LinuxLayouts.STATFS_SIZE);
        assertEquals(0, call(AZ_OP_STATFS(), "/", buf));
        assertNotEquals(0, g.getLong(buf), "f_type");
        assertEquals(-Errno.ENOENT, call(AZ_OP_STATFS(), "missing", buf));
    }

    @Test
    void chdirFchdirAndGetcwd() throws Exception {
        Files.createDirectories(root.resolve("x/y"));
        Files.createSymbolicLink(root.resolve("ly"), Path.of("x/y"));
        long buf = g.alloc(256);
        assertEquals(2, call(AZ_OP_GETCWD(), buf, 256));
        assertEquals("/", g.cString(buf));
        assertEquals(0, call(AZ_OP_CHDIR(), "ly"));
        assertEquals(5, call(AZ_OP_GETCWD(), buf, 256), "canonical: the symlink resolved");
        assertEquals("/x/y", g.cString(buf));
        assertEquals(-Errno.ERANGE, call(AZ_OP_GETCWD(), buf, 4));
        assertEquals(0, call(AZ_OP_MKDIR(), "z", 0755), "relative to the new cwd");
        assertTrue(Files.isDirectory(root.resolve("x/y/z")));
        assertEquals(0, call(AZ_OP_CHDIR(), "../../.."));
        assertEquals("/", g.sys.cwd(), "'..' stops at the root");
        long dir = call(AZ_OP_OPEN(), "x", O_RDONLY | O_DIRECTORY, 0);
        assertEquals(0, call(AZ_OP_FCHDIR(), dir));
        assertEquals("/x", g.sys.cwd());
        Files.writeString(root.resolve("file"), "f");
        long file = call(AZ_OP_OPEN(), "/file", O_RDONLY, 0);
        assertEquals(-Errno.ENOTDIR, call(AZ_OP_FCHDIR(), file));
        assertEquals(-Errno.ENOTDIR, call(AZ_OP_CHDIR(), "/file"));
        assertEquals(-Errno.ENOENT, call(AZ_OP_CHDIR(), "nowhere"));
        assertEquals(-Errno.EBADF, call(AZ_OP_FCHDIR(), AT_FDCWD));
        assertEquals("/x", g.sys.cwd());
    }

    @Test
    void openWithPathAndTmpfile() throws Exception {
        Files.writeString(root.resolve("f"), "x");
        long p = call(AZ_OP_OPEN(), "f", O_PATH | O_RDWR | O_TRUNC, 0);
        assertTrue(p >= 0, "O_PATH ignores the other flags");
        assertEquals(1, Files.size(root.resolve("f")), "and does not truncate");
        long st = g.alloc(LinuxLayouts.STAT_SIZE);
        assertEquals(0, call(AZ_OP_FSTAT(), p, st));
        long tmp = call(AZ_OP_OPEN(), "/", O_TMPFILE | O_RDWR, 0600);
        assertTrue(tmp >= 0);
        assertEquals(3, call(AZ_OP_WRITE(), tmp, "abc", 3));
        assertEquals(0, call(AZ_OP_LINKAT(), tmp, "", AT_FDCWD, "named", AT_EMPTY_PATH));
        assertEquals("abc", Files.readString(root.resolve("named")));
    }
}
