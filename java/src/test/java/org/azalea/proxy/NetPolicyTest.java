package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.azalea.host.LinuxNet.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LinuxLayouts;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.proxy.instance.NetPolicy.Use;
import org.azalea.proxy.net.NameLookup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-instance network policy: the address rules on their own, then the same
 * rules through a real proxy over real host sockets (wildcard bind rewritten,
 * implicit binds kept on loopback, non-loopback peers refused, none refusing sockets).
 */
class NetPolicyTest {
    private static final byte[] LO = {127, 0, 0, 1};
    private static final byte[] LO_OTHER = {127, 5, 6, 7};
    private static final byte[] ANY = {0, 0, 0, 0};
    private static final byte[] TEST_NET = {(byte) 192, 0, 2, 1}; // RFC 5737: never routed
    private static final byte[] V6_LO = v6(0, 1);
    private static final byte[] V6_ANY = new byte[16];
    private static final byte[] V6_DOC = v6(0x2001_0db8, 1); // RFC 3849

    @TempDir
    Path root;

    private static byte[] v6(int high, int low) {
        byte[] a = new byte[16];
        a[0] = (byte) (high >>> 24);
        a[1] = (byte) (high >>> 16);
        a[2] = (byte) (high >>> 8);
        a[3] = (byte) high;
        a[15] = (byte) low;
        return a;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        System.arraycopy(v4, 0, a, 12, 4);
        return a;
    }

    private static byte[] in(int family, byte[] addr4, int port) {
        byte[] s = new byte[16];
        s[0] = (byte) family;
        s[2] = (byte) (port >>> 8);
        s[3] = (byte) port;
        System.arraycopy(addr4, 0, s, 4, 4);
        return s;
    }

    private static byte[] in6(byte[] addr16, int port) {
        byte[] s = new byte[28];
        s[0] = (byte) AF_INET6;
        s[2] = (byte) (port >>> 8);
        s[3] = (byte) port;
        System.arraycopy(addr16, 0, s, 8, 16);
        return s;
    }

