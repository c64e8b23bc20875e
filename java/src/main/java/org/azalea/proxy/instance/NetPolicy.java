package org.azalea.proxy.instance;

import static org.azalea.host.LinuxNet.AF_INET;
import static org.azalea.host.LinuxNet.AF_INET6;
import static org.azalea.host.LinuxNet.AF_UNSPEC;

import java.util.Locale;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;

/**
 * What network an instance may reach, enforced by its proxy (org.azalea.proxy.net:
 * Sockets, SocketIo, SockAddrs) on every address a
 * call carries (bind, connect, sendto, sendmsg) and on socket creation.  AF_UNIX
 * is outside the policy: its names resolve inside the instance's root.
 *
 * <ul>
 *   <li>{@link #NONE}: no AF_INET or AF_INET6 sockets (socket() fails with EACCES).
 *   <li>{@link #LOOPBACK} (the default): peers only on loopback (127.0.0.0/8, ::1,
 *       ::ffff:127.0.0.0/104), others refused with ENETUNREACH, as from a host whose
 *       only route is lo; a bind to the wildcard address binds loopback instead (so
 *       getsockname shows 127.0.0.1 or ::1), a bind to any other non-loopback address
 *       fails with EADDRNOTAVAIL, and a socket the kernel would bind implicitly
 *       (listen, or sendto on an unbound datagram socket) is bound to loopback first.
 *   <li>{@link #HOST}: the service's own network, unchanged.
 * </ul>
 *
 * <p>Addresses are judged by their own family field, because Linux does: an AF_INET6
 * datagram socket sends to an AF_INET address, and an AF_INET socket treats an
 * AF_UNSPEC address as AF_INET in bind (0.0.0.0 only) and sendto.
 */
public enum NetPolicy {
    NONE,
    LOOPBACK,
    HOST;

    /** What the address is for. */
    public enum Use {
        BIND,
        CONNECT,
        SEND
    }

    /** The policy an instance gets when its launch names none. */
    public static final NetPolicy DEFAULT = LOOPBACK;

    /** The name as {@code --net} and deployment files spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses none, loopback or host (any case). */
    public static NetPolicy parse(String s) {
        for (NetPolicy p : values()) {
            if (p.label().equalsIgnoreCase(s.strip())) return p;
        }
        throw new IllegalArgumentException("network policy '" + s + "': expected none, loopback or host");
    }

    /** socket(domain, ...): refuses the IP families under NONE. */
    public void checkSocket(int domain) throws ErrnoException {
        if (this == NONE && (domain == AF_INET || domain == AF_INET6)) {
            throw new ErrnoException(Errno.EACCES, "network policy none: no AF_INET/AF_INET6 sockets");
        }
    }

    /**
     * The address the host call gets for guest address {@code addr} on a socket of
     * {@code socketFamily}: {@code addr} itself, or a loopback rewrite of a wildcard
     * bind.  Never changes the guest's array.
     */
    public byte[] check(Use use, byte[] addr, int socketFamily) throws ErrnoException {
        if (this == HOST) return addr;
        int family = (addr[0] & 0xFF) | (addr[1] & 0xFF) << 8;
        boolean ipSocket = socketFamily == AF_INET || socketFamily == AF_INET6;
        if (family != AF_INET && family != AF_INET6 && !(ipSocket && family == AF_UNSPEC)) {
            if (!ipSocket) return addr; // not an IP address on a non-IP socket: the host kernel judges it
            throw new ErrnoException(Errno.EAFNOSUPPORT, "address family " + family + " on an IP socket");
        }
        // NONE has no IP sockets of its own; an inherited one (stdio) still gets no address.
        if (this == NONE) throw new ErrnoException(Errno.EACCES, "network policy none");
        if (family == AF_UNSPEC) {
            // connect(AF_UNSPEC) dissolves an association; bind and sendto read it as AF_INET.
            if (use == Use.CONNECT) return addr;
            family = AF_INET;
        }
        if (family == AF_INET) {
            if (addr.length < 8) throw new ErrnoException(Errno.EINVAL, "AF_INET address of " + addr.length + " bytes");
            if (addr[4] == 127) return addr;
            if (use == Use.BIND && (addr[4] | addr[5] | addr[6] | addr[7]) == 0) {
                byte[] lo = addr.clone();
                lo[0] = (byte) AF_INET; // an AF_UNSPEC wildcard becomes a plain AF_INET loopback
                lo[1] = 0;
                lo[4] = 127;
                lo[7] = 1;
                return lo;
            }
            throw refused(use, "IPv4 " + ipv4(addr, 4));
        }
        if (addr.length < 24) throw new ErrnoException(Errno.EINVAL, "AF_INET6 address of " + addr.length + " bytes");
        if (loopback6(addr)) return addr;
        if (use == Use.BIND && zero(addr, 8, 16)) {
            byte[] lo = addr.clone();
            lo[23] = 1; // ::1
            return lo;
        }
        if (use == Use.BIND && mapped(addr) && zero(addr, 20, 4)) {
            byte[] lo = addr.clone();
            lo[20] = 127; // ::ffff:0.0.0.0 becomes ::ffff:127.0.0.1
            lo[23] = 1;
            return lo;
        }
        throw refused(use, "IPv6 address");
    }

    /**
     * The loopback address (port 0) to bind an unbound socket of {@code socketFamily} to
     * before the kernel would bind it to the wildcard, or null when this policy leaves
     * it alone.  {@code peer} is the destination about to be used (null for listen): an
     * AF_INET6 socket sending to a v4-mapped peer needs a v4-mapped source.
     */
    public byte[] implicitBind(int socketFamily, byte[] peer) {
        if (this != LOOPBACK) return null;
        if (socketFamily == AF_INET) {
            return new byte[] {(byte) AF_INET, 0, 0, 0, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        }
        if (socketFamily != AF_INET6) return null;
        byte[] a = new byte[28];
        a[0] = (byte) AF_INET6;
        if (peer != null && peer.length >= 24 && family(peer) == AF_INET6 && mapped(peer)) {
            a[18] = (byte) 0xff;
            a[19] = (byte) 0xff;
            a[20] = 127;
        }
        a[23] = 1;
        return a;
    }

    private static int family(byte[] addr) {
        return (addr[0] & 0xFF) | (addr[1] & 0xFF) << 8;
    }

    private static ErrnoException refused(Use use, String what) {
        if (use == Use.BIND) {
            return new ErrnoException(Errno.EADDRNOTAVAIL, "network policy loopback: bind to " + what);
        }
        return new ErrnoException(Errno.ENETUNREACH, "network policy loopback: peer " + what);
    }

    /** ::1 or ::ffff:127.x.y.z (the address starts at byte 8 of a sockaddr_in6). */
    private static boolean loopback6(byte[] a) {
        if (zero(a, 8, 15) && a[23] == 1) return true;
        return mapped(a) && a[20] == 127;
    }

    private static boolean mapped(byte[] a) {
        return zero(a, 8, 10) && a[18] == (byte) 0xff && a[19] == (byte) 0xff;
    }

    private static boolean zero(byte[] a, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (a[i] != 0) return false;
        }
        return true;
    }

    private static String ipv4(byte[] a, int at) {
        return (a[at] & 0xFF) + "." + (a[at + 1] & 0xFF) + "." + (a[at + 2] & 0xFF) + "." + (a[at + 3] & 0xFF);
    }
}
