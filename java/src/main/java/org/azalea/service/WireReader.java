package org.azalea.service;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a payload in the protocol's encoding.  The payload comes from another
 * process: every read is bounds-checked, every length is checked against what
 * is left before anything is allocated, and a payload must be read exactly to
 * its end ({@link #end}).  Any violation is a {@link ProtocolException} that
 * names the value.
 */
public final class WireReader {
    private final ByteBuffer buf;

    public WireReader(byte[] payload) {
        this.buf = ByteBuffer.wrap(payload);
    }

    private void need(int n, String what) throws ProtocolException {
        if (buf.remaining() < n) {
            throw new ProtocolException(what + ": needs " + n + " bytes, " + buf.remaining() + " left in the payload");
        }
    }

    public int u8() throws ProtocolException {
        need(1, "u8");
        return buf.get() & 0xff;
    }

    public boolean bool() throws ProtocolException {
        int v = u8();
        if (v > 1) throw new ProtocolException("boolean byte " + v);
        return v == 1;
    }

    public int i32() throws ProtocolException {
        need(4, "i32");
        return buf.getInt();
    }

    public long i64() throws ProtocolException {
        need(8, "i64");
        return buf.getLong();
    }

    /** A length or count in [0, max], each element taking at least {@code minElementBytes}. */
    public int count(int max, int minElementBytes, String what) throws ProtocolException {
        int n = i32();
        if (n < 0 || n > max) throw new ProtocolException(what + ": count " + n + " outside 0.." + max);
        if ((long) n * minElementBytes > buf.remaining()) {
            throw new ProtocolException(what + ": count " + n + " does not fit the " + buf.remaining() + " bytes left");
        }
        return n;
    }

    public String string(int maxBytes, String what) throws ProtocolException {
        int n = count(maxBytes, 1, what);
        ByteBuffer slice = buf.slice(buf.position(), n);
        buf.position(buf.position() + n);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(what + ": not UTF-8");
        }
    }

    public List<String> strings(int maxCount, int maxBytes, String what) throws ProtocolException {
        int n = count(maxCount, 4, what);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(string(maxBytes, what));
        return out;
    }

    public int[] ints(int maxCount, String what) throws ProtocolException {
        int n = count(maxCount, 4, what);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i32();
        return out;
    }

    /** Fails unless the whole payload was read. */
    public void end() throws ProtocolException {
        if (buf.hasRemaining())
            throw new ProtocolException(buf.remaining() + " unexpected bytes at the end of the payload");
    }
}
