package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.azalea.host.Errno;
import org.azalea.host.LinuxLayouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-descriptor calls on real files in a temporary root. */
class FileCallsTest {
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

    private long open(String path, int flags, int mode) {
        return g.call(AZ_OP_OPEN(), g.str(path), flags, mode);
    }

    @Test
    void writeThenReadBackThroughGuestMemory() throws Exception {
        long fd = open("hello.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
        assertEquals(3, fd, "lowest free fd after stdio");
        long data = g.str("hello, azalea");
        assertEquals(13, g.call(AZ_OP_WRITE(), fd, data, 13));
        assertEquals("hello, azalea", Files.readString(root.resolve("hello.txt")));

        assertEquals(0, g.call(AZ_OP_LSEEK(), fd, 0, SEEK_SET));
        long buf = g.alloc(64);
        assertEquals(13, g.call(AZ_OP_READ(), fd, buf, 64));
        assertEquals("hello, azalea", g.string(buf, 13));
        assertEquals(0, g.call(AZ_OP_READ(), fd, buf, 64), "EOF");
        assertEquals(0, g.call(AZ_OP_CLOSE(), fd));
        assertEquals(-Errno.EBADF, g.call(AZ_OP_READ(), fd, buf, 64), "closed");
    }

    @Test
    void preadAndPwriteUseTheOffsetNotThePosition() throws Exception {
        Files.writeString(root.resolve("f"), "0123456789");
        long fd = open("f", O_RDWR, 0);
        long buf = g.alloc(16);
        assertEquals(4, g.call(AZ_OP_PREAD64(), fd, buf, 4, 3));
        assertEquals("3456", g.string(buf, 4));
        assertEquals(2, g.call(AZ_OP_PWRITE64(), fd, g.str("ab"), 2, 8));
        assertEquals("01234567ab", Files.readString(root.resolve("f")));
        assertEquals(0, g.call(AZ_OP_LSEEK(), fd, 0, 1 /* SEEK_CUR */), "position untouched");
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_PREAD64(), fd, buf, 4, -1));
    }

    @Test
    void readvAndWritevScatterAndGather() throws Exception {
        long fd = open("v", O_CREAT | O_RDWR, 0600);
        long a = g.str("abc");
        long b = g.str("defgh");
        assertEquals(8, g.call(AZ_OP_WRITEV(), fd, g.iovec(a, 3, b, 5), 2));
        assertEquals("abcdefgh", Files.readString(root.resolve("v")));
        g.call(AZ_OP_LSEEK(), fd, 0, SEEK_SET);
        long x = g.alloc(2);
        long y = g.alloc(10);
        assertEquals(8, g.call(AZ_OP_READV(), fd, g.iovec(x, 2, 0, 0, y, 10), 3));
        assertEquals("ab", g.string(x, 2));
        assertEquals("cdefgh", g.string(y, 6));
        assertEquals(0, g.call(AZ_OP_WRITEV(), fd, 0, 0), "no iovecs");
    }

    @Test
    void fstatWritesStructStatInPlace() throws Exception {
        Files.write(root.resolve("s"), new byte[1234]);
        long fd = open("s", O_RDONLY, 0);
        long st = g.alloc(LinuxLayouts.STAT_SIZE);
        assertEquals(0, g.call(AZ_OP_FSTAT(), fd, st));
        assertEquals(S_IFREG, g.getInt(st + LinuxLayouts.STAT_MODE) & S_IFMT);
        assertEquals(1234, g.getLong(st + LinuxLayouts.STAT_ST_SIZE));
    }

    @Test
    void getdents64ListsTheDirectory() throws Exception {
        Files.createFile(root.resolve("one"));
        Files.createDirectory(root.resolve("two"));
        long fd = open(".", O_RDONLY | O_DIRECTORY, 0);
        long buf = g.alloc(4096);
        long n = g.call(AZ_OP_GETDENTS64(), fd, buf, 4096);
        assertTrue(n > 0);
        Set<String> names = new HashSet<>();
        for (long off = 0; off < n; ) {
            // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
            int reclen = Short.toUnsignedInt(g.getShort(buf + off + 16));
            names.add(g.cString(buf + off + 19));
            off += reclen;
        }
        assertEquals(Set.of(".", "..", "one", "two"), names);
        assertEquals(0, g.call(AZ_OP_GETDENTS64(), fd, buf, 4096), "end of directory");
        long file = open("one", O_RDONLY, 0);
        assertEquals(-Errno.ENOTDIR, g.call(AZ_OP_GETDENTS64(), file, buf, 4096));
    }

    @Test
    void ftruncateFsyncAndTruncate() throws Exception {
        Files.writeString(root.resolve("t"), "0123456789");
        long fd = open("t", O_RDWR, 0);
        assertEquals(0, g.call(AZ_OP_FTRUNCATE(), fd, 4));
        assertEquals(0, g.call(AZ_OP_FSYNC(), fd));
        assertEquals(0, g.call(AZ_OP_FDATASYNC(), fd));
        assertEquals("0123", Files.readString(root.resolve("t")));
        assertEquals(0, g.call(AZ_OP_TRUNCATE(), g.str("/t"), 2));
        assertEquals("01", Files.readString(root.resolve("t")));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_FTRUNCATE(), fd, -1));
        assertEquals(0, g.call(AZ_OP_SYNC()));
    }

    @Test
    void creatTruncatesAndOpenHonoursFlags() throws Exception {
        Files.writeString(root.resolve("c"), "old contents");
        long fd = g.call(AZ_OP_CREAT(), g.str("c"), 0600);
        assertTrue(fd >= 3);
        assertEquals(0, Files.size(root.resolve("c")));
        assertEquals(-Errno.EEXIST, open("c", O_CREAT | O_EXCL | O_WRONLY, 0600));
        assertEquals(-Errno.ENOENT, open("missing", O_RDONLY, 0));
        assertEquals(-Errno.EISDIR, open(".", O_WRONLY, 0));
        assertEquals(-Errno.EBADF, g.call(AZ_OP_READ(), fd, g.alloc(4), 4), "opened write-only");
    }

    @Test
    void umaskAppliesToCreatedFiles() throws Exception {
        assertEquals(022, g.call(AZ_OP_UMASK(), 077));
        long fd = open("private", O_CREAT | O_WRONLY, 0666);
        assertTrue(fd >= 0);
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("private"))));
        assertEquals(077, g.call(AZ_OP_UMASK(), 022));
    }

    @Test
    void dupSharesTheOffsetAndTakesTheLowestFreeNumber() throws Exception {
        Files.writeString(root.resolve("d"), "abcdef");
        long fd = open("d", O_RDONLY, 0);
        long copy = g.call(AZ_OP_DUP(), fd);
        assertEquals(fd + 1, copy);
        long buf = g.alloc(8);
        assertEquals(2, g.call(AZ_OP_READ(), fd, buf, 2));
        assertEquals(2, g.call(AZ_OP_READ(), copy, buf, 2));
        assertEquals("cd", g.string(buf, 2), "one open file description: one offset");

        assertEquals(10, g.call(AZ_OP_DUP2(), fd, 10));
        assertEquals(fd, g.call(AZ_OP_DUP2(), fd, fd), "dup2 onto itself is a no-op");
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_DUP3(), fd, fd, 0));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_DUP3(), fd, 11, 1));
        assertEquals(11, g.call(AZ_OP_DUP3(), fd, 11, O_CLOEXEC));
        assertEquals(FD_CLOEXEC, g.call(AZ_OP_FCNTL(), 11, F_GETFD));
        assertEquals(0, g.call(AZ_OP_FCNTL(), 10, F_GETFD));
        assertEquals(-Errno.EBADF, g.call(AZ_OP_DUP2(), fd, 100_000));

        assertEquals(0, g.call(AZ_OP_CLOSE(), fd));
        assertEquals(fd, g.call(AZ_OP_DUP(), copy), "the freed number is reused");
        assertEquals(20, g.call(AZ_OP_FCNTL(), copy, F_DUPFD, 20));
        assertEquals(21, g.call(AZ_OP_FCNTL(), copy, F_DUPFD_CLOEXEC, 20));
        assertEquals(FD_CLOEXEC, g.call(AZ_OP_FCNTL(), 21, F_GETFD));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_FCNTL(), copy, F_DUPFD, -1));
    }

    @Test
    void fcntlFlagsReportTheGuestsNonBlockingNotTheHosts() {
        long fd = open("n", O_CREAT | O_RDWR | O_APPEND, 0600);
        long flags = g.call(AZ_OP_FCNTL(), fd, F_GETFL);
        assertEquals(O_RDWR, flags & O_ACCMODE);
        assertEquals(O_APPEND, flags & O_APPEND);
        assertEquals(0, flags & O_NONBLOCK, "the host fd is non-blocking; the guest did not ask");
        assertEquals(0, g.call(AZ_OP_FCNTL(), fd, F_SETFL, O_NONBLOCK));
        assertEquals(O_NONBLOCK, g.call(AZ_OP_FCNTL(), fd, F_GETFL) & (O_NONBLOCK | O_APPEND));
        assertEquals(0, g.call(AZ_OP_FCNTL(), fd, F_SETFD, FD_CLOEXEC));
        assertEquals(FD_CLOEXEC, g.call(AZ_OP_FCNTL(), fd, F_GETFD));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_FCNTL(), fd, 9999));
    }

    @Test
    void byteRangeLocksConflictBetweenInstances() throws Exception {
        try (Guest other = new Guest(root)) {
            long a = open("lock", O_CREAT | O_RDWR, 0600);
            long b = other.call(AZ_OP_OPEN(), other.str("lock"), O_RDWR, 0);
            long lockA = flock(g, F_WRLCK, 0, 10);
            assertEquals(0, g.call(AZ_OP_FCNTL(), a, F_SETLK, lockA));
            long lockB = flock(other, F_WRLCK, 5, 10);
            assertEquals(-Errno.EAGAIN, other.call(AZ_OP_FCNTL(), b, F_SETLK, lockB));
            assertEquals(0, other.call(AZ_OP_FCNTL(), b, F_GETLK, lockB));
            assertEquals(F_WRLCK, other.getShort(lockB), "the conflicting lock is reported");
            assertEquals(0, other.call(AZ_OP_FCNTL(), b, F_SETLK, flock(other, F_WRLCK, 20, 5)), "disjoint range");
            assertEquals(0, g.call(AZ_OP_FCNTL(), a, F_SETLK, flock(g, F_UNLCK, 0, 10)));
            assertEquals(0, other.call(AZ_OP_FCNTL(), b, F_SETLKW, flock(other, F_WRLCK, 5, 10)));
        }
    }

    /** A struct flock in {@code guest}'s memory. */
    static long flock(Guest guest, int type, long start, long len) {
        long gpa = guest.alloc(LinuxLayouts.FLOCK.byteSize());
        guest.setShort(gpa + LinuxLayouts.FLOCK_TYPE, (short) type);
        guest.setLong(gpa + LinuxLayouts.FLOCK_START, start);
        guest.setLong(gpa + LinuxLayouts.FLOCK_LEN, len);
        guest.setInt(gpa + LinuxLayouts.FLOCK_PID, 12345); // ignored: OFD locks take 0
        return gpa;
    }

    @Test
    void sendfileCopiesBetweenFilesAndUpdatesTheOffset() throws Exception {
        Files.writeString(root.resolve("src"), "0123456789");
        long in = open("src", O_RDONLY, 0);
        long out = open("dst", O_CREAT | O_WRONLY, 0600);
        long off = g.alloc(8);
        g.setLong(off, 2);
        assertEquals(5, g.call(AZ_OP_SENDFILE(), out, in, off, 5));
        assertEquals(7, g.getLong(off));
        assertEquals("23456", Files.readString(root.resolve("dst")));
        assertEquals(3, g.call(AZ_OP_SENDFILE(), out, in, 0, 3), "no offset: the file position");
        assertEquals("23456012", Files.readString(root.resolve("dst")));
    }

    @Test
    void ioctlOffersOnlyPlainDataRequests() throws Exception {
        Files.writeString(root.resolve("i"), "12345");
        long fd = open("i", O_RDONLY, 0);
        long n = g.intCell(-1);
        assertEquals(0, g.call(AZ_OP_IOCTL(), fd, FIONREAD, n));
        assertEquals(5, g.getInt(n));
        assertEquals(-Errno.ENOTTY, g.call(AZ_OP_IOCTL(), fd, TCGETS, g.alloc(64)), "a file is no terminal");
        assertEquals(0, g.call(AZ_OP_IOCTL(), fd, FIOCLEX, 0));
        assertEquals(FD_CLOEXEC, g.call(AZ_OP_FCNTL(), fd, F_GETFD));
        assertEquals(0, g.call(AZ_OP_IOCTL(), fd, FIONCLEX, 0));
        assertEquals(0, g.call(AZ_OP_FCNTL(), fd, F_GETFD));
        assertEquals(0, g.call(AZ_OP_IOCTL(), fd, FIONBIO, g.intCell(1)));
        assertEquals(O_NONBLOCK, g.call(AZ_OP_FCNTL(), fd, F_GETFL) & O_NONBLOCK);
        assertEquals(-Errno.ENOTTY, g.call(AZ_OP_IOCTL(), fd, 0x5412 /* TIOCSTI: a pointer game */, g.alloc(8)));
    }

    @Test
    void fchmodFchownFstatfs() throws Exception {
        long fd = open("m", O_CREAT | O_RDWR, 0600);
        assertEquals(0, g.call(AZ_OP_FCHMOD(), fd, 0640));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("m"))));
        assertEquals(0, g.call(AZ_OP_FCHOWN(), fd, -1, -1), "no change is always allowed");
        long sfs = g.alloc(LinuxLayouts.STATFS_SIZE);
        assertEquals(0, g.call(AZ_OP_FSTATFS(), fd, sfs));
        assertNotEquals(0, g.getLong(sfs), "f_type");
    }
}
