package org.azalea.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the flat one-line JSON objects the C benchmarks print: name to number. */
public final class JsonFigures {
    private static final Pattern PAIR = Pattern.compile("\"([A-Za-z0-9_]+)\"\\s*:\\s*(-?[0-9.eE+-]+)");

    private JsonFigures() {}

    public static Map<String, Double> parse(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = PAIR.matcher(text);
        while (m.find()) out.put(m.group(1), Double.parseDouble(m.group(2)));
        if (out.isEmpty()) throw new IllegalArgumentException("no figures in benchmark output: " + text.strip());
        return out;
    }
}
