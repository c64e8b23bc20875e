package org.azalea.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.azalea.json.Json;

/**
 * Everything an evaluation measured: results.json (environment, points,
 * noise, call costs, boots) and results.csv (the points, one a line).
 */
record Results(
        Map<String, Object> environment,
        List<Point> points,
        List<NoisePoint> noise,
        List<CallPoint> calls,
        Map<String, Object> boots,
        List<String> failures) {
    static final List<String> CSV_COLUMNS = List.of(
            "figure",
            "system",
            "workload",
            "users",
            "cores",
            "jpm",
            "jpm_min",
            "jpm_max",
            "reps",
            "oversubscribed",
            "checksum",
            "jti",
            "load_average",
            "error");

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), Json.write(toJson()));
        StringBuilder csv = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (Point p : points) {
            csv.append(String.join(
                            ",",
                            p.figure(),
                            p.system(),
                            p.workload(),
                            Integer.toString(p.users()),
                            Integer.toString(p.cores()),
                            num(p.jpm()),
                            num(p.jpmMin()),
                            num(p.jpmMax()),
                            Integer.toString(p.reps()),
                            Boolean.toString(p.oversubscribed()),
                            p.checksum() == null ? "" : p.checksum(),
                            num(p.jti()),
                            num(p.loadAverage()),
                            p.error() == null ? "" : '"' + p.error().replace("\"", "'") + '"'))
                    .append('\n');
        }
        Files.writeString(dir.resolve("results.csv"), csv.toString());
    }

    Map<String, Object> toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", environment);
        List<Object> pts = new ArrayList<>();
        for (Point p : points) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("figure", p.figure());
            m.put("system", p.system());
            m.put("workload", p.workload());
            m.put("users", p.users());
            m.put("cores", p.cores());
            m.put("jpm", p.jpm());
            m.put("jpm_min", p.jpmMin());
            m.put("jpm_max", p.jpmMax());
            m.put("reps", p.reps());
            m.put("oversubscribed", p.oversubscribed());
            m.put("checksum", p.checksum());
            m.put("jti", p.jti());
            m.put("load_average", p.loadAverage());
            m.put("error", p.error());
            pts.add(m);
        }
        root.put("points", pts);
        List<Object> noiseJson = new ArrayList<>();
        for (NoisePoint n : noise) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("system", n.system());
            m.put("mode", n.mode());
            NoiseResult r = n.result();
            m.put("samples", r == null ? null : r.samples());
            m.put("quantum_ns", r == null ? null : r.quantumNs());
            m.put("median_ns", r == null ? null : r.medianNs());
            m.put("max_ns", r == null ? null : r.maxNs());
            m.put("lost", r == null ? null : r.lost());
            List<Object> buckets = new ArrayList<>();
            if (r != null) {
                for (NoiseResult.Bucket b : r.buckets()) {
                    Map<String, Object> bm = new LinkedHashMap<>();
                    bm.put("lo_ns", b.loNs());
                    bm.put("hi_ns", b.hiNs() > 1e15 ? null : b.hiNs());
                    bm.put("count", b.count());
                    bm.put("time_ns", b.timeNs());
                    buckets.add(bm);
                }
            }
            m.put("detours", buckets);
            m.put("load_average", n.loadAverage());
            m.put("error", n.error());
            noiseJson.add(m);
        }
        root.put("noise", noiseJson);
        List<Object> callJson = new ArrayList<>();
        for (CallPoint c : calls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("system", c.system());
            m.put("op", c.op());
            m.put("ns", c.ns());
            m.put("ns_min", c.nsMin());
            m.put("ns_max", c.nsMax());
            m.put("reps", c.reps());
            m.put("calls", c.calls());
            callJson.add(m);
        }
        root.put("calls", callJson);
        root.put("boots", boots);
        root.put("failures", failures);
        return root;
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }
}
