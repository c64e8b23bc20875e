package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;
import static org.azalea.host.LinuxNet.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.azalea.host.Errno;
import org.azalea.host.LinuxLayouts;
import org.azalea.ring.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets on the loopback between two instances, each with its own dispatcher. */
class SocketCallsTest {
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    @TempDir
    Path root;

    Guest server;
    Guest client;
    ExecutorService worker = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        server = new Guest(root, Stdio.discard(), "server");
        client = new Guest(root, Stdio.discard(), "client");
    }

    @AfterEach
    void stop() throws Exception {
        worker.shutdownNow();
        assertTrue(worker.awaitTermination(10, TimeUnit.SECONDS));
        server.close();
        client.close();
    }

    /** A listening TCP socket of {@code g} on 127.0.0.1; returns {fd, port}. */
    static long[] listen(Guest g, int flags) {
        long fd = g.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM | flags, 0);
        assertTrue(fd >= 0, "socket " + fd);
        assertEquals(0, g.call(AZ_OP_SETSOCKOPT(), fd, SOL_SOCKET, SO_REUSEADDR, g.intCell(1), 4));
        assertEquals(0, g.call(AZ_OP_BIND(), fd, g.sockaddrIn(LOOPBACK, 0), 16));
        assertEquals(0, g.call(AZ_OP_LISTEN(), fd, 8));
        long name = g.alloc(16);
        assertEquals(0, g.call(AZ_OP_GETSOCKNAME(), fd, name, g.intCell(16)));
        return new long[] {fd, g.port(name)};
    }

    /** A TCP connection from client to server: {serverSideFd, clientFd}. */
    long[] connectedPair() throws Exception {
        long[] l = listen(server, 0);
        Request accept = Guest.req(AZ_OP_ACCEPT(), l[0], 0, 0);
        assertTrue(server.sys.mayBlock(accept));
        Future<Long> accepted = worker.submit(() -> server.sys.dispatch(accept));
        Thread.sleep(50); // let accept block first
        long c = client.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0);
        Request connect = Guest.req(AZ_OP_CONNECT(), c, client.sockaddrIn(LOOPBACK, (int) l[1]), 16);
        assertTrue(client.sys.mayBlock(connect));
        assertEquals(0, client.sys.dispatch(connect));
        long s = accepted.get(10, TimeUnit.SECONDS);
        assertTrue(s >= 0, "accept " + s);
        return new long[] {s, c};
    }

    @Test
    void tcpAcceptBlocksOnAWorkerWhileTheOtherInstanceConnects() throws Exception {
        long[] p = connectedPair();
        long s = p[0];
        long c = p[1];
        long peer = server.alloc(16);
        long local = client.alloc(16);
        assertEquals(0, server.call(AZ_OP_GETPEERNAME(), s, peer, server.intCell(16)));
        assertEquals(0, client.call(AZ_OP_GETSOCKNAME(), c, local, client.intCell(16)));
        assertEquals(client.port(local), server.port(peer));

        assertEquals(4, client.call(AZ_OP_WRITE(), c, client.str("ping"), 4));
        long buf = server.alloc(16);
        assertEquals(4, server.call(AZ_OP_RECVFROM(), s, buf, 16, 0, 0, 0));
        assertEquals("ping", server.string(buf, 4));
        assertEquals(4, server.call(AZ_OP_SENDTO(), s, server.str("pong"), 4, 0, 0, 0));
        long cbuf = client.alloc(16);
        assertEquals(4, client.call(AZ_OP_READ(), c, cbuf, 16));
        assertEquals("pong", client.string(cbuf, 4));

        assertEquals(0, client.call(AZ_OP_SHUTDOWN(), c, SHUT_WR));
        assertEquals(0, server.call(AZ_OP_READ(), s, buf, 16), "EOF after the peer's shutdown");
        assertEquals(0, server.call(AZ_OP_CLOSE(), s));
        assertEquals(0, client.call(AZ_OP_READ(), c, cbuf, 16));
        long w = 0;
        for (int i = 0; i < 100 && w >= 0; i++) w = client.call(AZ_OP_WRITE(), c, client.str("x"), 1);
        assertTrue(
                w == -Errno.EPIPE || w == -Errno.ECONNRESET,
                "writing to a closed peer: " + w + " (and no SIGPIPE takes the JVM down)");
    }

    @Test
    void aBlockingReadWaitsForData() throws Exception {
        long[] p = connectedPair();
        long buf = server.alloc(16);
        Request read = Guest.req(AZ_OP_READ(), p[0], buf, 16);
        assertTrue(server.sys.mayBlock(read));
        Future<Long> r = worker.submit(() -> server.sys.dispatch(read));
        Thread.sleep(100);
        assertFalse(r.isDone(), "nothing to read yet");
        assertEquals(5, client.call(AZ_OP_WRITE(), p[1], client.str("later"), 5));
        assertEquals(5, r.get(10, TimeUnit.SECONDS));
        assertEquals("later", server.string(buf, 5));
    }

    @Test
    void aBlockingWriteLargerThanTheSocketBuffersWritesItAll() throws Exception {
        long[] p = connectedPair();
        // Small buffers (the kernel doubles these) so that one write needs many rounds of waiting.
        assertEquals(0, client.call(AZ_OP_SETSOCKOPT(), p[1], SOL_SOCKET, SO_SNDBUF, client.intCell(32 * 1024), 4));
        assertEquals(0, server.call(AZ_OP_SETSOCKOPT(), p[0], SOL_SOCKET, SO_RCVBUF, server.intCell(32 * 1024), 4));
        int size = 512 * 1024;
        byte[] pattern = new byte[size];
        new java.util.Random(42).nextBytes(pattern);
        long out = client.bytes(pattern);
        Future<Long> w = worker.submit(() -> client.call(AZ_OP_WRITE(), p[1], out, size));
        long in = server.alloc(size);
        long got = 0;
        while (got < size) {
            long n = server.call(AZ_OP_READ(), p[0], in + got, Math.min(8192, size - got));
            assertTrue(n > 0, "read " + n);
            got += n;
        }
        assertEquals(size, w.get(30, TimeUnit.SECONDS), "one blocking write, all of it");
        assertArrayEquals(client.read(out, size), server.read(in, size));
    }

    @Test
    void nonBlockingSocketsSayEagainAndEinprogress() throws Exception {
        long[] l = listen(server, SOCK_NONBLOCK);
        assertEquals(-Errno.EAGAIN, server.call(AZ_OP_ACCEPT4(), l[0], 0, 0, SOCK_NONBLOCK));
        long c = client.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        long res = client.call(AZ_OP_CONNECT(), c, client.sockaddrIn(LOOPBACK, (int) l[1]), 16);
        assertTrue(res == 0 || res == -Errno.EINPROGRESS, "connect " + res);
        long pfd = client.alloc(8);
        client.setInt(pfd, (int) c);
        client.setShort(pfd + 4, POLLOUT);
        assertEquals(1, client.call(AZ_OP_POLL(), pfd, 1, 5000));
        long err = client.intCell(-1);
        assertEquals(0, client.call(AZ_OP_GETSOCKOPT(), c, SOL_SOCKET, SO_ERROR, err, client.intCell(4)));
        assertEquals(0, client.getInt(err));

        long spfd = server.alloc(8);
        server.setInt(spfd, (int) l[0]);
        server.setShort(spfd + 4, POLLIN);
        assertEquals(1, server.call(AZ_OP_POLL(), spfd, 1, 5000), "a pending connection");
        long s = server.call(AZ_OP_ACCEPT4(), l[0], 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
        assertTrue(s >= 0);
        assertEquals(FD_CLOEXEC, server.call(AZ_OP_FCNTL(), s, F_GETFD));
        assertEquals(O_NONBLOCK, server.call(AZ_OP_FCNTL(), s, F_GETFL) & O_NONBLOCK);
        long buf = server.alloc(8);
        assertEquals(-Errno.EAGAIN, server.call(AZ_OP_READ(), s, buf, 8));
        assertFalse(server.sys.mayBlock(Guest.req(AZ_OP_POLL(), spfd, 1, 0)));
        assertEquals(0, server.call(AZ_OP_POLL(), server.alloc(8), 0, 0), "nothing to poll");
        assertEquals(0, server.call(AZ_OP_FCNTL(), s, F_SETFL, 0), "now blocking for the guest");
        assertEquals(-Errno.EAGAIN, server.call(AZ_OP_RECVFROM(), s, buf, 8, MSG_DONTWAIT, 0, 0));
    }

    @Test
    void connectionRefusedAndNotConnected() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        long c = client.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0);
        assertEquals(-Errno.ECONNREFUSED, client.call(AZ_OP_CONNECT(), c, client.sockaddrIn(LOOPBACK, port), 16));
        long d = client.call(AZ_OP_SOCKET(), AF_INET, SOCK_STREAM, 0);
        assertEquals(-Errno.ENOTCONN, client.call(AZ_OP_GETPEERNAME(), d, client.alloc(16), client.intCell(16)));
    }

    @Test
    void udpWithAddressesAndMessages() {
        long a = server.call(AZ_OP_SOCKET(), AF_INET, SOCK_DGRAM, 0);
        assertEquals(0, server.call(AZ_OP_BIND(), a, server.sockaddrIn(LOOPBACK, 0), 16));
        long name = server.alloc(16);
        assertEquals(0, server.call(AZ_OP_GETSOCKNAME(), a, name, server.intCell(16)));
        int port = server.port(name);
        long b = client.call(AZ_OP_SOCKET(), AF_INET, SOCK_DGRAM, 0);
        assertEquals(
                5, client.call(AZ_OP_SENDTO(), b, client.str("hello"), 5, 0, client.sockaddrIn(LOOPBACK, port), 16));

        long buf = server.alloc(16);
        long from = server.alloc(16);
        long fromLen = server.intCell(16);
        assertEquals(5, server.call(AZ_OP_RECVFROM(), a, buf, 16, MSG_PEEK, from, fromLen));
        assertEquals(5, server.call(AZ_OP_RECVFROM(), a, buf, 16, 0, from, fromLen));
        assertEquals("hello", server.string(buf, 5));
        assertEquals(16, server.getInt(fromLen));
        long bname = client.alloc(16);
        assertEquals(0, client.call(AZ_OP_GETSOCKNAME(), b, bname, client.intCell(16)));
        assertEquals(client.port(bname), server.port(from));
        assertEquals(-Errno.EAGAIN, server.call(AZ_OP_RECVFROM(), a, buf, 16, MSG_DONTWAIT, 0, 0));

        // sendmsg with two iovecs and a name; recvmsg scattering into two buffers.
        long msg = client.alloc(LinuxLayouts.MSGHDR.byteSize());
        client.setLong(msg + LinuxLayouts.MSG_NAME, client.sockaddrIn(LOOPBACK, port));
        client.setInt(msg + LinuxLayouts.MSG_NAMELEN, 16);
        client.setLong(msg + LinuxLayouts.MSG_IOV, client.iovec(client.str("ab"), 2, client.str("cde"), 3));
        client.setLong(msg + LinuxLayouts.MSG_IOVLEN, 2);
        assertEquals(5, client.call(AZ_OP_SENDMSG(), b, msg, 0));
        long rmsg = server.alloc(LinuxLayouts.MSGHDR.byteSize());
        long x = server.alloc(3);
        long y = server.alloc(8);
        long rname = server.alloc(32);
        server.setLong(rmsg + LinuxLayouts.MSG_NAME, rname);
        server.setInt(rmsg + LinuxLayouts.MSG_NAMELEN, 32);
        server.setLong(rmsg + LinuxLayouts.MSG_IOV, server.iovec(x, 3, y, 8));
        server.setLong(rmsg + LinuxLayouts.MSG_IOVLEN, 2);
        server.setInt(rmsg + LinuxLayouts.MSG_FLAGS, -1);
        assertEquals(5, server.call(AZ_OP_RECVMSG(), a, rmsg, 0));
        assertEquals("abc", server.string(x, 3));
        assertEquals("de", server.string(y, 2));
        assertEquals(16, server.getInt(rmsg + LinuxLayouts.MSG_NAMELEN));
        assertEquals(client.port(bname), server.port(rname));
        assertEquals(0, server.getInt(rmsg + LinuxLayouts.MSG_FLAGS));
    }

    @Test
    void tcpOverIpv6Loopback() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            Assumptions.assumeTrue(probe.isBound());
        } catch (java.io.IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e);
        }
        byte[] v6loop = new byte[16];
        v6loop[15] = 1;
        long l = server.call(AZ_OP_SOCKET(), AF_INET6, SOCK_STREAM, 0);
        assertEquals(0, server.call(AZ_OP_SETSOCKOPT(), l, IPPROTO_IPV6, IPV6_V6ONLY, server.intCell(1), 4));
        assertEquals(0, server.call(AZ_OP_BIND(), l, server.sockaddrIn6(v6loop, 0), 28));
        assertEquals(0, server.call(AZ_OP_LISTEN(), l, 4));
        long name = server.alloc(28);
        long nameLen = server.intCell(28);
        assertEquals(0, server.call(AZ_OP_GETSOCKNAME(), l, name, nameLen));
        assertEquals(28, server.getInt(nameLen));
        long c = client.call(AZ_OP_SOCKET(), AF_INET6, SOCK_STREAM, 0);
        assertEquals(0, client.call(AZ_OP_CONNECT(), c, client.sockaddrIn6(v6loop, server.port(name)), 28));
        long peer = server.alloc(8);
        long peerLen = server.intCell(8);
        long s = server.call(AZ_OP_ACCEPT(), l, peer, peerLen);
        assertTrue(s >= 0);
        assertEquals(28, server.getInt(peerLen), "the full length, though only 8 bytes were copied");
        assertEquals(AF_INET6, server.getShort(peer));
        assertEquals(2, client.call(AZ_OP_WRITE(), c, client.str("v6"), 2));
        long buf = server.alloc(4);
        assertEquals(2, server.call(AZ_OP_READ(), s, buf, 4));
        assertEquals("v6", server.string(buf, 2));
    }

    @Test
    void unixSocketsLiveInsideTheRoot() throws Exception {
        Files.createDirectory(root.resolve("run"));
        assertEquals(0, server.call(AZ_OP_CHDIR(), server.str("/run")));
        long l = server.call(AZ_OP_SOCKET(), AF_UNIX, SOCK_STREAM, 0);
        assertEquals(0, server.call(AZ_OP_BIND(), l, server.sockaddrUn("srv.sock"), Guest.sunLen("srv.sock")));
        assertTrue(Files.exists(root.resolve("run/srv.sock")), "bound relative to the cwd, inside the root");
        assertEquals(
                -Errno.EADDRINUSE,
                server.call(
                        AZ_OP_BIND(),
                        server.call(AZ_OP_SOCKET(), AF_UNIX, SOCK_STREAM, 0),
                        server.sockaddrUn("srv.sock"),
                        Guest.sunLen("srv.sock")));
        assertEquals(0, server.call(AZ_OP_LISTEN(), l, 4));
        long name = server.alloc(110);
        long nameLen = server.intCell(110);
        assertEquals(0, server.call(AZ_OP_GETSOCKNAME(), l, name, nameLen));
        assertEquals(Guest.sunLen("srv.sock"), server.getInt(nameLen));
        assertEquals("srv.sock", server.cString(name + 2), "the guest's own name, not the host path");

        long c = client.call(AZ_OP_SOCKET(), AF_UNIX, SOCK_STREAM, 0);
        String path = "/run/srv.sock";
        assertEquals(0, client.call(AZ_OP_CONNECT(), c, client.sockaddrUn(path), Guest.sunLen(path)));
        long s = server.call(AZ_OP_ACCEPT(), l, server.alloc(110), server.intCell(110));
        assertTrue(s >= 0);
        long peer = client.alloc(110);
        assertEquals(0, client.call(AZ_OP_GETPEERNAME(), c, peer, client.intCell(110)));
        assertEquals(path, client.cString(peer + 2));
        assertEquals(3, client.call(AZ_OP_WRITE(), c, client.str("uds"), 3));
        long buf = server.alloc(4);
        assertEquals(3, server.call(AZ_OP_READ(), s, buf, 4));
        assertEquals("uds", server.string(buf, 3));

        long abstractName = client.alloc(110);
        client.setShort(abstractName, (short) AF_UNIX);
        client.at(abstractName + 3, 3).copyFrom(java.lang.foreign.MemorySegment.ofArray("abs".getBytes()));
        long d = client.call(AZ_OP_SOCKET(), AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(
                -Errno.EAFNOSUPPORT, client.call(AZ_OP_BIND(), d, abstractName, 6), "abstract names are host-wide");
        assertEquals(-Errno.EAFNOSUPPORT, client.call(AZ_OP_BIND(), d, abstractName, 2), "autobind too");
    }

    @Test
    void socketOptionsAndReceiveTimeout() throws Exception {
        long[] p = connectedPair();
        long v = server.intCell(0);
        long len = server.intCell(4);
        assertEquals(0, server.call(AZ_OP_SETSOCKOPT(), p[0], IPPROTO_TCP, TCP_NODELAY, server.intCell(1), 4));
        assertEquals(0, server.call(AZ_OP_GETSOCKOPT(), p[0], IPPROTO_TCP, TCP_NODELAY, v, len));
        assertEquals(1, server.getInt(v));
        assertEquals(0, server.call(AZ_OP_GETSOCKOPT(), p[0], SOL_SOCKET, SO_TYPE, v, len));
        assertEquals(SOCK_STREAM, server.getInt(v));
        long tv = server.alloc(16);
        server.setLong(tv, 0);
        server.setLong(tv + 8, 150_000); // 150 ms
        assertEquals(0, server.call(AZ_OP_SETSOCKOPT(), p[0], SOL_SOCKET, SO_RCVTIMEO, tv, 16));
        long t0 = System.nanoTime();
        assertEquals(-Errno.EAGAIN, server.call(AZ_OP_READ(), p[0], server.alloc(4), 4), "SO_RCVTIMEO expired");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 140 && ms < 5000, "waited " + ms + " ms");
        long small = server.intCell(2);
        assertEquals(0, server.call(AZ_OP_GETSOCKOPT(), p[0], SOL_SOCKET, SO_RCVTIMEO, tv, small));
        assertEquals(2, server.getInt(small), "truncated to the guest's length");
    }
}
