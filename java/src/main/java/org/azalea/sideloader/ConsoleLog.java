package org.azalea.sideloader;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The last bytes an instance wrote to stdout and stderr, for `azalea logs`:
 * a bounded ring, so a chatty program cannot grow the full-weight kernel.
 */
final class ConsoleLog extends OutputStream {
    private final byte[] ring;
    private long written;

    ConsoleLog(int capacity) {
        ring = new byte[capacity];
    }

    @Override
    public synchronized void write(int b) {
        ring[(int) (written++ % ring.length)] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) ring[(int) (written++ % ring.length)] = b[off + i];
    }

    /** What is kept, oldest first. */
    public synchronized byte[] bytes() {
        int n = (int) Math.min(written, ring.length);
        byte[] out = new byte[n];
        int start = (int) ((written - n) % ring.length);
        for (int i = 0; i < n; i++) out[i] = ring[(start + i) % ring.length];
        return out;
    }

    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    public synchronized long totalWritten() {
        return written;
    }
}
