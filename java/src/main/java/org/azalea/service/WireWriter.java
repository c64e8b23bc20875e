package org.azalea.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds a payload in the protocol's encoding (see {@link Protocol}). */
public final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public WireWriter u8(int v) {
        out.write(v);
        return this;
    }

    public WireWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public WireWriter i32(int v) {
        for (int s = 24; s >= 0; s -= 8) out.write(v >>> s);
        return this;
    }

    public WireWriter i64(long v) {
        for (int s = 56; s >= 0; s -= 8) out.write((int) (v >>> s));
        return this;
    }

    public WireWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i32(b.length);
        out.writeBytes(b);
        return this;
    }

    public WireWriter strings(List<String> list) {
        i32(list.size());
        for (String s : list) string(s);
        return this;
    }

    public WireWriter ints(int[] values) {
        i32(values.length);
        for (int v : values) i32(v);
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }
}
