package org.azalea.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azalea.host.ErrnoException;
import org.azalea.memory.Partition;

/**
 * The host end of {@code offload_bench}'s ping-pong, the floor of the guest's
 * round trip: a program's output stream that watches for the line
 * {@code pingpong_word ADDR COOKIE}, then a thread that spins on that word of
 * the instance's memory and answers each odd value with the next one, as the
 * C ping-pong's host threads do.  The address is guest input: it goes through
 * the partition's checked slice, and the thread answers only if the cookie is
 * there (the program's anonymous memory is identity-mapped, so its address is
 * guest-physical; if it were not, no ping-pong, not a wrong figure).
 */
final class GuestPingPong extends OutputStream {
    private static final Pattern LINE = Pattern.compile("pingpong_word 0x([0-9a-f]+) 0x([0-9a-f]+)");
    private static final long ACK = 0x5a5a5a5a5a5a5a5aL;
    private static final long END = -1L;
    private static final long IDLE_NANOS = 50_000;
    /**
     * How long the responder parks while the null calls' block runs: long, so
     * its wake-ups do not take a cpu from the vCPU or the proxy being measured
     * (at 100 us: about four times in each 400 us block); the block's untimed first
     * exchange waits for it instead.
     */
    private static final long PARK_NANOS = 5_000_000;

    private static final VarHandle WORD = JAVA_LONG.varHandle();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Partition partition;
    private volatile Thread responder;
    private volatile boolean closed;

    GuestPingPong(Partition partition) {
        this.partition = partition;
    }

    /** Everything the program wrote. */
    String text() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void write(int b) {
        synchronized (out) {
            out.write(b);
            if (b != '\n') {
                if (line.size() < 256) line.write(b);
                return;
            }
            Matcher m = LINE.matcher(line.toString(StandardCharsets.UTF_8));
            line.reset();
            if (m.find() && responder == null) {
                start(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16));
            }
        }
    }

    private void start(long gpa, long cookie) {
        MemorySegment w;
        try {
            w = partition.slice(gpa, 24);
        } catch (ErrnoException e) {
            return; // not in the partition: the program skips the ping-pong
        }
        if (w.get(JAVA_LONG, 8) != cookie) return;
        responder = Thread.ofPlatform().daemon().name("azalea-bench-pingpong").start(() -> respond(w, cookie));
    }

    private void respond(MemorySegment w, long cookie) {
        WORD.setRelease(w, 16L, cookie ^ ACK);
        long deadline = System.nanoTime() + 120_000_000_000L;
        long last = System.nanoTime();
        boolean drowsy = false; // parked and found nothing since: park again without spinning
        for (long spins = 0; !closed; spins++) {
            long v = (long) WORD.getAcquire(w, 0L);
            if (v == END) return;
            if ((v & 1) != 0) {
                WORD.setRelease(w, 0L, v + 1);
                last = System.nanoTime(); // after the answer: off the measured path
                drowsy = false;
                continue;
            }
            if (drowsy || ((spins & 1023) == 1023 && System.nanoTime() - last > IDLE_NANOS)) {
                // Not the ping-pong's turn (the null calls' block runs): a spinning thread here
                // would take a core from the vCPU and the proxy being measured.  The guest's
                // untimed first exchange of each block wakes us.
                if (System.nanoTime() > deadline) return;
                LockSupport.parkNanos(PARK_NANOS);
                drowsy = true;
                continue;
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t = responder;
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
