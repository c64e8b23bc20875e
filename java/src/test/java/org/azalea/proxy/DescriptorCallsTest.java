package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;
import static org.azalea.host.LinuxNet.*;
import static org.junit.jupiter.api.Assertions.*;

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
 * Pipes, eventfds, socketpairs, epoll, select and timerfds in the proxy: guest
 * fds in, guest fds out, epoll data passed through, blocking calls classified
 * for a worker and woken with EINTR when the instance closes, the select
 * timeout read once.  (CompatIT checks their semantics against native Linux.)
 */
class DescriptorCallsTest {
    @TempDir
    Path root;

    final ExecutorService worker = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws Exception {
        worker.shutdownNow();
        assertTrue(worker.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static long[] pipe(Guest g, int flags) {
        long fds = g.alloc(8);
        assertEquals(0, g.call(AZ_OP_PIPE2(), fds, flags));
        return new long[] {g.getInt(fds), g.getInt(fds + 4)};
    }

    private static long epollEvent(Guest g, int events, long data) {
        long e = g.alloc(12);
        g.setInt(e, events);
        g.setLong(e + 4, data);
        return e;
    }

    @Test
    void pipeEndsAreGuestFdsAndCarryData() throws Exception {
        try (Guest g = new Guest(root)) {
            long[] p = pipe(g, O_NONBLOCK);
            assertEquals(3, p[0], "the lowest free guest numbers");
            assertEquals(4, p[1]);
            long buf = g.alloc(8);
            assertEquals(-Errno.EAGAIN, g.call(AZ_OP_READ(), p[0], buf, 8));
            assertEquals(2, g.call(AZ_OP_WRITE(), p[1], g.str("hi"), 2));
            assertEquals(2, g.call(AZ_OP_READ(), p[0], buf, 8));
            assertEquals("hi", g.string(buf, 2));
            assertEquals(-Errno.EINVAL, g.call(AZ_OP_PIPE2(), g.alloc(8), 0x1));
            assertEquals(-Errno.EFAULT, g.call(AZ_OP_PIPE2(), 8, 0), "a bad pointer creates nothing");
            assertEquals(5, g.sys.openFds(), "stdio and the one pipe");
        }
    }

    @Test
    void epollReturnsTheGuestsDataForAGuestFd() throws Exception {
        try (Guest g = new Guest(root)) {
            long[] p = pipe(g, 0);
            long ep = g.call(AZ_OP_EPOLL_CREATE1(), 0);
            assertTrue(ep >= 0);
            long data = 0x1122_3344_5566_7788L;
            assertEquals(0, g.call(AZ_OP_EPOLL_CTL(), ep, EPOLL_CTL_ADD, p[0], epollEvent(g, POLLIN, data)));
            long out = g.alloc(24);
            assertEquals(0, g.call(AZ_OP_EPOLL_PWAIT(), ep, out, 2, 0));
            assertEquals(1, g.call(AZ_OP_WRITE(), p[1], g.str("x"), 1));
            assertEquals(1, g.call(AZ_OP_EPOLL_PWAIT(), ep, out, 2, 0));
            assertEquals(POLLIN, g.getInt(out));
            assertEquals(data, g.getLong(out + 4));
            assertEquals(-Errno.EEXIST, g.call(AZ_OP_EPOLL_CTL(), ep, EPOLL_CTL_ADD, p[0], epollEvent(g, POLLIN, 1)));
            assertEquals(-Errno.EBADF, g.call(AZ_OP_EPOLL_CTL(), ep, EPOLL_CTL_ADD, 77, epollEvent(g, POLLIN, 1)));
            assertEquals(0, g.call(AZ_OP_EPOLL_CTL(), ep, EPOLL_CTL_ADD, 1, epollEvent(g, POLLOUT | POLLIN, 9)));
            assertEquals(1, g.call(AZ_OP_READ(), p[0], g.alloc(1), 1));
            assertEquals(1, g.call(AZ_OP_EPOLL_PWAIT(), ep, out, 2, 0), "stdout, a Java stream, is writable");
            assertEquals(POLLOUT, g.getInt(out), "and never readable");
            assertEquals(9, g.getLong(out + 4));
            assertEquals(-Errno.EINVAL, g.call(AZ_OP_EPOLL_PWAIT(), ep, out, 0, 0));
        }
    }

    @Test
    void socketpairAndEventfdAreGuestFds() throws Exception {
        try (Guest g = new Guest(root)) {
            long sv = g.alloc(8);
            assertEquals(0, g.call(AZ_OP_SOCKETPAIR(), AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv));
            long a = g.getInt(sv), b = g.getInt(sv + 4);
            assertEquals(3, g.call(AZ_OP_SENDTO(), a, g.str("abc"), 3, 0, 0, 0));
            assertEquals(3, g.call(AZ_OP_RECVFROM(), b, g.alloc(8), 8, 0, 0, 0));
            assertEquals(-Errno.EOPNOTSUPP, g.call(AZ_OP_SOCKETPAIR(), AF_INET, SOCK_STREAM, 0, sv));
            long e = g.call(AZ_OP_EVENTFD2(), 5, EFD_SEMAPHORE | EFD_NONBLOCK);
            long v = g.alloc(8);
            assertEquals(8, g.call(AZ_OP_READ(), e, v, 8));
            assertEquals(1, g.getLong(v), "a semaphore read takes one");
        }
    }

    /** Starts {@code r} on a worker, checks it waits, closes the instance, expects -EINTR. */
    private void assertCloseInterrupts(Guest g, Request r) throws Exception {
        assertTrue(g.sys.mayBlock(g.sys.prepare(r)), "a waiting request belongs on a worker");
        Future<Long> f = worker.submit(() -> g.sys.dispatch(g.sys.prepare(r)));
        Thread.sleep(150);
        assertFalse(f.isDone(), "still waiting: " + (f.isDone() ? f.get() : ""));
        g.sys.close();
        assertEquals(-Errno.EINTR, f.get(5, TimeUnit.SECONDS));
        assertEquals(0, g.sys.openFds());
    }

    @Test
    void closeWakesABlockedEpollWait() throws Exception {
        try (Guest g = new Guest(root)) {
            long[] p = pipe(g, 0);
            long ep = g.call(AZ_OP_EPOLL_CREATE1(), 0);
            assertEquals(0, g.call(AZ_OP_EPOLL_CTL(), ep, EPOLL_CTL_ADD, p[0], epollEvent(g, POLLIN, 1)));
            assertFalse(g.sys.mayBlock(Guest.req(AZ_OP_EPOLL_PWAIT(), ep, g.alloc(12), 1, 0)));
            assertCloseInterrupts(g, Guest.req(AZ_OP_EPOLL_PWAIT(), ep, g.alloc(12), 1, -1));
        }
    }

    @Test
    void closeWakesABlockedPipeRead() throws Exception {
        try (Guest g = new Guest(root)) {
            long[] p = pipe(g, 0);
            assertCloseInterrupts(g, Guest.req(AZ_OP_READ(), p[0], g.alloc(8), 8));
        }
    }

    @Test
    void closeWakesABlockedEventfdRead() throws Exception {
        try (Guest g = new Guest(root)) {
            long e = g.call(AZ_OP_EVENTFD2(), 0, 0);
            assertCloseInterrupts(g, Guest.req(AZ_OP_READ(), e, g.alloc(8), 8));
        }
    }

    @Test
    void closeWakesASelectWithoutTimeout() throws Exception {
        try (Guest g = new Guest(root)) {
            long[] p = pipe(g, 0);
            long set = g.alloc(8);
            g.setLong(set, 1L << p[0]);
            assertCloseInterrupts(g, Guest.req(AZ_OP_SELECT(), p[0] + 1, set, 0, 0, 0, 1));
        }
    }

    @Test
    void theSelectTimeoutIsReadOnce() throws Exception {
        try (Guest g = new Guest(root)) {
            long tv = g.alloc(16);
            g.setLong(tv, 0);
            g.setLong(tv + 8, 0);
            Request r = g.sys.prepare(Guest.req(AZ_OP_SELECT(), 0, 0, 0, 0, tv, 1));
            assertFalse(g.sys.mayBlock(r), "a zero timeout does not wait");
            g.setLong(tv, 1_000_000); // the guest rewrites it meanwhile: a wait of days
            long t0 = System.nanoTime();
            assertEquals(0, g.sys.dispatch(r));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "the copy decided, not guest memory");
            g.setLong(tv + 8, -1);
            assertThrows(
                    org.azalea.host.ErrnoException.class,
                    () -> g.sys.prepare(Guest.req(AZ_OP_SELECT(), 0, 0, 0, 0, tv, 1)));
        }
    }

    @Test
    void aNonBlockingReadRunsInlineAndNeverWaits() throws Exception {
        try (Guest g = new Guest(root)) {
            long[] p = pipe(g, O_NONBLOCK);
            long buf = g.alloc(8);
            Request read = g.sys.prepare(Guest.req(AZ_OP_READ(), p[0], buf, 8));
            assertFalse(g.sys.mayBlock(read), "a non-blocking pipe read cannot wait: no hand-off");
            assertTrue(g.sys.mayBlock(g.sys.prepare(Guest.req(AZ_OP_READ(), 0, buf, 8))), "stdin still waits");
            assertEquals(0, g.call(AZ_OP_FCNTL(), p[0], F_SETFL, 0), "the guest clears O_NONBLOCK meanwhile");
            long t0 = System.nanoTime();
            assertEquals(-Errno.EAGAIN, g.sys.dispatch(read), "classified non-blocking: it does not wait");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
            assertTrue(g.sys.mayBlock(g.sys.prepare(Guest.req(AZ_OP_READ(), p[0], buf, 8))), "blocking again");
        }
    }

    @Test
    void anEpollWaitWithEventsRunsInlineAndNeverWaits() throws Exception {
        try (Guest g = new Guest(root)) {
            long[] p = pipe(g, O_NONBLOCK);
            long ep = g.call(AZ_OP_EPOLL_CREATE1(), 0);
            assertEquals(0, g.call(AZ_OP_EPOLL_CTL(), ep, EPOLL_CTL_ADD, p[0], epollEvent(g, POLLIN, 5)));
            long out = g.alloc(12);
            Request idle = g.sys.prepare(Guest.req(AZ_OP_EPOLL_PWAIT(), ep, out, 1, 1000));
            assertTrue(g.sys.mayBlock(idle), "nothing ready: it may wait, on a worker");
            assertEquals(1, g.call(AZ_OP_WRITE(), p[1], g.str("x"), 1));
            Request ready = g.sys.prepare(Guest.req(AZ_OP_EPOLL_PWAIT(), ep, out, 1, -1));
            assertFalse(g.sys.mayBlock(ready), "events there: inline");
            assertEquals(1, g.sys.dispatch(ready));
            assertEquals(5, g.getLong(out + 4));
            assertEquals(1, g.call(AZ_OP_READ(), p[0], g.alloc(1), 1), "another thread takes the data meanwhile");
            long t0 = System.nanoTime();
            assertEquals(-Errno.EINTR, g.sys.dispatch(ready), "inline never waits: the program goes round again");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    void anAbsoluteTimerfdTimeIsOnTheInstancesClock() throws Exception {
        try (Guest g = new Guest(root)) {
            long t = g.call(AZ_OP_TIMERFD_CREATE(), CLOCK_MONOTONIC, TFD_NONBLOCK);
            long spec = g.alloc(32);
            long guestNow = 5_000_000_000L; // the instance's clock is 5 s, whatever the host's says
            g.setLong(spec + 16, 5); // it_value 5.05 s absolute: 50 ms from the instance's now
            g.setLong(spec + 24, 50_000_000);
            assertEquals(0, g.call(AZ_OP_TIMERFD_SETTIME(), t, TFD_TIMER_ABSTIME, spec, 0, guestNow, 0));
            long cur = g.alloc(32);
            assertEquals(0, g.call(AZ_OP_TIMERFD_GETTIME(), t, cur));
            long leftNs = g.getLong(cur + 16) * 1_000_000_000L + g.getLong(cur + 24);
            assertTrue(leftNs > 0 && leftNs <= 50_000_000, "left " + leftNs + " ns of the 50 ms");
        }
    }
}
