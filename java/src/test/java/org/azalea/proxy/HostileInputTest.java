package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.azalea.host.Errno;
import org.azalea.host.LinuxLayouts;
import org.azalea.host.LinuxNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a buggy or malicious guest may send: each gets the right -errno, and the
 * dispatcher keeps serving afterwards ({@link #assertStillServing} after each test).
 */
class HostileInputTest {
    private static final long END = Guest.BASE + Guest.SIZE;

    @TempDir
    Path root;

    Guest g;
    long file;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(root.resolve("f"), "0123456789");
        g = new Guest(root);
        file = g.call(AZ_OP_OPEN(), g.str("f"), O_RDWR, 0);
        assertEquals(3, file);
    }

    @AfterEach
    void assertStillServing() throws Exception {
        assertEquals(0, g.call(AZ_OP_NOP()));
        long buf = g.alloc(16);
        assertEquals(4, g.call(AZ_OP_PREAD64(), file, buf, 4, 0));
        assertEquals("0123", g.string(buf, 4));
        assertEquals(2, g.call(AZ_OP_GETCWD(), buf, 16));
        g.close();
        assertTrue(Files.readString(root.resolve("f")).startsWith("0123456789"), "the file was not damaged");
    }

    @Test
    void unknownOpcodesAreEnosys() {
        for (int op : new int[] {AZ_OP__LAST(), AZ_OP__LAST() + 1, 1000, 0xFFFF, -1, Integer.MIN_VALUE}) {
            assertEquals(-Errno.ENOSYS, g.call(op, 1, 2, 3), "opcode " + op);
            assertEquals(-Errno.ENOSYS, g.call(op), "again, logged once");
            assertFalse(g.sys.mayBlock(Guest.req(op)));
        }
    }

    @Test
    void buffersOutsideThePartitionAreEfault() {
        long[] bad = {0, Guest.BASE - 1, END, END - 1, -1L, Long.MIN_VALUE, Guest.BASE - Guest.SIZE};
        for (long gpa : bad) {
            assertEquals(-Errno.EFAULT, g.call(AZ_OP_READ(), file, gpa, 2), "read into 0x" + Long.toHexString(gpa));
            assertEquals(-Errno.EFAULT, g.call(AZ_OP_WRITE(), file, gpa, 2));
            assertEquals(-Errno.EFAULT, g.call(AZ_OP_PREAD64(), file, gpa, 2, 0));
            assertEquals(-Errno.EFAULT, g.call(AZ_OP_FSTAT(), file, gpa));
            assertEquals(-Errno.EFAULT, g.call(AZ_OP_UNAME(), gpa));
            if (gpa != END - 1) {
                assertEquals(
                        -Errno.EFAULT, g.call(AZ_OP_OPEN(), gpa, O_RDONLY, 0), "path at 0x" + Long.toHexString(gpa));
            }
        }
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_OPEN(), END - 1, O_RDONLY, 0), "the last byte is a NUL: \"\"");
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_FSTAT(), file, END - LinuxLayouts.STAT_SIZE + 1), "straddles the end");
        assertEquals(0, g.call(AZ_OP_FSTAT(), file, END - LinuxLayouts.STAT_SIZE), "ends exactly at the end");
        assertEquals(0, g.call(AZ_OP_READ(), file, 0, 0), "zero bytes need no buffer, as in Linux");
    }

    @Test
    void lengthsNearTwoToTheSixtyFour() {
        long buf = g.alloc(64);
        for (long len : new long[] {-1L, -64L, Long.MIN_VALUE, Long.MAX_VALUE, Guest.SIZE + 1, END - buf + 1}) {
            assertEquals(-Errno.EFAULT, g.call(AZ_OP_READ(), file, buf, len), "length 0x" + Long.toHexString(len));
            assertEquals(-Errno.EFAULT, g.call(AZ_OP_WRITE(), file, buf, len));
            assertEquals(-Errno.EFAULT, g.call(AZ_OP_GETDENTS64(), file, buf, len));
        }
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_WRITE(), file, END - 16, 32), "offset plus length past the end");
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_WRITE(), file, buf + 16, -16L), "wraps to below the base");
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_READLINK(), g.str("f"), buf, -1L));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_READLINK(), g.str("f"), buf, 1L << 40));
    }

    @Test
    void hostileIovecs() {
        long a = g.alloc(8);
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_WRITEV(), file, g.iovec(a, 8), -1));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_WRITEV(), file, g.iovec(a, 8), AZ_IOV_MAX() + 1));
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_WRITEV(), file, END - 8, 1), "the array itself outside");
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_WRITEV(), file, g.iovec(a, 8, END, 8), 2));
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_READV(), file, g.iovec(a, 8, 0, 1), 2));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_WRITEV(), file, g.iovec(a, Long.MIN_VALUE), 1), "len > SSIZE_MAX");
        assertEquals(
                -Errno.EINVAL,
                g.call(AZ_OP_WRITEV(), file, g.iovec(a, Long.MAX_VALUE, a, 2), 2),
                "the total overflows");
        long many = g.alloc(16L * AZ_IOV_MAX());
        for (int i = 0; i < AZ_IOV_MAX(); i++) g.setLong(many + 16L * i, a);
        assertEquals(0, g.call(AZ_OP_WRITEV(), file, many, AZ_IOV_MAX()), "AZ_IOV_MAX empty iovecs are fine");
    }

    @Test
    void hostilePaths() {
        long noNul = END - 10;
        g.at(noNul, 10).fill((byte) 'a');
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_OPEN(), noNul, O_RDONLY, 0), "runs off the partition");
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_MKDIR(), noNul, 0755));
        String huge = "a".repeat(AZ_PATH_MAX());
        assertEquals(-Errno.ENAMETOOLONG, g.call(AZ_OP_OPEN(), g.str(huge), O_RDONLY, 0), "no NUL within PATH_MAX");
        assertEquals(-Errno.ENAMETOOLONG, g.call(AZ_OP_STAT(), g.str(huge + huge), g.alloc(144)));
        assertEquals(
                -Errno.ENAMETOOLONG,
                g.call(AZ_OP_OPEN(), g.str("b".repeat(300)), O_RDONLY, 0),
                "a component over NAME_MAX");
        String deep = "d/".repeat(2047) + "x"; // 4095 bytes: fits, but is deeper than PATH_MAX with the cwd
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_OPEN(), g.str(deep), O_RDONLY, 0));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_OPEN(), g.str(""), O_RDONLY, 0));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_SYMLINK(), g.str(""), g.str("l")));
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_SYMLINK(), noNul, g.str("l")), "target without NUL");
    }

    @Test
    void fdsThatAreNotOpenAreEbadf() {
        long buf = g.alloc(8);
        assertEquals(0, g.call(AZ_OP_CLOSE(), g.call(AZ_OP_DUP(), file)));
        for (long fd :
                new long[] {4, 500, 1023, 1024, -1, -100, Integer.MAX_VALUE, 1L << 40, Long.MIN_VALUE, 3L + (1L << 32)
                }) {
            assertEquals(-Errno.EBADF, g.call(AZ_OP_READ(), fd, buf, 1), "fd " + fd);
            assertEquals(-Errno.EBADF, g.call(AZ_OP_CLOSE(), fd));
            assertEquals(-Errno.EBADF, g.call(AZ_OP_FSTAT(), fd, g.alloc(144)));
            assertEquals(-Errno.EBADF, g.call(AZ_OP_FCNTL(), fd, F_GETFL));
            assertEquals(-Errno.EBADF, g.call(AZ_OP_DUP(), fd));
            assertEquals(-Errno.EBADF, g.call(AZ_OP_DUP2(), file, fd < 0 || fd >= 1024 ? fd : 1 << 20));
            assertFalse(g.sys.mayBlock(Guest.req(AZ_OP_READ(), fd, buf, 1)));
        }
    }

    @Test
    void anotherInstancesFdsAreNotReachable() throws Exception {
        Path otherRoot = Files.createTempDirectory(root.getParent(), "other");
        Files.writeString(otherRoot.resolve("mine"), "other's");
        try (Guest other = new Guest(otherRoot)) {
            long buf = other.alloc(16);
            assertEquals(-Errno.EBADF, other.call(AZ_OP_READ(), file, buf, 4), "g's fd 3 is not other's");
            long own = other.call(AZ_OP_OPEN(), other.str("mine"), O_RDONLY, 0);
            assertEquals(file, own, "the same number, a different file");
            assertEquals(7, other.call(AZ_OP_READ(), own, buf, 16));
            assertEquals("other's", other.string(buf, 7));
            assertEquals(0, other.call(AZ_OP_CLOSE(), own));
            assertEquals(-Errno.EBADF, other.call(AZ_OP_CLOSE(), own));
        }
    }

    @Test
    void pollWithHostileArguments() {
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_POLL(), g.alloc(8), AZ_POLL_MAX() + 1, 0));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_POLL(), g.alloc(8), -1, 0));
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_POLL(), END - 8, 2, 0));
        long fds = g.alloc(24);
        g.setInt(fds, 900); // never opened
        g.setShort(fds + 4, POLLIN);
        g.setInt(fds + 8, -5); // negative: ignored
        g.setShort(fds + 12, POLLIN);
        g.setInt(fds + 16, (int) file);
        g.setShort(fds + 20, POLLIN);
        assertEquals(2, g.call(AZ_OP_POLL(), fds, 3, 1000));
        assertEquals(POLLNVAL, g.getShort(fds + 6));
        assertEquals(0, g.getShort(fds + 14));
        assertEquals(POLLIN, g.getShort(fds + 22));
        long ts = g.alloc(16);
        g.setLong(ts + 8, 1_000_000_000L);
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_PPOLL(), fds, 3, ts, 0, 8), "tv_nsec out of range");
    }

    @Test
    void hostileSocketArguments() {
        long s = g.call(AZ_OP_SOCKET(), LinuxNet.AF_INET, LinuxNet.SOCK_STREAM, 0);
        assertTrue(s >= 0);
        long addr = g.sockaddrIn(new byte[] {127, 0, 0, 1}, 0);
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_BIND(), s, addr, 129));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_BIND(), s, addr, -1));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_BIND(), s, addr, 1));
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_BIND(), s, END - 4, 16));
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_GETSOCKNAME(), s, g.alloc(16), END));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_GETSOCKNAME(), s, g.alloc(16), g.intCell(-1)));
        assertEquals(
                -Errno.ENOPROTOOPT,
                g.call(AZ_OP_SETSOCKOPT(), s, LinuxNet.SOL_SOCKET, 25 /* SO_BINDTODEVICE */, g.str("lo"), 3));
        assertEquals(
                -Errno.ENOPROTOOPT,
                g.call(AZ_OP_GETSOCKOPT(), s, LinuxNet.SOL_SOCKET, 17 /* SO_PEERCRED */, g.alloc(12), g.intCell(12)));
        assertEquals(
                -Errno.EINVAL,
                g.call(AZ_OP_SETSOCKOPT(), s, LinuxNet.SOL_SOCKET, LinuxNet.SO_REUSEADDR, g.intCell(1), -1L));
        assertEquals(
                -Errno.EINVAL,
                g.call(AZ_OP_SETSOCKOPT(), s, LinuxNet.SOL_SOCKET, LinuxNet.SO_REUSEADDR, g.intCell(1), 1L << 33));
        assertEquals(
                -Errno.EINVAL,
                g.call(AZ_OP_GETSOCKOPT(), s, LinuxNet.SOL_SOCKET, LinuxNet.SO_TYPE, g.alloc(4), g.intCell(-4)));
        long msg = g.alloc(LinuxLayouts.MSGHDR.byteSize());
        g.setLong(msg + LinuxLayouts.MSG_CONTROL, g.alloc(64));
        g.setLong(msg + LinuxLayouts.MSG_CONTROLLEN, 64);
        assertEquals(-Errno.EOPNOTSUPP, g.call(AZ_OP_SENDMSG(), s, msg, 0), "ancillary data");
        assertEquals(-Errno.EOPNOTSUPP, g.call(AZ_OP_SENDTO(), s, g.alloc(1), 1, 0x4000_0000, 0, 0));
        assertEquals(-Errno.EPERM, g.call(AZ_OP_SOCKET(), LinuxNet.AF_INET, 3 /* SOCK_RAW */, 0));
        assertEquals(-Errno.EAFNOSUPPORT, g.call(AZ_OP_SOCKET(), 17 /* AF_PACKET */, LinuxNet.SOCK_DGRAM, 0));
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_SOCKET(), LinuxNet.AF_INET, LinuxNet.SOCK_STREAM | 0x100, 0));
        assertEquals(-Errno.ENOTSOCK, g.call(AZ_OP_LISTEN(), file, 1));
        assertEquals(-Errno.ENOTSOCK, g.call(AZ_OP_SENDTO(), 1, g.alloc(1), 1, 0, 0, 0), "stdout is a Java stream");
    }

    @Test
    void theGuestRewritingItsIovecsWhileServedNeverEscapes() throws Exception {
        long log = g.call(AZ_OP_OPEN(), g.str("log"), O_CREAT | O_WRONLY | O_APPEND, 0600);
        long data = g.str("XY");
        long iov = g.iovec(data, 2);
        AtomicBoolean stop = new AtomicBoolean();
        Thread flipper = new Thread(() -> {
            // The guest flips the entry between a valid buffer and addresses/lengths outside its partition.
            long[] bases = {data, END - 1, 0, Guest.BASE - 2};
            long[] lens = {2, 2, -1L, 1L << 62};
            for (int i = 0; !stop.get(); i++) {
                g.at(iov, 16).set(ValueLayout.JAVA_LONG, 0, bases[i & 3]);
                g.at(iov, 16).set(ValueLayout.JAVA_LONG, 8, lens[(i >> 2) & 3]);
            }
        });
        flipper.start();
        int written = 0;
        try {
            for (int i = 0; i < 20_000; i++) {
                long r = g.call(AZ_OP_WRITEV(), log, iov, 1);
                assertTrue(r == 2 || r == -Errno.EFAULT || r == -Errno.EINVAL, "result " + r);
                if (r == 2) written++;
            }
        } finally {
            stop.set(true);
            flipper.join();
        }
        String content = Files.readString(root.resolve("log"));
        assertEquals(2L * written, content.length());
        assertTrue(content.matches("(XY)*"), "only the guest's own bytes were written");
        assertTrue(written > 0);
    }
}
