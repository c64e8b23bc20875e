package org.azalea.node;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries guests' doorbell kicks to their proxies.  A guest cannot FUTEX_WAKE
 * a sleeping proxy; instead (AZ_FEATURE_PORT_KICK) it writes its region's
 * kick value to an I/O port, where QEMU's isa-debugcon device forwards the
 * byte to a Unix socket.  This thread reads those bytes and rings the named
 * region's doorbell.  Kicks happen only when a proxy asked for one before
 * sleeping, so this path is cold while the proxies are busy.
 */
final class GuestKicks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GuestKicks.class);
    /** An I/O port nothing on QEMU's pc machine uses. */
    static final int PORT = 0x520;

    static final int MAX_REGIONS = 256; // one byte names the region

    private final Path socket;
    private final AtomicReferenceArray<Runnable> doorbells = new AtomicReferenceArray<>(MAX_REGIONS);
    private volatile SocketChannel channel;
    private volatile boolean closed;
    private Thread reader;

    GuestKicks(Path socket) {
        this.socket = socket;
    }

    /** The QEMU arguments that create the kick port and its socket. */
    List<String> qemuArgs() {
        return List.of(
                "-chardev",
                "socket,id=azkick,path=" + socket + ",server=on,wait=off",
                "-device",
                "isa-debugcon,iobase=0x" + Integer.toHexString(PORT) + ",chardev=azkick");
    }

    /** Connects to QEMU's socket (it appears shortly after QEMU starts) and starts reading. */
    void connect(Process qemu, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Files.exists(socket)) {
                try {
                    channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) throw e;
                }
            }
            if (!qemu.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("QEMU's kick socket " + socket + " did not appear");
            }
            Thread.sleep(2);
        }
        reader = Thread.ofPlatform().daemon().name("azalea-node-kicks").start(this::readLoop);
    }

    /** Claims a free kick value, atomically, for {@code doorbell} (what ringing it does); -1 when all are taken. */
    int claim(Runnable doorbell) {
        for (int i = 0; i < MAX_REGIONS; i++) {
            if (doorbells.compareAndSet(i, null, doorbell)) return i;
        }
        return -1;
    }

    void unregister(int value) {
        doorbells.set(value, null);
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(256);
        try {
            while (!closed && channel.read(buf.clear()) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    Runnable ring = doorbells.get(Byte.toUnsignedInt(buf.get()));
                    if (ring != null) ring.run();
                }
            }
        } catch (IOException e) {
            if (!closed) log.warn("guest kick socket failed: {}; proxies fall back to timed re-polls", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // closing: nothing more to read
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // QEMU removes it too
        }
    }
}
