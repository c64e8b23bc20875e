package org.azalea.cli;

import org.azalea.json.Json;

/**
 * A minimal streaming JSON writer for `--json` output (no dependency for
 * this much): objects, arrays, strings, numbers, booleans; commas and string
 * escapes handled; pretty-printed two spaces per level.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private int depth;
    private boolean first = true;
    private boolean afterName;

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        return open('[');
    }

    JsonWriter endArray() {
        return close(']');
    }

    JsonWriter name(String n) {
        separate();
        string(n);
        out.append(": ");
        afterName = true;
        return this;
    }

    JsonWriter value(String s) {
        separate();
        if (s == null) out.append("null");
        else string(s);
        return this;
    }

    JsonWriter value(long n) {
        separate();
        out.append(n);
        return this;
    }

    JsonWriter value(double d) {
        separate();
        out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        return this;
    }

    JsonWriter value(boolean b) {
        separate();
        out.append(b);
        return this;
    }

    JsonWriter field(String n, String v) {
        return name(n).value(v);
    }

    JsonWriter field(String n, long v) {
        return name(n).value(v);
    }

    JsonWriter field(String n, boolean v) {
        return name(n).value(v);
    }

    private JsonWriter open(char c) {
        separate();
        out.append(c);
        depth++;
        first = true;
        return this;
    }

    private JsonWriter close(char c) {
        depth--;
        if (!first) newline();
        out.append(c);
        first = false;
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!first) out.append(',');
        if (depth > 0) newline();
        first = false;
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(depth));
    }

    private void string(String s) {
        Json.quote(out, s);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
