package org.azalea.proxy.net;

import static org.azalea.host.LinuxLayouts.MSGHDR;
import static org.azalea.host.LinuxLayouts.MSG_CONTROLLEN;
import static org.azalea.host.LinuxLayouts.MSG_FLAGS;
import static org.azalea.host.LinuxLayouts.MSG_IOV;
import static org.azalea.host.LinuxLayouts.MSG_IOVLEN;
import static org.azalea.host.LinuxLayouts.MSG_NAME;
import static org.azalea.host.LinuxLayouts.MSG_NAMELEN;
import static org.azalea.host.LinuxNet.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcSockets;
import org.azalea.host.Linux;
import org.azalea.proxy.instance.Blocking;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.GuestIovecs;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.ring.Request;

/**
 * Socket data transfer: sendto/recvfrom (send/recv are these with no address)
 * and sendmsg/recvmsg without ancillary data (a control buffer is EOPNOTSUPP:
 * SCM_RIGHTS would carry host fds across, and the guest has no use for the rest).
 * Payload buffers are guest memory, used in place.
 */
public final class SocketIo {
    /** Flags a guest may pass to send*; MSG_NOSIGNAL is always added (the JVM must never see SIGPIPE). */
    private static final int SEND_FLAGS =
            MSG_OOB | MSG_DONTROUTE | MSG_DONTWAIT | MSG_EOR | MSG_NOSIGNAL | MSG_MORE | MSG_CONFIRM;
    /** Flags a guest may pass to recv*. */
    private static final int RECV_FLAGS = MSG_OOB | MSG_PEEK | MSG_DONTWAIT | MSG_WAITALL | MSG_TRUNC;

    private final InstanceState s;

    public SocketIo(InstanceState s) {
        this.s = s;
    }

