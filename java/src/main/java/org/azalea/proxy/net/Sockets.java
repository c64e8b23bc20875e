package org.azalea.proxy.net;

import static org.azalea.host.LinuxNet.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcSockets;
import org.azalea.host.Linux;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.proxy.instance.OpenFile;
import org.azalea.ring.Request;

/**
 * Socket life cycle: socket, bind, listen, connect, accept/accept4, shutdown,
 * getsockname, getpeername.  Host sockets are always non-blocking and
 * close-on-exec; the guest's SOCK_NONBLOCK is tracked in its {@link OpenFile}
 * and blocking connect/accept wait through the instance's waiter.
 */
public final class Sockets {
    private final InstanceState s;

    public Sockets(InstanceState s) {
        this.s = s;
    }

    /** socket(domain, type, protocol): AF_UNIX, AF_INET, AF_INET6; stream, datagram, seqpacket. */
    public long socket(Request r) throws ErrnoException {
        int domain = (int) r.a0();
        int type = (int) r.a1();
        int base = type & SOCK_TYPE_MASK;
        int flags = type & ~SOCK_TYPE_MASK;
        if (!SockAddrs.offered(domain)) throw new ErrnoException(Errno.EAFNOSUPPORT, "socket domain " + domain);
        s.net().checkSocket(domain);
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "socket type flags 0x" + Integer.toHexString(flags));
        }
        if (base != SOCK_STREAM && base != SOCK_DGRAM && base != SOCK_SEQPACKET) {
            // Raw and packet sockets would hand the guest the host's network as root; never offered.
            throw new ErrnoException(Errno.EPERM, "socket type " + base + " is not offered");
        }
        long h = LibcSockets.socket(domain, base | SOCK_NONBLOCK | SOCK_CLOEXEC, (int) r.a2());
        if (h < 0) return h;
        OpenFile file = OpenFile.socket(domain, (flags & SOCK_NONBLOCK) != 0);
        return s.fds().install(new GuestFd((int) h, file, (flags & SOCK_CLOEXEC) != 0), 0);
    }

    /** bind(fd, addr, addrlen). */
    public long bind(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined();
                SockAddrs.HostAddr a = SockAddrs.in(s, f.file(), r.a1(), r.a2(), NetPolicy.Use.BIND, arena)) {
            long res = LibcSockets.bind(f.host(Errno.ENOTSOCK), a.addr(), a.len());
            if (res == 0 && a.heldFd() >= 0) f.file().unixLocalName(a.guestBytes());
            return res;
        } finally {
            f.release();
        }
    }

    /** listen(fd, backlog); an unbound IP socket is bound as the network policy says first. */
    public long listen(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            int h = f.host(Errno.ENOTSOCK);
            SockAddrs.bindIfUnbound(s, f.file(), h, null);
            return LibcSockets.listen(h, (int) r.a1());
        } finally {
            f.release();
        }
    }

    /**
     * connect(fd, addr, addrlen).  A blocking guest waits for the host's
     * non-blocking connect to finish and gets its SO_ERROR; SO_SNDTIMEO expiry
     * gives EINPROGRESS, as in Linux.
     */
    public long connect(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined();
                SockAddrs.HostAddr a = SockAddrs.in(s, f.file(), r.a1(), r.a2(), NetPolicy.Use.CONNECT, arena)) {
            int h = f.host(Errno.ENOTSOCK);
            OpenFile file = f.file();
            long res = LibcSockets.connect(h, a.addr(), a.len());
            // AF_UNIX reports a full backlog as EAGAIN: a blocking guest waits and tries again.
            while (res == -Errno.EAGAIN && !file.nonBlocking()) {
                s.waiter().await(h, Linux.POLLOUT, file.sendTimeoutMs());
                res = LibcSockets.connect(h, a.addr(), a.len());
            }
            if (res == -Errno.EINPROGRESS && !file.nonBlocking()) {
                try {
                    s.waiter().await(h, Linux.POLLOUT, file.sendTimeoutMs());
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EAGAIN) return -Errno.EINPROGRESS; // timed out
                    throw e;
                }
                res = -socketError(h, arena);
            }
            if (res == 0 && a.heldFd() >= 0) file.unixPeerName(a.guestBytes());
            return res;
        } finally {
            f.release();
        }
    }

    private static long socketError(int h, Arena arena) throws ErrnoException {
        MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
        len.set(ValueLayout.JAVA_INT, 0, 4);
        long res = LibcSockets.getsockopt(h, SOL_SOCKET, SO_ERROR, value, len);
        if (res < 0) throw new ErrnoException((int) -res, "SO_ERROR of host fd " + h);
        return value.get(ValueLayout.JAVA_INT, 0);
    }

    /** accept(fd, addr, addrlen). */
    public long accept(Request r) throws ErrnoException {
        return acceptWith(r, 0);
    }

    /** accept4(fd, addr, addrlen, flags): flags SOCK_NONBLOCK, SOCK_CLOEXEC. */
    public long accept4(Request r) throws ErrnoException {
        int flags = (int) r.a3();
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "accept4 flags 0x" + Integer.toHexString(flags));
        }
        return acceptWith(r, flags);
    }

    private long acceptWith(Request r, int flags) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.ENOTSOCK);
            SockAddrs.Out out = SockAddrs.Out.prepare(s, r.a1(), r.a2(), arena);
            long c = s.blocking()
                    .call(
                            f,
                            h,
                            Linux.POLLIN,
                            false,
                            f.file().recvTimeoutMs(),
                            () -> LibcSockets.accept4(h, out.hostAddr, out.hostLen, SOCK_NONBLOCK | SOCK_CLOEXEC));
            if (c < 0) return c;
            OpenFile conn = OpenFile.socket(f.file().family(), (flags & SOCK_NONBLOCK) != 0);
            conn.unixLocalName(f.file().unixLocalName());
            int fd;
            try {
                fd = s.fds().install(new GuestFd((int) c, conn, (flags & SOCK_CLOEXEC) != 0), 0);
            } catch (ErrnoException e) {
                return e.result(); // EMFILE: install closed the connection
            }
            out.finish(null);
            return fd;
        } finally {
            f.release();
        }
    }

    /** shutdown(fd, how). */
    public long shutdown(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            return LibcSockets.shutdown(f.host(Errno.ENOTSOCK), (int) r.a1());
        } finally {
            f.release();
        }
    }

    /** getsockname(fd, addr, addrlen). */
    public long getsockname(Request r) throws ErrnoException {
        return name(r, true);
    }

    /** getpeername(fd, addr, addrlen). */
    public long getpeername(Request r) throws ErrnoException {
        return name(r, false);
    }

    private long name(Request r, boolean local) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.ENOTSOCK);
            if (r.a1() == 0) throw new ErrnoException(Errno.EFAULT, "NULL socket address buffer");
            SockAddrs.Out out = SockAddrs.Out.prepare(s, r.a1(), r.a2(), arena);
            long res = local
                    ? LibcSockets.getsockname(h, out.hostAddr, out.hostLen)
                    : LibcSockets.getpeername(h, out.hostAddr, out.hostLen);
            if (res < 0) return res;
            out.finish(local ? f.file().unixLocalName() : f.file().unixPeerName());
            return 0;
        } finally {
            f.release();
        }
    }
}