    private static int errno(NetPolicy p, Use use, byte[] addr, int socketFamily) {
        try {
            p.check(use, addr, socketFamily);
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    @Test
    void loopbackAllowsOnlyLoopbackPeers() throws ErrnoException {
        NetPolicy p = NetPolicy.LOOPBACK;
        for (Use use : new Use[] {Use.CONNECT, Use.SEND}) {
            assertEquals(0, errno(p, use, in(AF_INET, LO, 80), AF_INET));
            assertEquals(0, errno(p, use, in(AF_INET, LO_OTHER, 80), AF_INET));
            assertEquals(0, errno(p, use, in6(V6_LO, 80), AF_INET6));
            assertEquals(0, errno(p, use, in6(mapped(LO), 80), AF_INET6));
            assertEquals(Errno.ENETUNREACH, errno(p, use, in(AF_INET, TEST_NET, 80), AF_INET));
            assertEquals(Errno.ENETUNREACH, errno(p, use, in(AF_INET, ANY, 80), AF_INET));
            assertEquals(Errno.ENETUNREACH, errno(p, use, in6(V6_DOC, 80), AF_INET6));
            assertEquals(Errno.ENETUNREACH, errno(p, use, in6(mapped(TEST_NET), 80), AF_INET6));
            assertEquals(Errno.ENETUNREACH, errno(p, use, in6(V6_ANY, 80), AF_INET6));
            // An AF_INET6 datagram socket sends to AF_INET addresses: judged by the address's family.
            assertEquals(Errno.ENETUNREACH, errno(p, use, in(AF_INET, TEST_NET, 80), AF_INET6));
        }
        // sendto reads an AF_UNSPEC address as AF_INET; connect(AF_UNSPEC) only dissolves an association.
        assertEquals(Errno.ENETUNREACH, errno(p, Use.SEND, in(AF_UNSPEC, TEST_NET, 53), AF_INET));
        assertEquals(0, errno(p, Use.CONNECT, in(AF_UNSPEC, TEST_NET, 53), AF_INET));
        assertEquals(Errno.EAFNOSUPPORT, errno(p, Use.SEND, in(AF_UNIX, LO, 53), AF_INET));
        // The guest's array is passed through unchanged when allowed.
        byte[] a = in(AF_INET, LO, 80);
        assertSame(a, p.check(Use.CONNECT, a, AF_INET));
    }

    @Test
    void loopbackRewritesWildcardBindsAndRefusesOtherAddresses() throws ErrnoException {
        NetPolicy p = NetPolicy.LOOPBACK;
        assertArrayEquals(in(AF_INET, LO, 8080), p.check(Use.BIND, in(AF_INET, ANY, 8080), AF_INET));
        // bind(AF_UNSPEC, 0.0.0.0) is a wildcard bind in Linux: it becomes AF_INET 127.0.0.1.
        assertArrayEquals(in(AF_INET, LO, 8080), p.check(Use.BIND, in(AF_UNSPEC, ANY, 8080), AF_INET));
        assertArrayEquals(in6(V6_LO, 8080), p.check(Use.BIND, in6(V6_ANY, 8080), AF_INET6));
        assertArrayEquals(in6(mapped(LO), 8080), p.check(Use.BIND, in6(mapped(ANY), 8080), AF_INET6));
        assertEquals(0, errno(p, Use.BIND, in(AF_INET, LO_OTHER, 0), AF_INET));
        assertEquals(Errno.EADDRNOTAVAIL, errno(p, Use.BIND, in(AF_INET, TEST_NET, 0), AF_INET));
        assertEquals(Errno.EADDRNOTAVAIL, errno(p, Use.BIND, in6(V6_DOC, 0), AF_INET6));
        assertEquals(Errno.EINVAL, errno(p, Use.BIND, new byte[] {(byte) AF_INET6, 0, 0, 0, 0, 0, 0, 0}, AF_INET6));
    }

    @Test
    void hostPassesEverythingAndNoneRefusesIpSockets() throws ErrnoException {
        byte[] a = in(AF_INET, TEST_NET, 80);
        assertSame(a, NetPolicy.HOST.check(Use.CONNECT, a, AF_INET));
        byte[] any = in(AF_INET, ANY, 80);
        assertSame(any, NetPolicy.HOST.check(Use.BIND, any, AF_INET));
        assertEquals(
                Errno.EACCES,
                assertThrows(ErrnoException.class, () -> NetPolicy.NONE.checkSocket(AF_INET))
                        .errno());
        assertEquals(
                Errno.EACCES,
                assertThrows(ErrnoException.class, () -> NetPolicy.NONE.checkSocket(AF_INET6))
                        .errno());
        NetPolicy.NONE.checkSocket(AF_UNIX);
        assertEquals(NetPolicy.NONE, NetPolicy.parse("None"));
        assertEquals(NetPolicy.LOOPBACK, NetPolicy.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> NetPolicy.parse("internet"));
    }

    @Test
    void theProxyBindsWildcardOnLoopbackAndRefusesOtherPeers() throws Exception {
        try (Guest g = new Guest(root, NetPolicy.LOOPBACK)) {
            long l = g.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0);
            assertTrue(l >= 0, "socket: " + l);
            assertEquals(0, g.call(AZ_OP_BIND(), l, g.sockaddrIn(ANY, 0), 16));
            long name = g.alloc(16);
            assertEquals(0, g.call(AZ_OP_GETSOCKNAME(), l, name, g.intCell(16)));
            assertArrayEquals(LO, g.read(name + 4, 4), "getsockname shows the loopback the bind was moved to");

            long c = g.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0);
            assertEquals(-Errno.ENETUNREACH, g.call(AZ_OP_CONNECT(), c, g.sockaddrIn(TEST_NET, 80), 16));
            assertEquals(-Errno.EADDRNOTAVAIL, g.call(AZ_OP_BIND(), c, g.sockaddrIn(TEST_NET, 0), 16));

            // listen on an unbound socket: Linux would bind 0.0.0.0; the proxy binds loopback first.
            long u = g.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0);
            assertEquals(0, g.call(AZ_OP_LISTEN(), u, 4));
            long uname = g.alloc(16);
            assertEquals(0, g.call(AZ_OP_GETSOCKNAME(), u, uname, g.intCell(16)));
            assertArrayEquals(LO, g.read(uname + 4, 4));
            assertNotEquals(0, g.port(uname));

            // sendto from an unbound datagram socket: the implicit bind is loopback too.
            long d = g.call(AZ_OP_SOCKET(), AF_INET, SOCK_DGRAM, 0);
            assertEquals(
                    -Errno.ENETUNREACH, g.call(AZ_OP_SENDTO(), d, g.str("x"), 1, 0, g.sockaddrIn(TEST_NET, 9), 16));
            assertEquals(1, g.call(AZ_OP_SENDTO(), d, g.str("x"), 1, 0, g.sockaddrIn(LO, g.port(name)), 16));
            // 0.0.0.0 as a destination reaches the host itself in Linux, whatever its routes (see the host test).
            assertEquals(-Errno.ENETUNREACH, g.call(AZ_OP_SENDTO(), d, g.str("x"), 1, 0, g.sockaddrIn(ANY, 9), 16));
            long dname = g.alloc(16);
            assertEquals(0, g.call(AZ_OP_GETSOCKNAME(), d, dname, g.intCell(16)));
            assertArrayEquals(LO, g.read(dname + 4, 4));

            // sendmsg carries its address in the msghdr: the same rules, and the same implicit bind.
            long m = g.call(AZ_OP_SOCKET(), AF_INET, SOCK_DGRAM, 0);
            long msg = g.alloc(LinuxLayouts.MSGHDR.byteSize());
            g.setLong(msg + LinuxLayouts.MSG_NAME, g.sockaddrIn(TEST_NET, 9));
            g.setInt(msg + LinuxLayouts.MSG_NAMELEN, 16);
            g.setLong(msg + LinuxLayouts.MSG_IOV, g.iovec(g.str("ab"), 2));
            g.setLong(msg + LinuxLayouts.MSG_IOVLEN, 1);
            assertEquals(-Errno.ENETUNREACH, g.call(AZ_OP_SENDMSG(), m, msg, 0));
            g.setLong(msg + LinuxLayouts.MSG_NAME, g.sockaddrIn(LO, g.port(name)));
            assertEquals(2, g.call(AZ_OP_SENDMSG(), m, msg, 0));
            long mname = g.alloc(16);
            assertEquals(0, g.call(AZ_OP_GETSOCKNAME(), m, mname, g.intCell(16)));
            assertArrayEquals(LO, g.read(mname + 4, 4));

            long s6 = g.call(AZ_OP_SOCKET(), AF_INET6, SOCK_DGRAM, 0);
            Assumptions.assumeTrue(s6 >= 0, "no IPv6 on this host");
            assertEquals(-Errno.ENETUNREACH, g.call(AZ_OP_CONNECT(), s6, g.sockaddrIn6(V6_DOC, 53), 28));
            assertEquals(0, g.call(AZ_OP_BIND(), s6, g.sockaddrIn6(V6_ANY, 0), 28));
            long name6 = g.alloc(28);
            assertEquals(0, g.call(AZ_OP_GETSOCKNAME(), s6, name6, g.intCell(28)));
            assertArrayEquals(V6_LO, g.read(name6 + 8, 16), "a wildcard :: bind lands on ::1");
        }
    }

    @Test
    void theProxyUnderNoneRefusesIpSocketsButNotUnixOnes() throws Exception {
        try (Guest g = new Guest(root, NetPolicy.NONE)) {
            assertEquals(-Errno.EACCES, g.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0));
            assertEquals(-Errno.EACCES, g.call(AZ_OP_SOCKET(), AF_INET6, SOCK_DGRAM, 0));
            assertTrue(g.call(AZ_OP_SOCKET(), AF_UNIX, SOCK_STREAM, 0) >= 0);
            long out = g.alloc(NameLookup.HOSTENT.byteSize());
            assertEquals(
                    -Errno.EACCES,
                    g.call(AZ_OP_GETHOSTBYNAME(), g.str("localhost"), AF_INET, out, NameLookup.HOSTENT.byteSize()));
        }
        try (Guest g = new Guest(root, NetPolicy.LOOPBACK)) {
            long out = g.alloc(NameLookup.HOSTENT.byteSize());
            assertTrue(
                    g.call(AZ_OP_GETHOSTBYNAME(), g.str("localhost"), AF_INET, out, NameLookup.HOSTENT.byteSize()) > 0);
        }
    }

    @Test
    void theProxyUnderHostKeepsTheWildcard() throws Exception {
        try (Guest g = new Guest(root, NetPolicy.HOST)) {
            long l = g.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0);
            assertEquals(0, g.call(AZ_OP_BIND(), l, g.sockaddrIn(ANY, 0), 16));
            long name = g.alloc(16);
            assertEquals(0, g.call(AZ_OP_GETSOCKNAME(), l, name, g.intCell(16)));
            assertArrayEquals(ANY, g.read(name + 4, 4));
            // What loopback refuses, host lets through: 0.0.0.0 as a destination is this host.
            long d = g.call(AZ_OP_SOCKET(), AF_INET, SOCK_DGRAM, 0);
            assertEquals(1, g.call(AZ_OP_SENDTO(), d, g.str("x"), 1, 0, g.sockaddrIn(ANY, g.port(name)), 16));
        }
    }
}
