package org.azalea.service;

/** One protocol frame: its type and payload (see {@link Protocol}). */
public record Frame(Protocol.Type type, byte[] payload) {
    /** A reader over the payload. */
    public WireReader reader() {
        return new WireReader(payload);
    }

    /** Fails with a protocol error unless this frame has type {@code t}. */
    public Frame expect(Protocol.Type t) throws ProtocolException {
        if (type != t) throw new ProtocolException("expected " + t + ", got " + type);
        return this;
    }
}
