package org.azalea.proxy.instance;

import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.Linux;
import org.azalea.host.LinuxLayouts;

/**
 * What a guest fd refers to, shared by every guest fd dup'ed from one open
 * (Linux's "open file description"): the guest's O_NONBLOCK lives here, as in
 * Linux, so F_SETFL on one dup is seen by the others.
 */
public final class OpenFile {
    /** What the host fd is, from its st_mode: decides how a blocking request waits. */
    public enum Kind {
        REGULAR,
        DIRECTORY,
        SOCKET,
        PIPE,
        CHAR_DEVICE,
        OTHER,
        /** An eventfd, timerfd or epoll set the proxy created (anonymous inodes): reads wait for events. */
        EVENT,
        /** A Java OutputStream (stdout/stderr bound by the caller); no host fd. */
        OUTPUT_STREAM;

        /** The kind of a host fd whose st_mode is {@code mode}. */
        public static Kind ofMode(int mode) {
            return switch (mode & Linux.S_IFMT) {
                case Linux.S_IFREG -> REGULAR;
                case Linux.S_IFDIR -> DIRECTORY;
                case Linux.S_IFSOCK -> SOCKET;
                case Linux.S_IFIFO -> PIPE;
                case Linux.S_IFCHR -> CHAR_DEVICE;
                default -> OTHER;
            };
        }
    }

    /** The kind of an open host fd, from fstat's st_mode. */
    public static Kind kindOf(int hostFd) throws ErrnoException {
        try (Scratch arena = Scratch.open()) {
            MemorySegment st = arena.allocate(LinuxLayouts.STAT);
            long res = LibcIo.fstatat(hostFd, PathResolver.EMPTY, st, Linux.AT_EMPTY_PATH);
            if (res < 0) throw new ErrnoException((int) -res, "fstat of host fd " + hostFd);
            return Kind.ofMode(st.get(ValueLayout.JAVA_INT, LinuxLayouts.STAT_MODE));
        }
    }

    private final Kind kind;
    private final boolean foreign;
    private final boolean inRoot;
    private final String dirPath;
    private final OutputStream out;
    private final int family;
    private volatile boolean nonBlocking;
    private volatile long recvTimeoutMs = -1;
    private volatile long sendTimeoutMs = -1;
    private volatile byte[] unixLocalName;
    private volatile byte[] unixPeerName;
    private volatile int clockId;

    private OpenFile(
            Kind kind,
            boolean foreign,
            boolean inRoot,
            String dirPath,
            OutputStream out,
            int family,
            boolean nonBlocking) {
        this.kind = kind;
        this.foreign = foreign;
        this.inRoot = inRoot;
        this.dirPath = dirPath;
        this.out = out;
        this.family = family;
        this.nonBlocking = nonBlocking;
    }

    /** A file the guest opened inside its root; {@code dirPath} is its in-root path when it is a directory. */
    public static OpenFile opened(Kind kind, String dirPath, boolean nonBlocking) {
        return new OpenFile(kind, false, true, dirPath, null, 0, nonBlocking);
    }

    /** A socket the proxy created for the guest. */
    public static OpenFile socket(int family, boolean nonBlocking) {
        return new OpenFile(Kind.SOCKET, false, false, null, null, family, nonBlocking);
    }

    /** A pipe end the proxy created (e.g. the stdin pump's): ours, so it is kept non-blocking on the host. */
    public static OpenFile pipe() {
        return pipe(false);
    }

    /** A pipe end of the guest's pipe2, with the guest's O_NONBLOCK. */
    public static OpenFile pipe(boolean nonBlocking) {
        return new OpenFile(Kind.PIPE, false, false, null, null, 0, nonBlocking);
    }

    /** An eventfd or epoll set the proxy created (non-blocking on the host). */
    public static OpenFile event(boolean nonBlocking) {
        return new OpenFile(Kind.EVENT, false, false, null, null, 0, nonBlocking);
    }

    /** A timerfd on clock {@code clockId} (its absolute times are converted from the instance's clocks). */
    public static OpenFile timer(int clockId, boolean nonBlocking) {
        OpenFile f = event(nonBlocking);
        f.clockId = clockId;
        return f;
    }

    /**
     * A host fd the caller handed in (stdio): its open file description is the
     * caller's too, so the proxy never changes its flags and waits by polling first.
     */
    public static OpenFile foreign(Kind kind) {
        return new OpenFile(kind, true, false, null, null, 0, false);
    }

    /** A Java output stream (stdout/stderr). */
    public static OpenFile outputStream(OutputStream out) {
        return new OpenFile(Kind.OUTPUT_STREAM, false, false, null, out, 0, false);
    }

    public Kind kind() {
        return kind;
    }

    /** True for sockets, pipes and terminals: reads and writes may wait, so they run through {@link Blocking}. */
    public boolean waitable() {
        return kind == Kind.SOCKET || kind == Kind.PIPE || kind == Kind.CHAR_DEVICE || kind == Kind.EVENT;
    }

    /** A timerfd's clock (CLOCK_REALTIME 0, CLOCK_MONOTONIC 1, ...); 0 for anything else. */
    public int clockId() {
        return clockId;
    }

    /** The caller's fd: flags untouched, the host fd may be blocking. */
    public boolean foreign() {
        return foreign;
    }

    /** Opened through the instance's root (so it may be hard-linked back into it). */
    public boolean inRoot() {
        return inRoot;
    }

    /** The in-root path of a directory, or null. */
    public String dirPath() {
        return dirPath;
    }

    /** The Java stream of an {@link Kind#OUTPUT_STREAM}, or null. */
    public OutputStream out() {
        return out;
    }

    /** The socket's address family as the guest created it; 0 when unknown. */
    public int family() {
        return family;
    }

    /** The guest's O_NONBLOCK (the host fd may be non-blocking regardless). */
    public boolean nonBlocking() {
        return nonBlocking;
    }

    public void nonBlocking(boolean value) {
        nonBlocking = value;
    }

    /** SO_RCVTIMEO in milliseconds; -1 for none. */
    public long recvTimeoutMs() {
        return recvTimeoutMs;
    }

    public void recvTimeoutMs(long ms) {
        recvTimeoutMs = ms;
    }

    /** SO_SNDTIMEO in milliseconds; -1 for none. */
    public long sendTimeoutMs() {
        return sendTimeoutMs;
    }

    public void sendTimeoutMs(long ms) {
        sendTimeoutMs = ms;
    }

    /** AF_UNIX: the sockaddr the guest bound to, as it wrote it; null when unbound. */
    public byte[] unixLocalName() {
        return unixLocalName;
    }

    public void unixLocalName(byte[] sockaddr) {
        unixLocalName = sockaddr;
    }

    /** AF_UNIX: the sockaddr the guest connected to, as it wrote it; null when unknown. */
    public byte[] unixPeerName() {
        return unixPeerName;
    }

    public void unixPeerName(byte[] sockaddr) {
        unixPeerName = sockaddr;
    }
}
