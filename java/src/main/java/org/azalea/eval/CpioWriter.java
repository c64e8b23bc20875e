package org.azalea.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes a cpio archive in the "newc" format, the one Linux unpacks as an
 * initramfs (Documentation/driver-api/early-userspace/buffer-format.rst): per
 * entry a 110-byte ASCII header ("070701" and 13 eight-digit hex fields), the
 * name with its NUL, padding to 4 bytes, the data, padding to 4 bytes; the
 * archive ends with the entry "TRAILER!!!".  No cpio tool is installed here,
 * and this much is simpler than depending on one.
 */
public final class CpioWriter implements AutoCloseable {
    public static final int DIRECTORY = 0040000, REGULAR = 0100000, CHAR_DEVICE = 0020000;

    private final OutputStream out;
    private final Set<String> names = new HashSet<>();
    private long written;
    private int inode = 1;
    private boolean finished;

    public CpioWriter(OutputStream out) {
        this.out = out;
    }

    /** A directory; {@code name} is relative ("eval/bin"), parents first. */
    public void directory(String name, int permissions) throws IOException {
        entry(name, DIRECTORY | permissions, 2, 0, 0, new byte[0]);
    }

    public void file(String name, int permissions, byte[] data) throws IOException {
        entry(name, REGULAR | permissions, 1, 0, 0, data);
    }

    /** A character device node, e.g. console (5, 1): the kernel opens it for init before any /dev is mounted. */
    public void charDevice(String name, int permissions, int major, int minor) throws IOException {
        entry(name, CHAR_DEVICE | permissions, 1, major, minor, new byte[0]);
    }

    /** Writes the trailer; the archive is complete. */
    public void finish() throws IOException {
        if (finished) return;
        header("TRAILER!!!", 0, 0, 1, 0, 0, 0);
        finished = true;
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    private void entry(String name, int mode, int links, int rdevMajor, int rdevMinor, byte[] data) throws IOException {
        if (finished) throw new IllegalStateException("the archive is finished");
        if (name.isEmpty() || name.startsWith("/") || name.contains("\0") || name.equals("TRAILER!!!"))
            throw new IllegalArgumentException("bad entry name '" + name + "'");
        if (!names.add(name)) throw new IllegalArgumentException("'" + name + "' is in the archive twice");
        header(name, inode++, mode, links, rdevMajor, rdevMinor, data.length);
        out.write(data);
        written += data.length;
        pad();
    }

    private void header(String name, int ino, int mode, int links, int rdevMajor, int rdevMinor, long size)
            throws IOException {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        long[] fields = {ino, mode, 0, 0, links, 0, size, 0, 0, rdevMajor, rdevMinor, n.length, 0};
        for (long f : fields) h.append(String.format("%08x", f));
        byte[] hb = h.toString().getBytes(StandardCharsets.US_ASCII);
        out.write(hb);
        out.write(n);
        written += hb.length + n.length;
        pad();
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }
}
