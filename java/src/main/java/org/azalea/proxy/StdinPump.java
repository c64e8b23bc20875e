package org.azalea.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPoll;
import org.azalea.host.Linux;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a Java input stream into a host pipe, so that the guest's stdin is a
 * real fd: pollable, non-blocking on request, and interruptible by close() like
 * any other.  The thread ends at the stream's EOF, or when the guest side of the
 * pipe is gone (EPIPE).  A stream that never returns from read() keeps the
 * thread parked in it; the thread is a daemon and holds nothing else.
 */
final class StdinPump implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StdinPump.class);
    private static final int CHUNK = 8192;

    private final int readFd;
    private final Thread thread;

    private StdinPump(int readFd, int writeFd, InputStream in, String name) {
        this.readFd = readFd;
        this.thread = Thread.ofPlatform().daemon().name("azalea-stdin-" + name).unstarted(() -> pump(in, writeFd));
    }

    /** Starts a pump; {@link #readFd()} is the pipe's read end (non-blocking, close-on-exec) for the guest. */
    static StdinPump start(InputStream in, String name) throws ErrnoException {
        int[] fds = new int[2];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);
            long res = LibcPoll.pipe2(pair, Linux.O_CLOEXEC);
            if (res < 0) throw new ErrnoException((int) -res, "pipe2 for stdin");
            fds[0] = pair.getAtIndex(ValueLayout.JAVA_INT, 0);
            fds[1] = pair.getAtIndex(ValueLayout.JAVA_INT, 1);
        }
        long res = LibcIo.fcntl(fds[0], Linux.F_SETFL, Linux.O_NONBLOCK); // only our read end: the pump blocks
        if (res < 0) {
            LibcIo.close(fds[0]);
            LibcIo.close(fds[1]);
            throw new ErrnoException((int) -res, "O_NONBLOCK on the stdin pipe");
        }
        StdinPump p = new StdinPump(fds[0], fds[1], in, name);
        p.thread.start();
        return p;
    }

    int readFd() {
        return readFd;
    }

    private static void pump(InputStream in, int writeFd) {
        byte[] buf = new byte[CHUNK];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(CHUNK);
            int n;
            while ((n = in.read(buf)) >= 0) {
                MemorySegment.copy(buf, 0, seg, ValueLayout.JAVA_BYTE, 0, n);
                for (int done = 0; done < n; ) {
                    long w = LibcIo.write(writeFd, seg.asSlice(done), n - done);
                    if (w < 0) return; // EPIPE: the instance closed its stdin
                    done += (int) w;
                }
            }
        } catch (IOException e) {
            log.debug("stdin stream failed; the guest sees EOF", e);
        } finally {
            LibcIo.close(writeFd);
        }
    }

    /** Asks the thread to stop (streams that honour interrupts end their read). */
    @Override
    public void close() {
        thread.interrupt();
    }
}
