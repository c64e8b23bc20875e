package org.azalea.proxy.net;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.azalea.host.LinuxNet.AF_INET;
import static org.azalea.host.LinuxNet.AF_INET6;
import static org.azalea.host.LinuxNet.AF_UNIX;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcSockets;
import org.azalea.host.Linux;
import org.azalea.host.LinuxLayouts;
import org.azalea.host.LinuxNet;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.proxy.instance.OpenFile;
import org.azalea.proxy.instance.PathResolver;

/**
 * Socket addresses between guest and host.  Inbound (bind, connect, sendto) the
 * guest's sockaddr is copied once into native memory and checked.  AF_UNIX path
 * names are resolved inside the instance's root, like every other path: bind
 * creates the socket through {@code /proc/self/fd/<in-root parent>/<name>},
 * connect and sendto reach it through {@code /proc/self/fd/<in-root O_PATH fd>}.
 * Abstract and autobound AF_UNIX names are a host-wide namespace shared by all
 * instances, so they are refused with EAFNOSUPPORT.  Outbound (accept,
 * getsockname, getpeername, recvfrom) the host's answer is truncated to the
 * guest's buffer, with the full length stored, as Linux does; AF_UNIX answers
 * show the name the guest itself used, or an unnamed address.
 */
final class SockAddrs {
    private SockAddrs() {}

    /** A guest address in host form; holds the O_PATH fd an AF_UNIX host path goes through. */
    record HostAddr(MemorySegment addr, int len, int heldFd, byte[] guestBytes) implements AutoCloseable {
        static final HostAddr NONE = new HostAddr(MemorySegment.NULL, 0, -1, null);

        @Override
        public void close() {
            if (heldFd >= 0) LibcIo.close(heldFd);
        }
    }

