package org.azalea.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames over a real Unix socket: whole frames both ways, and every malformed frame refused before its payload is read. */
class FrameChannelTest {
    @TempDir
    Path dir;

    ServerSocketChannel server;
    SocketChannel raw;
    FrameChannel reader;

    @BeforeEach
    void connect() throws Exception {
        Path sock = dir.resolve("t.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(sock));
        raw = SocketChannel.open(UnixDomainSocketAddress.of(sock));
        reader = new FrameChannel(server.accept());
    }

    @AfterEach
    void close() throws Exception {
        reader.close();
        raw.close();
        server.close();
    }

    private void send(byte[] bytes) throws Exception {
        raw.write(ByteBuffer.wrap(bytes));
    }

    private static byte[] header(int type, int length) {
        return ByteBuffer.allocate(5).put((byte) type).putInt(length).array();
    }

    @Test
    void framesRoundTripAndACleanCloseIsNull() throws Exception {
        FrameChannel writer = new FrameChannel(raw);
        writer.write(Protocol.Type.STDOUT, "hello".getBytes());
        writer.write(Protocol.Type.STDIN_EOF);
        Frame a = reader.read(), b = reader.read();
        assertEquals(Protocol.Type.STDOUT, a.type());
        assertArrayEquals("hello".getBytes(), a.payload());
        assertEquals(Protocol.Type.STDIN_EOF, b.type());
        assertEquals(0, b.payload().length);
        raw.close();
        assertNull(reader.read());
    }

    @Test
    void unknownTypesAndOversizedLengthsAreRefusedBeforeThePayload() throws Exception {
        send(header(0xee, 0));
        assertTrue(
                assertThrows(ProtocolException.class, reader::read).getMessage().contains("unknown frame type 0xee"));
    }

    @Test
    void aLengthOverTheTypesLimitIsRefused() throws Exception {
        send(header(Protocol.Type.KILL.code, 9)); // KILL carries 8 bytes
        assertTrue(
                assertThrows(ProtocolException.class, reader::read).getMessage().contains("KILL frame of 9 bytes"));
    }

    @Test
    void aNegativeLengthIsRefused() throws Exception {
        send(header(Protocol.Type.RUN.code, -1));
        assertTrue(
                assertThrows(ProtocolException.class, reader::read).getMessage().contains("4294967295 bytes"));
    }

    @Test
    void aFrameCutShortIsAnError() throws Exception {
        send(header(Protocol.Type.STDOUT.code, 10));
        send(new byte[4]);
        raw.shutdownOutput();
        assertThrows(EOFException.class, reader::read);
    }

    @Test
    void aHeaderCutShortIsAnError() throws Exception {
        send(new byte[] {(byte) Protocol.Type.STDOUT.code, 0});
        raw.shutdownOutput();
        assertThrows(EOFException.class, reader::read);
    }

    @Test
    void writersRefuseOversizedPayloads() {
        FrameChannel writer = new FrameChannel(raw);
        assertThrows(
                IllegalArgumentException.class,
                () -> writer.write(Protocol.Type.STDIN, new byte[Protocol.MAX_CHUNK + 1]));
    }

    @Test
    void errorsCarryTheirCodeAndMessage() throws Exception {
        new FrameChannel(raw).error(Protocol.ErrorCode.BUSY, "no quadrant has 4 cores free");
        ServiceException e = FrameChannel.decodeError(reader.read());
        assertEquals(Protocol.ErrorCode.BUSY, e.code());
        assertEquals("no quadrant has 4 cores free", e.getMessage());
    }
}
