package org.azalea.proxy.instance;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.junit.jupiter.api.Test;

/** The fd table on its own: numbering, limits, and reference counting. */
class FdTableTest {
    private static GuestFd entry() {
        return new GuestFd(-1, OpenFile.outputStream(OutputStream.nullOutputStream()), false);
    }

    private static int errno(ThrowingCall c) {
        try {
            c.run();
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    private interface ThrowingCall {
        void run() throws ErrnoException;
    }

    @Test
    void lowestFreeNumberFirst() throws Exception {
        FdTable t = new FdTable();
        assertEquals(0, t.install(entry(), 0));
        assertEquals(1, t.install(entry(), 0));
        assertEquals(2, t.install(entry(), 0));
        t.close(1);
        assertEquals(1, t.install(entry(), 0));
        assertEquals(5, t.install(entry(), 5));
        assertEquals(3, t.install(entry(), 0));
        assertEquals(5, t.count());
    }

    @Test
    void theLimitIsEmfile() throws Exception {
        FdTable t = new FdTable();
        for (int i = 0; i < FdTable.MAX_FDS; i++) assertEquals(i, t.install(entry(), 0));
        assertEquals(Errno.EMFILE, errno(() -> t.install(entry(), 0)));
        t.close(FdTable.MAX_FDS - 1);
        assertEquals(FdTable.MAX_FDS - 1, t.install(entry(), 0));
    }

    @Test
    void numbersOutsideTheTableAreEbadf() {
        FdTable t = new FdTable();
        for (long fd : new long[] {0, -1, FdTable.MAX_FDS, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32}) {
            assertEquals(Errno.EBADF, errno(() -> t.acquire(fd)), "fd " + fd);
            assertEquals(Errno.EBADF, errno(() -> t.close(fd)));
            assertNull(t.peek(fd));
        }
        assertEquals(Errno.EBADF, errno(() -> t.installAt(FdTable.MAX_FDS, entry())));
    }

    @Test
    void aClosedTableTakesNothing() throws Exception {
        FdTable t = new FdTable();
        t.install(entry(), 0);
        t.closeAll();
        assertEquals(0, t.count());
        assertEquals(Errno.EMFILE, errno(() -> t.install(entry(), 0)));
        assertEquals(Errno.EBADF, errno(() -> t.installAt(3, entry())));
    }

    @Test
    void installAtReplacesAndAcquireRetains() throws Exception {
        FdTable t = new FdTable();
        GuestFd first = entry();
        t.installAt(7, first);
        GuestFd held = t.acquire(7);
        assertSame(first, held);
        t.installAt(7, entry());
        assertNotSame(first, t.peek(7));
        held.release(); // the last reference of the replaced entry
    }
}
