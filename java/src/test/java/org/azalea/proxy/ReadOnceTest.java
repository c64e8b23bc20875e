package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LinuxLayouts;
import org.azalea.ring.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ppoll timeout is read from guest memory once, before the proxy decides
 * where the call runs: a guest thread that rewrites it afterwards changes
 * neither that decision nor the wait.
 */
class ReadOnceTest {
    @TempDir
    Path root;

    Guest g;
    long ts;

    @BeforeEach
    void start() throws Exception {
        g = new Guest(root);
        ts = g.alloc(LinuxLayouts.TIMESPEC.byteSize());
    }

    @AfterEach
    void stop() {
        g.close();
    }

    private void timespec(long sec, long nsec) {
        g.setLong(ts + LinuxLayouts.TV_SEC, sec);
        g.setLong(ts + LinuxLayouts.TV_NSEC, nsec);
    }

    /** ppoll of no fds: it waits exactly its timeout. */
    private Request ppoll() {
        return Guest.req(AZ_OP_PPOLL(), g.alloc(8), 0, ts, 0, 8);
    }

    @Test
    void aZeroTimeoutRewrittenAfterTheDecisionStaysZero() throws Exception {
        timespec(0, 0);
        Request r = g.sys.prepare(ppoll());
        timespec(30, 0); // the "second thread"
        assertFalse(g.sys.mayBlock(r), "the poller decided on the value it fetched");
        long t0 = System.nanoTime();
        assertEquals(0, g.sys.dispatch(r));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the handler did not read the 30 s timeout");
    }

    @Test
    void aValidTimeoutMadeMalformedLaterStillServes() throws Exception {
        timespec(0, 1_000_000);
        Request r = g.sys.prepare(ppoll());
        assertEquals(1, r.fetched(), "1 ms, fetched");
        timespec(-1, 0);
        assertTrue(g.sys.mayBlock(r));
        assertEquals(0, g.sys.dispatch(r), "timed out after the fetched 1 ms, not EINVAL");
    }

    @Test
    void badTimeoutsAreTheRequestsAnswer() throws Exception {
        timespec(0, 1_000_000_000);
        ErrnoException e = assertThrows(ErrnoException.class, () -> g.sys.prepare(ppoll()));
        assertEquals(Errno.EINVAL, e.errno());
        e = assertThrows(
                ErrnoException.class, () -> g.sys.prepare(Guest.req(AZ_OP_PPOLL(), 0, 0, Long.MAX_VALUE - 4, 0, 8)));
        assertEquals(Errno.EFAULT, e.errno());
        assertEquals(-1, g.sys.prepare(Guest.req(AZ_OP_PPOLL(), 0, 0, 0, 0, 8)).fetched(), "no timespec: forever");
    }

    @Test
    void otherRequestsPassUnchanged() throws Exception {
        Request r = Guest.req(AZ_OP_READ(), 0, 0, 0);
        assertSame(r, g.sys.prepare(r));
    }
}
