package org.azalea.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.azalea.host.Errno;
import org.azalea.host.LibcIo;
import org.azalea.host.LinuxLayouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guest fds 0, 1, 2 bound to Java streams, host files and the JVM's own fds. */
class StdioTest {
    @TempDir
    Path root;

    /** Records whether anyone closed it: the guest must not be able to. */
    static final class Recording extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }

        String text() {
            return toString(UTF_8);
        }
    }

    @Test
    void javaStreamsCarryTheGuestsStdio() throws Exception {
        Recording out = new Recording();
        Recording err = new Recording();
        byte[] input = "line one\nline two\n".getBytes(UTF_8);
        try (Guest g = new Guest(root, Stdio.of(new ByteArrayInputStream(input), out, err), "stdio")) {
            assertEquals(6, g.call(AZ_OP_WRITE(), 1, g.str("hello "), 6));
            assertEquals(5, g.call(AZ_OP_WRITEV(), 1, g.iovec(g.str("wor"), 3, g.str("ld"), 2), 2));
            assertEquals(4, g.call(AZ_OP_WRITE(), 2, g.str("oops"), 4));
            assertEquals("hello world", out.text());
            assertEquals("oops", err.text());

            long buf = g.alloc(64);
            long got = 0;
            for (long n; (n = g.call(AZ_OP_READ(), 0, buf + got, 64 - got)) > 0; ) got += n;
            assertEquals(0, g.call(AZ_OP_READ(), 0, buf, 64), "EOF after the stream's end");
            assertEquals("line one\nline two\n", g.string(buf, got));

            long st = g.alloc(LinuxLayouts.STAT_SIZE);
            assertEquals(0, g.call(AZ_OP_FSTAT(), 1, st));
            assertEquals(S_IFIFO, g.getInt(st + LinuxLayouts.STAT_MODE) & S_IFMT);
            assertEquals(-Errno.EBADF, g.call(AZ_OP_READ(), 1, buf, 4), "stdout is not readable");
            assertEquals(-Errno.ESPIPE, g.call(AZ_OP_LSEEK(), 1, 0, SEEK_SET));
            assertEquals(-Errno.ENOTTY, g.call(AZ_OP_IOCTL(), 1, TCGETS, g.alloc(64)), "not a terminal");

            long pfd = g.alloc(8);
            g.setInt(pfd, 1);
            g.setShort(pfd + 4, (short) (POLLOUT | POLLIN));
            assertEquals(1, g.call(AZ_OP_POLL(), pfd, 1, 0));
            assertEquals(POLLOUT, g.getShort(pfd + 6));

            assertEquals(0, g.call(AZ_OP_CLOSE(), 1));
            assertFalse(out.closed, "a guest close(1) never closes the caller's stream");
            assertEquals(-Errno.EBADF, g.call(AZ_OP_WRITE(), 1, g.str("x"), 1));
            assertEquals(1, g.call(AZ_OP_DUP(), 2), "stdout now goes to stderr's stream");
            assertEquals(1, g.call(AZ_OP_WRITE(), 1, g.str("!"), 1));
            assertEquals("oops!", err.text());
        }
        assertFalse(out.closed || err.closed, "nor does closing the instance");
    }

    @Test
    void aFailingStreamIsEio() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        try (Guest g = new Guest(root, Stdio.of(java.io.InputStream.nullInputStream(), broken, broken), "broken")) {
            assertEquals(-Errno.EIO, g.call(AZ_OP_WRITE(), 1, g.str("x"), 1));
            assertEquals(0, g.call(AZ_OP_NOP()));
        }
    }

    @Test
    void hostFilesAsStdio() throws Exception {
        Path in = Files.writeString(root.resolve("in.txt"), "from a file");
        Path out = root.resolve("out.txt");
        try (Stdio files = Stdio.files(in, out, out);
                Guest g = new Guest(root, files, "files")) {
            long buf = g.alloc(32);
            assertEquals(11, g.call(AZ_OP_READ(), 0, buf, 32));
            assertEquals("from a file", g.string(buf, 11));
            assertEquals(3, g.call(AZ_OP_WRITE(), 1, g.str("out"), 3));
            assertEquals(3, g.call(AZ_OP_WRITE(), 2, g.str("err"), 3));
            assertEquals(0, g.call(AZ_OP_CLOSE(), 1));
            assertEquals(1, g.call(AZ_OP_WRITE(), 2, g.str("!"), 1), "stderr's own dup survives close(1)");
        }
        assertEquals("outerr!", Files.readString(out));
    }

    @Test
    void inheritedFdsKeepTheJvmsFlags() throws Exception {
        long before = LibcIo.fcntl(1, F_GETFL, 0);
        try (Guest g = new Guest(root, Stdio.inherit(), "inherit")) {
            assertEquals(0, g.call(AZ_OP_FCNTL(), 1, F_SETFL, O_NONBLOCK));
            assertEquals(O_NONBLOCK, g.call(AZ_OP_FCNTL(), 1, F_GETFL) & O_NONBLOCK, "the guest sees its flag");
            assertEquals(before, LibcIo.fcntl(1, F_GETFL, 0), "the JVM's stdout is untouched");
            assertEquals(0, g.call(AZ_OP_WRITE(), 1, g.str(""), 0));
            assertEquals(0, g.call(AZ_OP_CLOSE(), 1));
        }
        assertTrue(LibcIo.fcntl(1, F_GETFL, 0) >= 0, "the JVM's fd 1 is still open");
    }
}
