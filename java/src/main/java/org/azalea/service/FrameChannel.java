package org.azalea.service;

import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * One end of a control connection: reads and writes whole frames on a
 * blocking socket channel.  Reads happen on one thread; writes may come from
 * several (an instance's stdout and stderr, a kill) and are serialised, so
 * frames never interleave.
 */
public final class FrameChannel implements AutoCloseable {
    private static final int HEADER = 5;

    private final SocketChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    private final Object writeLock = new Object();

    public FrameChannel(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to a service's socket. */
    public static FrameChannel connect(Path socket) throws IOException {
        return new FrameChannel(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    /**
     * The next frame, or null when the other side closed the connection
     * between frames.
     *
     * @throws ProtocolException for an unknown type, a payload over the type's limit, or a truncated frame
     */
    public Frame read() throws IOException {
        header.clear();
        if (!fill(header)) return null;
        header.flip();
        int code = header.get() & 0xff;
        int length = header.getInt();
        Protocol.Type type = Protocol.Type.of(code);
        if (type == null) throw new ProtocolException("unknown frame type 0x" + Integer.toHexString(code));
        if (length < 0 || length > type.maxPayload) {
            throw new ProtocolException(type + " frame of " + Integer.toUnsignedString(length) + " bytes (at most "
                    + type.maxPayload + ")");
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        if (length > 0 && !fill(payload)) throw new ProtocolException("connection closed inside a " + type + " frame");
        return new Frame(type, payload.array());
    }

    /** Reads until {@code b} is full; false at EOF before its first byte. */
    private boolean fill(ByteBuffer b) throws IOException {
        boolean first = true;
        while (b.hasRemaining()) {
            int n = channel.read(b);
            if (n < 0) {
                if (first && b.position() == 0) return false;
                throw new EOFException("connection closed inside a frame");
            }
            first = false;
        }
        return true;
    }

    public void write(Protocol.Type type, byte[] payload) throws IOException {
        if (payload.length > type.maxPayload) {
            throw new IllegalArgumentException(
                    type + " payload of " + payload.length + " bytes exceeds " + type.maxPayload);
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER)
                .put((byte) type.code)
                .putInt(payload.length)
                .flip();
        ByteBuffer p = ByteBuffer.wrap(payload);
        synchronized (writeLock) {
            while (h.hasRemaining() || p.hasRemaining()) channel.write(new ByteBuffer[] {h, p});
        }
    }

    public void write(Protocol.Type type) throws IOException {
        write(type, new byte[0]);
    }

    /** Sends an ERROR frame; the message is cut to the protocol's string limit. */
    public void error(Protocol.ErrorCode code, String message) throws IOException {
        String m = message == null ? "" : message;
        if (m.length() > Protocol.MAX_STRING / 4) m = m.substring(0, Protocol.MAX_STRING / 4);
        write(Protocol.Type.ERROR, new WireWriter().u8(code.ordinal()).string(m).bytes());
    }

    /** The ERROR frame's content as an exception. */
    static ServiceException decodeError(Frame f) throws ProtocolException {
        WireReader r = f.reader();
        Protocol.ErrorCode code = Protocol.ErrorCode.of(r.u8());
        String message = r.string(Protocol.MAX_STRING, "error message");
        r.end();
        return new ServiceException(code, message);
    }

    /**
     * Closes after an error: what the peer already sent is read and dropped
     * first (at most 1 MiB or 1 s), since closing a socket with unread input
     * resets the connection and the peer could lose the ERROR frame before it.
     */
    public void drainAndClose() {
        Deadline deadline = Deadline.closeAfter(this, java.time.Duration.ofSeconds(1));
        try {
            channel.shutdownOutput();
            ByteBuffer sink = ByteBuffer.allocate(8192);
            for (long total = 0; total < (1 << 20); ) {
                int n = channel.read(sink.clear());
                if (n < 0) break;
                total += n;
            }
        } catch (IOException ignored) {
            // closed by the deadline, or the peer is gone: either way we are done
        } finally {
            deadline.close();
        }
        close();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the connection; a thread blocked in {@link #read} gets an exception. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