    /** sendto(fd, buf, len, flags, addr, addrlen). */
    public long sendto(Request r) throws ErrnoException {
        int flags = sendFlags((int) r.a3());
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined();
                SockAddrs.HostAddr a = r.a4() == 0
                        ? SockAddrs.HostAddr.NONE
                        : SockAddrs.in(s, f.file(), r.a4(), r.a5(), NetPolicy.Use.SEND, arena)) {
            int h = f.host(Errno.ENOTSOCK);
            if (a.guestBytes() != null && a.heldFd() < 0) SockAddrs.bindIfUnbound(s, f.file(), h, a.guestBytes());
            MemorySegment buf = s.guest().buffer(r.a1(), r.a2());
            long total = buf.byteSize();
            return s.blocking()
                    .transfer(
                            f,
                            h,
                            Linux.POLLOUT,
                            (flags & MSG_DONTWAIT) != 0 || Blocking.classifiedNonBlocking(r),
                            f.file().sendTimeoutMs(),
                            total,
                            done -> LibcSockets.sendto(h, buf.asSlice(done), total - done, flags, a.addr(), a.len()));
        } finally {
            f.release();
        }
    }

    /** recvfrom(fd, buf, len, flags, addr, addrlen). */
    public long recvfrom(Request r) throws ErrnoException {
        int flags = recvFlags((int) r.a3());
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.ENOTSOCK);
            MemorySegment buf = s.guest().buffer(r.a1(), r.a2());
            SockAddrs.Out out = SockAddrs.Out.prepare(s, r.a4(), r.a5(), arena);
            boolean dontWait = (flags & MSG_DONTWAIT) != 0 || Blocking.classifiedNonBlocking(r);
            int hostFlags = flags & ~MSG_WAITALL; // the host socket is non-blocking: WAITALL is done here
            long n = s.blocking()
                    .call(
                            f,
                            h,
                            Linux.POLLIN,
                            dontWait,
                            f.file().recvTimeoutMs(),
                            () -> LibcSockets.recvfrom(h, buf, buf.byteSize(), hostFlags, out.hostAddr, out.hostLen));
            if (n > 0 && (flags & MSG_WAITALL) != 0 && !dontWait && !f.file().nonBlocking()) {
                n = fill(f, h, buf, n, hostFlags);
            }
            if (n >= 0) out.finish(null);
            return n;
        } finally {
            f.release();
        }
    }

    /** MSG_WAITALL: keep receiving until the buffer is full, EOF, or an error (then the count so far). */
    private long fill(GuestFd f, int h, MemorySegment buf, long got, int hostFlags) {
        while (got < buf.byteSize()) {
            long from = got;
            long n;
            try {
                n = s.blocking()
                        .call(
                                f,
                                h,
                                Linux.POLLIN,
                                false,
                                f.file().recvTimeoutMs(),
                                () -> LibcSockets.recvfrom(
                                        h,
                                        buf.asSlice(from),
                                        buf.byteSize() - from,
                                        hostFlags,
                                        MemorySegment.NULL,
                                        MemorySegment.NULL));
            } catch (ErrnoException e) {
                return got;
            }
            if (n <= 0) return got;
            got += n;
        }
        return got;
    }

    /** sendmsg(fd, msg, flags). */
    public long sendmsg(Request r) throws ErrnoException {
        int flags = sendFlags((int) r.a2());
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.ENOTSOCK);
            MemorySegment msg = copyMsghdr(r.a1(), arena);
            long nameGpa = msg.get(ValueLayout.JAVA_LONG, MSG_NAME);
            int nameLen = msg.get(ValueLayout.JAVA_INT, MSG_NAMELEN);
            try (SockAddrs.HostAddr a = nameGpa == 0 || nameLen == 0
                    ? SockAddrs.HostAddr.NONE
                    : SockAddrs.in(s, f.file(), nameGpa, nameLen, NetPolicy.Use.SEND, arena)) {
                if (a.guestBytes() != null && a.heldFd() < 0) SockAddrs.bindIfUnbound(s, f.file(), h, a.guestBytes());
                GuestIovecs v = s.guest()
                        .iovecs(
                                msg.get(ValueLayout.JAVA_LONG, MSG_IOV),
                                msg.get(ValueLayout.JAVA_LONG, MSG_IOVLEN),
                                arena);
                MemorySegment host = arena.allocate(MSGHDR);
                host.set(ValueLayout.JAVA_LONG, MSG_NAME, a.addr().address());
                host.set(ValueLayout.JAVA_INT, MSG_NAMELEN, a.len());
                return s.blocking()
                        .transfer(
                                f,
                                h,
                                Linux.POLLOUT,
                                (flags & MSG_DONTWAIT) != 0 || Blocking.classifiedNonBlocking(r),
                                f.file().sendTimeoutMs(),
                                v.total(),
                                done -> {
                                    GuestIovecs rest = v.skip(done);
                                    host.set(
                                            ValueLayout.JAVA_LONG,
                                            MSG_IOV,
                                            rest.iov().address());
                                    host.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, rest.count());
                                    return s.guest().onRawAddresses(() -> LibcSockets.sendmsg(h, host, flags));
                                });
            }
        } finally {
            f.release();
        }
    }

    /** recvmsg(fd, msg, flags): msg_namelen, msg_controllen (0) and msg_flags are written back. */
    public long recvmsg(Request r) throws ErrnoException {
        int flags = recvFlags((int) r.a2()) & ~MSG_WAITALL;
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.ENOTSOCK);
            MemorySegment guestMsg = s.guest().object(r.a1(), MSGHDR.byteSize());
            MemorySegment msg = copyMsghdr(r.a1(), arena);
            SockAddrs.Out out = SockAddrs.Out.ofLength(
                    s, msg.get(ValueLayout.JAVA_LONG, MSG_NAME), msg.get(ValueLayout.JAVA_INT, MSG_NAMELEN), arena);
            GuestIovecs v = s.guest()
                    .iovecs(msg.get(ValueLayout.JAVA_LONG, MSG_IOV), msg.get(ValueLayout.JAVA_LONG, MSG_IOVLEN), arena);
            MemorySegment host = arena.allocate(MSGHDR);
            host.set(ValueLayout.JAVA_LONG, MSG_NAME, out.hostAddr.address());
            host.set(ValueLayout.JAVA_INT, MSG_NAMELEN, out.wanted() ? out.hostLen.get(ValueLayout.JAVA_INT, 0) : 0);
            host.set(ValueLayout.JAVA_LONG, MSG_IOV, v.iov().address());
            host.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, v.count());
            long n = s.blocking()
                    .call(
                            f,
                            h,
                            Linux.POLLIN,
                            (flags & MSG_DONTWAIT) != 0 || Blocking.classifiedNonBlocking(r),
                            f.file().recvTimeoutMs(),
                            () -> s.guest().onRawAddresses(() -> LibcSockets.recvmsg(h, host, flags)));
            if (n < 0) return n;
            int nameLen = 0;
            if (out.wanted()) {
                out.hostLen.set(ValueLayout.JAVA_INT, 0, host.get(ValueLayout.JAVA_INT, MSG_NAMELEN));
                nameLen = out.finish(null);
            }
            guestMsg.set(ValueLayout.JAVA_INT_UNALIGNED, MSG_NAMELEN, nameLen);
            guestMsg.set(ValueLayout.JAVA_LONG_UNALIGNED, MSG_CONTROLLEN, 0);
            guestMsg.set(ValueLayout.JAVA_INT_UNALIGNED, MSG_FLAGS, host.get(ValueLayout.JAVA_INT, MSG_FLAGS));
            return n;
        } finally {
            f.release();
        }
    }

    /** The guest's msghdr, copied once; ancillary data is refused. */
    private MemorySegment copyMsghdr(long gpa, Arena arena) throws ErrnoException {
        MemorySegment msg = arena.allocate(MSGHDR);
        MemorySegment.copy(s.guest().object(gpa, MSGHDR.byteSize()), 0, msg, 0, MSGHDR.byteSize());
        long controlLen = msg.get(ValueLayout.JAVA_LONG, MSG_CONTROLLEN);
        if (controlLen != 0) {
            throw new ErrnoException(
                    Errno.EOPNOTSUPP, "ancillary data (msg_controllen " + controlLen + ") is not offered");
        }
        return msg;
    }

    private static int sendFlags(int flags) throws ErrnoException {
        if ((flags & ~SEND_FLAGS) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "send flags 0x" + Integer.toHexString(flags & ~SEND_FLAGS));
        }
        return flags | MSG_NOSIGNAL;
    }

    private static int recvFlags(int flags) throws ErrnoException {
        if ((flags & ~RECV_FLAGS) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "recv flags 0x" + Integer.toHexString(flags & ~RECV_FLAGS));
        }
        return flags;
    }
}