    /**
     * The guest's sockaddr at {@code gpa} (length {@code len}) for a socket of {@code file}.
     *
     * <p>IP addresses pass the instance's {@link NetPolicy}, which may refuse them or
     * (a wildcard bind under loopback) put a loopback address in their place.
     *
     * @param use BIND creates an AF_UNIX name; CONNECT and SEND reach an existing one
     */
    static HostAddr in(InstanceState s, OpenFile file, long gpa, long len, NetPolicy.Use use, Arena arena)
            throws ErrnoException {
        boolean creating = use == NetPolicy.Use.BIND;
        if (len < 2 || len > LinuxLayouts.SOCKADDR_STORAGE_SIZE) {
            throw new ErrnoException(Errno.EINVAL, "socket address length " + len);
        }
        byte[] bytes = s.guest().object(gpa, len).toArray(ValueLayout.JAVA_BYTE); // the one read
        int family = (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8;
        boolean unixSocket = file.family() == AF_UNIX || file.family() == 0;
        if (family == AF_UNIX && unixSocket) return unix(s, bytes, creating, arena);
        // Anything else goes to the host as the policy allows: the kernel checks it against the socket's family.
        byte[] host = s.net().check(use, bytes, file.family());
        MemorySegment addr = arena.allocate(host.length, 8);
        MemorySegment.copy(host, 0, addr, ValueLayout.JAVA_BYTE, 0, host.length);
        return new HostAddr(addr, host.length, -1, bytes);
    }

    private static HostAddr unix(InstanceState s, byte[] bytes, boolean creating, Arena arena) throws ErrnoException {
        int end = LinuxNet.SUN_PATH_OFFSET;
        while (end < bytes.length && bytes[end] != 0) end++;
        if (end == LinuxNet.SUN_PATH_OFFSET) {
            throw new ErrnoException(
                    Errno.EAFNOSUPPORT,
                    "abstract or autobind AF_UNIX address: shared by all " + "instances on the host, so not offered");
        }
        String path = new String(bytes, LinuxNet.SUN_PATH_OFFSET, end - LinuxNet.SUN_PATH_OFFSET, ISO_8859_1);
        String abs = s.absolute(Linux.AT_FDCWD, path);
        int held;
        String hostPath;
        if (creating) {
            PathResolver.Entry e = s.paths().entry(abs);
            if (e.selfOrParent()) {
                e.close();
                throw new ErrnoException(Errno.EADDRINUSE, "AF_UNIX bind to the root, . or ..");
            }
            held = e.dirFd();
            hostPath = PathResolver.procPath(held) + "/" + e.name();
        } else {
            held = s.paths().resolve(abs, true);
            hostPath = PathResolver.procPath(held);
        }
        byte[] host = hostPath.getBytes(ISO_8859_1);
        if (LinuxNet.SUN_PATH_OFFSET + host.length + 1 > LinuxNet.SOCKADDR_UN_SIZE) {
            LibcIo.close(held);
            throw new ErrnoException(Errno.ENAMETOOLONG, "AF_UNIX name " + path + " too long as host path " + hostPath);
        }
        int len = LinuxNet.SUN_PATH_OFFSET + host.length + 1;
        MemorySegment addr = arena.allocate(LinuxNet.SOCKADDR_UN_SIZE, 8);
        addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(host, 0, addr, ValueLayout.JAVA_BYTE, LinuxNet.SUN_PATH_OFFSET, host.length);
        return new HostAddr(addr, len, held, bytes);
    }

    /**
     * Where an outbound address goes: the guest's (addr, *addrlen), both checked
     * before the host call so that writing them afterwards cannot fail.
     */
    static final class Out {
        private final MemorySegment guestAddr;
        private final MemorySegment guestLenCell;
        private final int guestLen;
        final MemorySegment hostAddr;
        final MemorySegment hostLen;

        private Out(
                MemorySegment guestAddr,
                MemorySegment guestLenCell,
                int guestLen,
                MemorySegment hostAddr,
                MemorySegment hostLen) {
            this.guestAddr = guestAddr;
            this.guestLenCell = guestLenCell;
            this.guestLen = guestLen;
            this.hostAddr = hostAddr;
            this.hostLen = hostLen;
        }

        /** For (addrGpa, addrlenGpa); a NULL addrGpa asks for no address. */
        static Out prepare(InstanceState s, long addrGpa, long lenGpa, Arena arena) throws ErrnoException {
            if (addrGpa == 0) return new Out(null, null, 0, MemorySegment.NULL, MemorySegment.NULL);
            MemorySegment lenCell = s.guest().object(lenGpa, 4);
            int guestLen = lenCell.get(ValueLayout.JAVA_INT_UNALIGNED, 0); // the one read of *addrlen
            if (guestLen < 0) throw new ErrnoException(Errno.EINVAL, "socket address buffer length " + guestLen);
            MemorySegment guestAddr = s.guest().buffer(addrGpa, guestLen);
            MemorySegment hostLen = arena.allocate(ValueLayout.JAVA_INT);
            hostLen.set(ValueLayout.JAVA_INT, 0, LinuxLayouts.SOCKADDR_STORAGE_SIZE);
            return new Out(
                    guestAddr, lenCell, guestLen, arena.allocate(LinuxLayouts.SOCKADDR_STORAGE_SIZE, 8), hostLen);
        }

        /** For recvmsg: the address buffer and its length come from a msghdr already copied. */
        static Out ofLength(InstanceState s, long addrGpa, int guestLen, Arena arena) throws ErrnoException {
            if (addrGpa == 0 || guestLen <= 0) return new Out(null, null, 0, MemorySegment.NULL, MemorySegment.NULL);
            MemorySegment hostLen = arena.allocate(ValueLayout.JAVA_INT);
            hostLen.set(ValueLayout.JAVA_INT, 0, LinuxLayouts.SOCKADDR_STORAGE_SIZE);
            return new Out(
                    s.guest().buffer(addrGpa, guestLen),
                    null,
                    guestLen,
                    arena.allocate(LinuxLayouts.SOCKADDR_STORAGE_SIZE, 8),
                    hostLen);
        }

        boolean wanted() {
            return guestAddr != null;
        }

        /**
         * Copies the host's answer out; an AF_UNIX answer is replaced by {@code unixName}
         * (the guest's own spelling) or an unnamed address.  Returns the full length.
         */
        int finish(byte[] unixName) {
            if (guestAddr == null) return 0;
            int len = Math.min(hostLen.get(ValueLayout.JAVA_INT, 0), LinuxLayouts.SOCKADDR_STORAGE_SIZE);
            byte[] answer = hostAddr.asSlice(0, Math.max(len, 0)).toArray(ValueLayout.JAVA_BYTE);
            if (len >= 2 && hostAddr.get(ValueLayout.JAVA_SHORT, 0) == AF_UNIX) {
                answer = unixName != null ? unixName : new byte[] {(byte) AF_UNIX, 0};
            }
            MemorySegment.copy(answer, 0, guestAddr, ValueLayout.JAVA_BYTE, 0, Math.min(answer.length, guestLen));
            if (guestLenCell != null) guestLenCell.set(ValueLayout.JAVA_INT_UNALIGNED, 0, answer.length);
            return answer.length;
        }
    }

    /**
     * Binds host socket {@code h} to the policy's loopback address if it is an IP socket
     * not bound yet, so that the kernel's implicit bind (listen, sendto on an unbound
     * datagram socket) cannot land on the wildcard address.  {@code peer}: the guest's
     * destination, or null.
     */
    static void bindIfUnbound(InstanceState s, OpenFile file, int h, byte[] peer) throws ErrnoException {
        byte[] lo = s.net().implicitBind(file.family(), peer);
        if (lo == null) return;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(LinuxLayouts.SOCKADDR_STORAGE_SIZE, 8);
            MemorySegment nameLen = arena.allocate(ValueLayout.JAVA_INT);
            nameLen.set(ValueLayout.JAVA_INT, 0, LinuxLayouts.SOCKADDR_STORAGE_SIZE);
            long res = LibcSockets.getsockname(h, name, nameLen);
            if (res < 0) throw new ErrnoException((int) -res, "getsockname of host fd " + h);
            if (name.get(ValueLayout.JAVA_SHORT, 2) != 0) return; // a port: already bound
            MemorySegment addr = arena.allocate(lo.length, 8);
            MemorySegment.copy(lo, 0, addr, ValueLayout.JAVA_BYTE, 0, lo.length);
            res = LibcSockets.bind(h, addr, lo.length);
            // EINVAL: bound (or connected) meanwhile by another guest thread; the kernel keeps that binding.
            if (res < 0 && res != -Errno.EINVAL) throw new ErrnoException((int) -res, "loopback bind of host fd " + h);
        }
    }

    /** True for the families an instance may create sockets in. */
    static boolean offered(int family) {
        return family == AF_UNIX || family == AF_INET || family == AF_INET6;
    }
}
