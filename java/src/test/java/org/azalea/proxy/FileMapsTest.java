package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.azalea.host.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host side of file mappings (AZ_OP_FMAP_*): mmap's fd checks, a handle that outlives close, write-back. */
class FileMapsTest {
    @TempDir
    Path root;

    private Guest g;

    @BeforeEach
    void setUp() throws Exception {
        g = new Guest(root);
    }

    @AfterEach
    void tearDown() {
        g.close();
    }

    private long open(String path, int flags) {
        return g.call(AZ_OP_OPEN(), g.str(path), flags, 0644);
    }

    @Test
    void handleOutlivesTheFdAndWritesOnlyBelowTheFileSize() throws Exception {
        Files.writeString(root.resolve("f"), "0123456789");
        long fd = open("f", O_RDWR);
        long out = g.alloc(32);
        long h = g.call(AZ_OP_FMAP_OPEN(), fd, 1, out);
        assertTrue(h >= 0, "handle " + h);
        assertEquals(10, g.getLong(out + 16), "st_size");
        assertEquals(1, g.getLong(out + 24), "writable");
        assertEquals(Files.getAttribute(root.resolve("f"), "unix:ino"), g.getLong(out + 8), "st_ino");
        assertEquals(0, g.call(AZ_OP_CLOSE(), fd));

        long buf = g.alloc(4096);
        assertEquals(10, g.call(AZ_OP_FMAP_READ(), h, buf, 4096, 0), "reads to the end of the file");
        assertEquals("0123456789", g.string(buf, 10));
        g.at(buf, 4096).fill((byte) 'x');
        g.setLong(buf + 100, 'y');
        long runs = g.iovec(buf, 1, 1, buf + 4, 4096, 4, buf + 100, 1, 2, buf, 16, 10);
        assertEquals(1 + 6 + 1, g.call(AZ_OP_FMAP_WRITE(), h, runs, 4), "never past the end");
        assertEquals("0xy3xxxxxx", Files.readString(root.resolve("f"), StandardCharsets.UTF_8));
        assertEquals(0, g.call(AZ_OP_FMAP_WRITE(), h, runs + 72, 1), "at the end: nothing");
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_FMAP_WRITE(), h, runs, 65), "too many runs");
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_FMAP_WRITE(), h, 16, 1), "runs outside the partition");
        assertEquals(0, g.call(AZ_OP_FMAP_SYNC(), h));
        assertEquals(1, g.sys.openMapHandles());
        assertEquals(0, g.call(AZ_OP_FMAP_CLOSE(), h));
        assertEquals(0, g.sys.openMapHandles());
        assertEquals(-Errno.EBADF, g.call(AZ_OP_FMAP_READ(), h, buf, 1, 0), "closed handle");
        assertEquals(-Errno.EBADF, g.call(AZ_OP_FMAP_CLOSE(), h));
    }

    @Test
    void fdsMmapWouldRefuse() throws Exception {
        Files.writeString(root.resolve("f"), "data");
        long out = g.alloc(32);
        long ro = open("f", O_RDONLY), wo = open("f", O_WRONLY), app = open("f", O_RDWR | O_APPEND);
        assertEquals(-Errno.EACCES, g.call(AZ_OP_FMAP_OPEN(), ro, 1, out), "shared writable on O_RDONLY");
        long h = g.call(AZ_OP_FMAP_OPEN(), ro, 0, out);
        assertTrue(h >= 0, "read-only is fine");
        assertEquals(0, g.getLong(out + 24), "not writable");
        assertEquals(-Errno.EACCES, g.call(AZ_OP_FMAP_OPEN(), wo, 0, out), "O_WRONLY");
        assertEquals(-Errno.EACCES, g.call(AZ_OP_FMAP_OPEN(), app, 1, out), "O_APPEND");
        assertEquals(-Errno.EBADF, g.call(AZ_OP_FMAP_OPEN(), 77, 0, out));
        long dir = open(".", O_RDONLY | O_DIRECTORY);
        assertEquals(-Errno.ENODEV, g.call(AZ_OP_FMAP_OPEN(), dir, 0, out), "a directory");
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_FMAP_OPEN(), ro, 0, 16), "out outside the partition");
        assertEquals(-Errno.EBADF, g.call(AZ_OP_FMAP_READ(), 9999, out, 1, 0), "a handle never opened");
        assertEquals(-Errno.EBADF, g.call(AZ_OP_FMAP_READ(), -1, out, 1, 0));
        assertEquals(1, g.sys.openMapHandles(), "failures keep nothing");
        g.sys.close();
        assertEquals(0, g.sys.openMapHandles(), "the instance's end closes them");
    }
}
