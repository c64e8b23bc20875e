package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;
import static org.azalea.host.LinuxNet.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.azalea.host.Errno;
import org.azalea.ring.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that wait (accept, read, poll, F_SETLKW, stdin) run on a worker, and
 * close() of their instance ends each with -EINTR; the instance answers
 * -ECANCELED afterwards and has released its fds.
 */
class CloseWakesBlockedTest {
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    @TempDir
    Path root;

    final ExecutorService worker = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws Exception {
        worker.shutdownNow();
        assertTrue(worker.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Starts {@code r} on a worker, checks it is still waiting after a while, closes, expects -EINTR. */
    private void assertCloseInterrupts(Guest g, Request r) throws Exception {
        assertTrue(g.sys.mayBlock(r), "a waiting request belongs on a worker");
        Future<Long> f = worker.submit(() -> g.sys.dispatch(r));
        Thread.sleep(150);
        assertFalse(f.isDone(), "still waiting: " + (f.isDone() ? f.get() : ""));
        long t0 = System.nanoTime();
        g.sys.close();
        assertEquals(-Errno.EINTR, f.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "woken promptly");
        assertEquals(-Errno.ECANCELED, g.call(AZ_OP_NOP()), "a closed instance serves nothing");
        assertEquals(0, g.sys.openFds());
    }

    @Test
    void closeWakesABlockedAccept() throws Exception {
        try (Guest g = new Guest(root)) {
            long[] l = SocketCallsTest.listen(g, 0);
            assertCloseInterrupts(g, Guest.req(AZ_OP_ACCEPT(), l[0], 0, 0));
        }
    }

    @Test
    void closeWakesABlockedSocketRead() throws Exception {
        try (Guest a = new Guest(root);
                Guest b = new Guest(root)) {
            long[] l = SocketCallsTest.listen(a, 0);
            long c = b.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0);
            assertEquals(0, b.call(AZ_OP_CONNECT(), c, b.sockaddrIn(LOOPBACK, (int) l[1]), 16));
            long s = a.call(AZ_OP_ACCEPT(), l[0], 0, 0);
            assertTrue(s >= 0);
            assertCloseInterrupts(a, Guest.req(AZ_OP_READ(), s, a.alloc(16), 16));
            long buf = b.alloc(4);
            assertEquals(0, b.call(AZ_OP_READ(), c, buf, 4), "the peer sees the connection closed");
        }
    }

    @Test
    void closeWakesAnEndlessPoll() throws Exception {
        try (Guest g = new Guest(root)) {
            long[] l = SocketCallsTest.listen(g, 0);
            long pfd = g.alloc(8);
            g.setInt(pfd, (int) l[0]);
            g.setShort(pfd + 4, POLLIN);
            assertCloseInterrupts(g, Guest.req(AZ_OP_POLL(), pfd, 1, -1));
        }
    }

    @Test
    void closeWakesAPpollWithoutTimeout() throws Exception {
        try (Guest g = new Guest(root)) {
            assertCloseInterrupts(g, Guest.req(AZ_OP_PPOLL(), 0, 0, 0, 0, 0)); // no fds, no timeout: a pure wait
        }
    }

    @Test
    void closeWakesALockWaitAndTheLockWaitsForTheOtherInstance() throws Exception {
        Files.createFile(root.resolve("lock"));
        try (Guest holder = new Guest(root);
                Guest waiter = new Guest(root)) {
            long a = holder.call(AZ_OP_OPEN(), holder.str("lock"), O_RDWR, 0);
            long b = waiter.call(AZ_OP_OPEN(), waiter.str("lock"), O_RDWR, 0);
            assertEquals(0, holder.call(AZ_OP_FCNTL(), a, F_SETLK, FileCallsTest.flock(holder, F_WRLCK, 0, 0)));
            Request wait = Guest.req(AZ_OP_FCNTL(), b, F_SETLKW, FileCallsTest.flock(waiter, F_WRLCK, 0, 0));
            assertFalse(waiter.sys.mayBlock(Guest.req(AZ_OP_FCNTL(), b, F_SETLK, 0)));

            // First: the wait ends when the holder unlocks.
            Future<Long> got = worker.submit(() -> waiter.sys.dispatch(wait));
            Thread.sleep(100);
            assertFalse(got.isDone());
            assertEquals(0, holder.call(AZ_OP_FCNTL(), a, F_SETLK, FileCallsTest.flock(holder, F_UNLCK, 0, 0)));
            assertEquals(0, got.get(5, TimeUnit.SECONDS));

            // Then: the holder waits for the waiter's lock, and close() ends that wait.
            assertCloseInterrupts(
                    holder, Guest.req(AZ_OP_FCNTL(), a, F_SETLKW, FileCallsTest.flock(holder, F_RDLCK, 0, 0)));
        }
    }

    @Test
    void closeWakesAStdinReadFromAJavaStream() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keyboard);
        try (Guest g = new Guest(
                root, Stdio.of(in, OutputStream.nullOutputStream(), OutputStream.nullOutputStream()), "stdin")) {
            keyboard.write("typed\n".getBytes());
            keyboard.flush();
            long buf = g.alloc(16);
            assertEquals(6, g.call(AZ_OP_READ(), 0, buf, 16), "pumped into the guest's pipe");
            assertEquals("typed\n", g.string(buf, 6));
            assertCloseInterrupts(g, Guest.req(AZ_OP_READ(), 0, buf, 16));
        } finally {
            keyboard.close();
        }
    }

    @Test
    void aGuestCloseOfAnFdInUseDoesNotPullTheHostFdAway() throws Exception {
        try (Guest a = new Guest(root);
                Guest b = new Guest(root)) {
            long[] l = SocketCallsTest.listen(a, 0);
            long c = b.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0);
            assertEquals(0, b.call(AZ_OP_CONNECT(), c, b.sockaddrIn(LOOPBACK, (int) l[1]), 16));
            long s = a.call(AZ_OP_ACCEPT(), l[0], 0, 0);
            long buf = a.alloc(16);
            Future<Long> read = worker.submit(() -> a.call(AZ_OP_READ(), s, buf, 16));
            Thread.sleep(100);
            assertEquals(0, a.call(AZ_OP_CLOSE(), s), "the guest closes the fd another request waits on");
            long other = a.call(AZ_OP_OPEN(), a.str("new"), O_CREAT | O_RDWR, 0600);
            assertEquals(s, other, "the guest number is reused at once");
            assertEquals(4, b.call(AZ_OP_WRITE(), c, b.str("data"), 4));
            assertEquals(4, read.get(5, TimeUnit.SECONDS), "the waiting read still had its socket");
            assertEquals("data", a.string(buf, 4));
            assertEquals(0, Files.size(root.resolve("new")));
        }
    }

    @Test
    void mayBlockKnowsWhatWaits() throws Exception {
        Files.writeString(root.resolve("f"), "x");
        try (Guest g = new Guest(root)) {
            long file = g.call(AZ_OP_OPEN(), g.str("f"), O_RDONLY, 0);
            long sock = g.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0);
            long buf = g.alloc(8);
            assertFalse(g.sys.mayBlock(Guest.req(AZ_OP_READ(), file, buf, 8)), "regular files never wait");
            assertFalse(g.sys.mayBlock(Guest.req(AZ_OP_PREAD64(), file, buf, 8, 0)));
            assertTrue(g.sys.mayBlock(Guest.req(AZ_OP_READ(), sock, buf, 8)));
            assertTrue(g.sys.mayBlock(Guest.req(AZ_OP_SENDTO(), sock, buf, 8, 0, 0, 0)));
            assertTrue(g.sys.mayBlock(Guest.req(AZ_OP_WRITE(), 1, buf, 8)), "stdout is a Java stream");
            assertTrue(g.sys.mayBlock(Guest.req(AZ_OP_READ(), 0, buf, 8)), "stdin is a pipe");
            assertTrue(g.sys.mayBlock(Guest.req(AZ_OP_GETHOSTBYNAME(), 0, 0, 0, 0)), "DNS");
            assertTrue(g.sys.mayBlock(Guest.req(AZ_OP_POLL(), 0, 0, -1)));
            assertFalse(g.sys.mayBlock(Guest.req(AZ_OP_POLL(), 0, 0, 0)));
            long zero = g.alloc(16);
            assertFalse(g.sys.mayBlock(Guest.req(AZ_OP_PPOLL(), 0, 0, zero)));
            assertTrue(g.sys.mayBlock(Guest.req(AZ_OP_PPOLL(), 0, 0, 0)));
            assertTrue(g.sys.mayBlock(Guest.req(AZ_OP_FCNTL(), file, F_SETLKW, buf)));
            assertFalse(g.sys.mayBlock(Guest.req(AZ_OP_OPEN(), 0, 0, 0)));
            assertFalse(g.sys.mayBlock(Guest.req(AZ_OP_READ(), 999, buf, 8)), "EBADF comes fast");
        }
    }
}
