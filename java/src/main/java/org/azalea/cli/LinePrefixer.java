package org.azalea.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Output of several instances on one terminal: each complete line written
 * here appears as "name | line", whole (lines of different instances never
 * mix), as docker compose shows its services.
 */
final class LinePrefixer extends OutputStream {
    private static final int MAX_LINE = 64 * 1024;
    private final PrintStream target;
    private final String prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LinePrefixer(PrintStream target, String name, int width) {
        this.target = target;
        this.prefix = String.format("%-" + width + "s | ", name);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else {
            line.write(b);
            if (line.size() >= MAX_LINE) emit(); // a program that never ends its line cannot grow us without bound
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) write(b[off + i]);
    }

    /** Partial lines wait for their newline (a program writes a line in pieces); see {@link #close}. */
    @Override
    public synchronized void flush() {}

    /** Writes a last line that has no newline. */
    @Override
    public synchronized void close() {
        if (line.size() > 0) emit();
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        synchronized (target) {
            target.println(prefix + text);
            target.flush();
        }
    }
}
