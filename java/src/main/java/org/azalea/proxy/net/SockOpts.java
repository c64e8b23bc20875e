package org.azalea.proxy.net;

import static org.azalea.host.LinuxNet.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcSockets;
import org.azalea.host.LinuxLayouts;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.ring.Request;

/**
 * setsockopt/getsockopt for a whitelist of options whose values are plain data
 * (ints, struct linger, struct timeval): the value is copied once into native
 * memory and the host call sees only the copy.  Anything else is ENOPROTOOPT,
 * notably SO_PEERCRED (host pids and uids), SO_BINDTODEVICE and filters.
 * SO_RCVTIMEO/SO_SNDTIMEO are also remembered, because the host socket is
 * non-blocking and the proxy does the waiting (see Blocking).
 */
public final class SockOpts {
    /** Larger than any whitelisted value (struct timeval is 16 bytes). */
    private static final int MAX_VALUE = 64;

    private static final Set<Long> OFFERED = Set.of(
            key(SOL_SOCKET, SO_REUSEADDR),
            key(SOL_SOCKET, SO_REUSEPORT),
            key(SOL_SOCKET, SO_KEEPALIVE),
            key(SOL_SOCKET, SO_RCVBUF),
            key(SOL_SOCKET, SO_SNDBUF),
            key(SOL_SOCKET, SO_LINGER),
            key(SOL_SOCKET, SO_RCVTIMEO),
            key(SOL_SOCKET, SO_SNDTIMEO),
            key(SOL_SOCKET, SO_BROADCAST),
            key(SOL_SOCKET, SO_ERROR),
            key(SOL_SOCKET, SO_TYPE),
            key(SOL_SOCKET, SO_ACCEPTCONN),
            key(SOL_SOCKET, SO_OOBINLINE),
            key(SOL_SOCKET, SO_RCVLOWAT),
            key(SOL_SOCKET, SO_SNDLOWAT),
            key(SOL_SOCKET, SO_PROTOCOL),
            key(SOL_SOCKET, SO_DOMAIN),
            key(SOL_SOCKET, SO_DONTROUTE),
            key(IPPROTO_TCP, TCP_NODELAY),
            key(IPPROTO_TCP, TCP_MAXSEG),
            key(IPPROTO_TCP, TCP_KEEPIDLE),
            key(IPPROTO_TCP, TCP_KEEPINTVL),
            key(IPPROTO_TCP, TCP_KEEPCNT),
            key(IPPROTO_TCP, TCP_QUICKACK),
            key(IPPROTO_TCP, TCP_USER_TIMEOUT),
            key(IPPROTO_IP, IP_TTL),
            key(IPPROTO_IP, IP_TOS),
            key(IPPROTO_IPV6, IPV6_V6ONLY),
            key(IPPROTO_IPV6, IPV6_UNICAST_HOPS));

    private final InstanceState s;

    public SockOpts(InstanceState s) {
        this.s = s;
    }

    private static long key(int level, int name) {
        return (long) level << 32 | (name & 0xFFFFFFFFL);
    }

    private static void checkOffered(int level, int name) throws ErrnoException {
        if (!OFFERED.contains(key(level, name))) {
            throw new ErrnoException(
                    Errno.ENOPROTOOPT, "socket option level " + level + " name " + name + " is not offered");
        }
    }

    /** setsockopt(fd, level, optname, optval, optlen). */
    public long setsockopt(Request r) throws ErrnoException {
        int level = (int) r.a1();
        int name = (int) r.a2();
        long len = r.a4();
        checkOffered(level, name);
        if (len < 0 || len > MAX_VALUE) throw new ErrnoException(Errno.EINVAL, "socket option length " + len);
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.ENOTSOCK);
            MemorySegment value = arena.allocate(Math.max(len, 1), 8);
            MemorySegment.copy(s.guest().buffer(r.a3(), len), 0, value, 0, len); // the one read
            long res = LibcSockets.setsockopt(h, level, name, value, (int) len);
            if (res == 0 && level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO)) {
                long ms = timevalMs(value);
                if (name == SO_RCVTIMEO) f.file().recvTimeoutMs(ms);
                else f.file().sendTimeoutMs(ms);
            }
            return res;
        } finally {
            f.release();
        }
    }

    /** A timeval the host accepted, in milliseconds rounded up; -1 for "no timeout" (zero). */
    private static long timevalMs(MemorySegment tv) {
        long sec = tv.get(ValueLayout.JAVA_LONG, 0);
        long usec = tv.get(ValueLayout.JAVA_LONG, LinuxLayouts.TV_USEC);
        if (sec == 0 && usec == 0) return -1;
        if (sec > Long.MAX_VALUE / 1000 - 1) return -1;
        return sec * 1000 + (usec + 999) / 1000;
    }

    /** getsockopt(fd, level, optname, optval, optlen *). */
    public long getsockopt(Request r) throws ErrnoException {
        int level = (int) r.a1();
        int name = (int) r.a2();
        checkOffered(level, name);
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.ENOTSOCK);
            MemorySegment lenCell = s.guest().object(r.a4(), 4);
            int guestLen = lenCell.get(ValueLayout.JAVA_INT_UNALIGNED, 0); // the one read of *optlen
            if (guestLen < 0) throw new ErrnoException(Errno.EINVAL, "socket option buffer length " + guestLen);
            MemorySegment guestValue = s.guest().buffer(r.a3(), guestLen);
            int hostLen = Math.min(guestLen, MAX_VALUE);
            MemorySegment value = arena.allocate(MAX_VALUE, 8);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, hostLen);
            long res = LibcSockets.getsockopt(h, level, name, value, len);
            if (res < 0) return res;
            int got = Math.min(len.get(ValueLayout.JAVA_INT, 0), hostLen);
            MemorySegment.copy(value, 0, guestValue, 0, got);
            lenCell.set(ValueLayout.JAVA_INT_UNALIGNED, 0, got);
            return 0;
        } finally {
            f.release();
        }
    }
}
