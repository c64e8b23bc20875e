package org.azalea.service;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.function.IntConsumer;

/**
 * An instance's stdin on the service side: bytes arrive in STDIN frames from
 * the client and leave through {@link #read} to the instance's stdin pump.
 * {@link #offer} never blocks, so the connection's reader stays free to see a
 * kill; the client's window ({@link Protocol#STDIN_WINDOW}) bounds what can
 * be here, and a client that overruns it is refused.  Each read reports the
 * bytes it consumed, which go back to the client as credit.
 */
final class StdinBuffer extends InputStream {
    private final byte[] ring;
    private final IntConsumer consumed;
    private long head; // next byte to read
    private long tail; // next byte to write
    private boolean eof;

    StdinBuffer(int capacity, IntConsumer consumed) {
        this.ring = new byte[capacity];
        this.consumed = consumed;
    }

    /** Appends bytes; false (nothing appended) when they overrun the window or input already ended. */
    synchronized boolean offer(byte[] b) {
        if (eof || tail - head + b.length > ring.length) return false;
        for (byte x : b) ring[(int) (tail++ % ring.length)] = x;
        notifyAll();
        return true;
    }

    /** No more input: reads return EOF once the buffer is drained. */
    synchronized void end() {
        eof = true;
        notifyAll();
    }

    @Override
    public int read() throws InterruptedIOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Blocks until bytes or EOF; an interrupt (the pump being stopped) ends the read with an exception. */
    @Override
    public int read(byte[] b, int off, int len) throws InterruptedIOException {
        if (len == 0) return 0;
        int n;
        synchronized (this) {
            try {
                while (head == tail && !eof) wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("stdin read interrupted");
            }
            if (head == tail) return -1;
            n = (int) Math.min(len, tail - head);
            for (int i = 0; i < n; i++) b[off + i] = ring[(int) (head++ % ring.length)];
        }
        consumed.accept(n);
        return n;
    }

    @Override
    public synchronized int available() {
        return (int) (tail - head);
    }
}
