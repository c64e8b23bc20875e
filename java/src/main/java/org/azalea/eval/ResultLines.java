package org.azalea.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/** The programs' "PREFIX key=value key=value" result lines, read from untrusted output. */
final class ResultLines {
    private ResultLines() {}

    /** The last line starting with {@code prefix}, as a map; null when there is none. */
    static Map<String, String> last(String output, String prefix) {
        Map<String, String> found = null;
        for (String line : output.split("\n")) {
            line = line.strip();
            if (line.startsWith(prefix)) found = fields(line.substring(prefix.length()));
        }
        return found;
    }

    /** Every line starting with {@code prefix}, as maps, in order. */
    static java.util.List<Map<String, String>> all(String output, String prefix) {
        java.util.List<Map<String, String>> found = new java.util.ArrayList<>();
        for (String line : output.split("\n")) {
            line = line.strip();
            if (line.startsWith(prefix)) found.add(fields(line.substring(prefix.length())));
        }
        return found;
    }

    static Map<String, String> fields(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String word : text.trim().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) kv.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return kv;
    }
}
