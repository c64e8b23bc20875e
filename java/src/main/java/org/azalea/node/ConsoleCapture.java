package org.azalea.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the node's serial console (QEMU's stdout: {@code -serial stdio}) into
 * node.log, at most {@code cap} bytes of it: a program writing to the console
 * without end, or a hostile instance kernel, cannot fill the host's disk.
 * Everything below the cap is kept, in order; past it one note line says so,
 * and the rest is read and dropped, so QEMU never waits on a full pipe (a
 * vCPU writing the serial port would stall behind it).  The thread does
 * nothing but read the pipe and append to the file: nothing it waits on
 * depends on the guest.
 */
final class ConsoleCapture implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleCapture.class);
    private static final int CHUNK = 64 * 1024;

    private final InputStream from;
    private final Path file;
    private final long cap;
    private final OutputStream to;
    private final Thread thread;
    private volatile long kept;
    private volatile long dropped;

    private ConsoleCapture(InputStream from, Path file, long cap) throws IOException {
        if (cap < 0) throw new IllegalArgumentException("console cap " + cap);
        this.from = from;
        this.file = file;
        this.cap = cap;
        this.to = Files.newOutputStream(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        this.thread = Thread.ofPlatform().daemon().name("azalea-console").unstarted(this::copy);
    }

    /** Starts copying {@code from} (until its end) into {@code file}, created or truncated. */
    static ConsoleCapture start(InputStream from, Path file, long cap) throws IOException {
        ConsoleCapture c = new ConsoleCapture(from, file, cap);
        c.thread.start();
        return c;
    }

    /** The note written once the cap is reached (after the last kept byte). */
    static String note(long cap) {
        return "\n[azalea] node console capped at " + cap + " bytes: later output of this boot is dropped\n";
    }

    private void copy() {
        byte[] buf = new byte[CHUNK];
        try (to) {
            for (int n; (n = from.read(buf)) >= 0; ) {
                long room = cap - kept;
                int keep = (int) Math.max(0, Math.min(n, room));
                if (keep > 0) {
                    to.write(buf, 0, keep);
                    kept += keep;
                }
                if (keep < n) {
                    if (dropped == 0) {
                        to.write(note(cap).getBytes(StandardCharsets.UTF_8));
                        log.warn("node console reached its cap of {} bytes: later output is dropped ({})", cap, file);
                    }
                    dropped += n - keep;
                }
            }
        } catch (IOException e) {
            // QEMU gone (the pipe closed under the read) or the log unwritable: nothing more to keep.
            log.debug("node console capture stopped: {}", e.toString());
        }
    }

    /** Bytes of console kept in the file (the note excluded). */
    long kept() {
        return kept;
    }

    /** Bytes read past the cap and dropped. */
    long dropped() {
        return dropped;
    }

    /** Waits briefly for the copy to reach the end of the console (QEMU has exited or is being killed). */
    @Override
    public void close() {
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
