package org.azalea.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.azalea.memory.Partition;
import org.azalea.proxy.instance.InstanceIdentity;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.ring.Request;

/**
 * A test instance: guest memory (shared arena memory seen as a partition at
 * guest-physical {@link #BASE}, far from 0 so GPA/offset mix-ups fail), a bump
 * allocator of guest addresses, and the instance's {@link HostSyscalls}.  The
 * one place tests build requests and put strings and structs into guest memory.
 */
final class Guest implements AutoCloseable {
    static final long BASE = 0x1_0000_0000L;
    static final long SIZE = 1 << 20;

    private static final AtomicLong IDS = new AtomicLong();

    final Arena arena = Arena.ofShared();
    final MemorySegment memory = arena.allocate(SIZE, 4096);
    final Partition partition = Partition.of(BASE, memory);
    final HostSyscalls sys;
    private long next = BASE + 64; // GPA BASE itself stays unused

    Guest(Path root) throws IOException {
        this(root, Stdio.discard(), "guest");
    }

    Guest(Path root, Stdio stdio, String hostname) throws IOException {
        this(root, stdio, hostname, NetPolicy.DEFAULT);
    }

    Guest(Path root, NetPolicy net) throws IOException {
        this(root, Stdio.discard(), "guest", net);
    }

    Guest(Path root, Stdio stdio, String hostname, NetPolicy net) throws IOException {
        sys = new HostSyscalls(partition, root, stdio, new InstanceIdentity(hostname, "0.1.0-test"), net);
    }

    /** Dispatches opcode {@code op} with {@code args} (missing ones are 0). */
    long call(int op, long... args) {
        return sys.dispatch(req(op, args));
    }

    static Request req(int op, long... a) {
        long[] x = java.util.Arrays.copyOf(a, 6);
        return new Request(IDS.incrementAndGet(), op, 0, x[0], x[1], x[2], x[3], x[4], x[5]);
    }

    /** {@code bytes} of fresh zeroed guest memory, 16-aligned; returns its GPA. */
    long alloc(long bytes) {
        long gpa = next;
        next = (next + bytes + 15) & ~15L;
        if (next > BASE + SIZE) throw new IllegalStateException("test guest memory exhausted");
        at(gpa, bytes).fill((byte) 0);
        return gpa;
    }

    /** A NUL-terminated UTF-8 string in guest memory. */
    long str(String s) {
        return bytes((s + "\0").getBytes(UTF_8));
    }

    long bytes(byte[] b) {
        long gpa = alloc(b.length);
        MemorySegment.copy(b, 0, memory, ValueLayout.JAVA_BYTE, gpa - BASE, b.length);
        return gpa;
    }

    /** Guest memory at [gpa, gpa + len), for tests to read and write directly. */
    MemorySegment at(long gpa, long len) {
        return memory.asSlice(gpa - BASE, len);
    }

    byte[] read(long gpa, long len) {
        return at(gpa, len).toArray(ValueLayout.JAVA_BYTE);
    }

    String string(long gpa, long len) {
        return new String(read(gpa, len), UTF_8);
    }

    /** The NUL-terminated string at {@code gpa}. */
    String cString(long gpa) {
        return at(gpa, BASE + SIZE - gpa).getString(0, UTF_8);
    }

    long getLong(long gpa) {
        return memory.get(ValueLayout.JAVA_LONG_UNALIGNED, gpa - BASE);
    }

    int getInt(long gpa) {
        return memory.get(ValueLayout.JAVA_INT_UNALIGNED, gpa - BASE);
    }

    short getShort(long gpa) {
        return memory.get(ValueLayout.JAVA_SHORT_UNALIGNED, gpa - BASE);
    }

    void setLong(long gpa, long v) {
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, gpa - BASE, v);
    }

    void setInt(long gpa, int v) {
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, gpa - BASE, v);
    }

    void setShort(long gpa, short v) {
        memory.set(ValueLayout.JAVA_SHORT_UNALIGNED, gpa - BASE, v);
    }

    /** An int in guest memory holding {@code v} (an addrlen, an option value...). */
    long intCell(int v) {
        long gpa = alloc(4);
        setInt(gpa, v);
        return gpa;
    }

    /** A guest iovec array over (gpa, len) pairs. */
    long iovec(long... baseLen) {
        long gpa = alloc(baseLen.length * 8L);
        for (int i = 0; i < baseLen.length; i++) setLong(gpa + 8L * i, baseLen[i]);
        return gpa;
    }

    /** struct sockaddr_in for 127.0.0.1 (or any 4-byte address) and a port. */
    long sockaddrIn(byte[] addr4, int port) {
        long gpa = alloc(16);
        setShort(gpa, (short) 2);
        at(gpa + 2, 2).set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0, (short) port);
        MemorySegment.copy(addr4, 0, memory, ValueLayout.JAVA_BYTE, gpa + 4 - BASE, 4);
        return gpa;
    }

    /** struct sockaddr_in6 for an address and a port. */
    long sockaddrIn6(byte[] addr16, int port) {
        long gpa = alloc(28);
        setShort(gpa, (short) 10);
        at(gpa + 2, 2).set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0, (short) port);
        MemorySegment.copy(addr16, 0, memory, ValueLayout.JAVA_BYTE, gpa + 8 - BASE, 16);
        return gpa;
    }

    /** struct sockaddr_un for a path; returns the GPA (length: {@link #sunLen}). */
    long sockaddrUn(String path) {
        byte[] p = path.getBytes(UTF_8);
        long gpa = alloc(110);
        setShort(gpa, (short) 1);
        MemorySegment.copy(p, 0, memory, ValueLayout.JAVA_BYTE, gpa + 2 - BASE, p.length);
        return gpa;
    }

    static long sunLen(String path) {
        return 2 + path.getBytes(UTF_8).length + 1;
    }

    /** The port of a sockaddr_in/in6 at {@code gpa} (network byte order). */
    int port(long gpa) {
        return Short.toUnsignedInt(
                at(gpa + 2, 2).get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0));
    }

    @Override
    public void close() {
        sys.close();
        if (arena.scope().isAlive()) arena.close(); // a test may have closed it, as an instance's end does
    }
}
