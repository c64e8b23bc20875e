package org.azalea.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one benchmark run: metric name to number, printed as a table
 * and written as one JSON object ({@code build/bench/results.json}).
 */
public final class BenchReport {
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    public void put(String name, double value) {
        metrics.put(name, value);
    }

    public void note(String name, String text) {
        notes.put(name, text);
    }

    public Double get(String name) {
        return metrics.get(name);
    }

    public Map<String, Double> metrics() {
        return Map.copyOf(metrics);
    }

    public String toJson() {
        StringBuilder b = new StringBuilder("{\n");
        int i = 0;
        for (var e : metrics.entrySet()) {
            b.append("  \"").append(e.getKey()).append("\": ").append(format(e.getValue()));
            b.append(++i < metrics.size() ? ",\n" : "\n");
        }
        return b.append("}\n").toString();
    }

    public String toTable() {
        StringBuilder b = new StringBuilder();
        int width = metrics.keySet().stream().mapToInt(String::length).max().orElse(10);
        for (var e : metrics.entrySet()) {
            b.append(String.format(Locale.ROOT, "%-" + width + "s  %14s", e.getKey(), format(e.getValue())));
            String note = notes.get(e.getKey());
            if (note != null) b.append("  ").append(note);
            b.append('\n');
        }
        return b.toString();
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toJson());
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
