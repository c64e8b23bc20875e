package org.azalea.json;

import java.util.List;
import java.util.Map;

/**
 * JSON text of maps, lists, strings, numbers, booleans and null (the
 * evaluation's results.json), and the one string quoting every JSON writer
 * here uses (also cli's streaming JsonWriter).
 */
public final class Json {
    private Json() {}

    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, int depth) {
        switch (v) {
            case null -> b.append("null");
            case String s -> quote(b, s);
            case Boolean x -> b.append(x);
            case Double d -> b.append(Double.isFinite(d) ? Double.toString(round(d)) : "null");
            case Float f -> write(b, f.doubleValue(), depth);
            case Number n -> b.append(n.longValue());
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(first ? "\n" : ",\n").append("  ".repeat(depth + 1));
                    first = false;
                    quote(b, String.valueOf(e.getKey()));
                    b.append(": ");
                    write(b, e.getValue(), depth + 1);
                }
                if (!first) b.append('\n').append("  ".repeat(depth));
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                boolean first = true;
                for (Object e : l) {
                    b.append(first ? "\n" : ",\n").append("  ".repeat(depth + 1));
                    first = false;
                    write(b, e, depth + 1);
                }
                if (!first) b.append('\n').append("  ".repeat(depth));
                b.append(']');
            }
            default -> quote(b, v.toString());
        }
    }

    /** Six significant digits are more than any of these measurements carries. */
    private static double round(double d) {
        if (d == 0) return 0;
        return Double.parseDouble(String.format("%.6g", d));
    }

    /** Appends {@code s} as a JSON string: quotes, backslash escapes, control characters as \\u. */
    public static void quote(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
