package org.azalea.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Outcomes of repetitions into points: medians with min and max, checksums compared, failures kept. */
final class Aggregate {
    private Aggregate() {}

    static List<Point> points(List<Outcome> outcomes, int hostCpus) {
        Map<String, List<Outcome>> groups = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            Task t = o.task();
            if (t.kind() != Task.Kind.AIM7) continue;
            String key = t.figure() + "/" + o.system() + "/" + t.workload() + "/" + t.users() + "/" + t.cores();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
        }
        List<Point> points = new ArrayList<>();
        for (List<Outcome> g : groups.values()) {
            Task t = g.get(0).task();
            String system = g.get(0).system();
            List<Double> jpm = new ArrayList<>();
            List<Double> jti = new ArrayList<>();
            String checksum = null, error = null;
            double load = 0;
            for (Outcome o : g) {
                load = Math.max(load, o.loadAverage());
                // On Azalea, Fig. 5's users ran in one instance per part of the split.
                int parts = o.system().equals("azalea") && t.figure().equals("fig5")
                        ? Split.of(t.users(), t.cores(), 3).size()
                        : 1;
                Aim7Result r = o.ok() ? Aim7Result.parseRun(o.output(), parts) : null;
                if (r == null) {
                    if (error == null)
                        error = "rep " + (o.task().rep() + 1) + ": " + (o.ok() ? "no result line" : o.failure());
                    continue;
                }
                if (checksum == null) checksum = r.checksumHex();
                else if (!checksum.equals(r.checksumHex()) && error == null)
                    error = "checksums differ between repetitions: " + checksum + ", " + r.checksumHex();
                jpm.add(r.jpm());
                jti.add(r.jti());
            }
            // Busy vCPUs: an instance's cores, the guest's pinned CPUs; natively the users' threads.
            int busy = system.equals("native") ? t.users() : t.cores();
            points.add(new Point(
                    t.figure(),
                    system,
                    t.workload(),
                    t.users(),
                    t.cores(),
                    median(jpm),
                    jpm.isEmpty() ? 0 : jpm.stream().mapToDouble(d -> d).min().orElse(0),
                    jpm.isEmpty() ? 0 : jpm.stream().mapToDouble(d -> d).max().orElse(0),
                    jpm.size(),
                    busy > hostCpus,
                    checksum,
                    median(jti),
                    load,
                    error));
        }
        return points;
    }

    static List<CallPoint> calls(List<Outcome> outcomes) {
        Map<String, List<Map<String, Double>>> bySystem = new LinkedHashMap<>();
        Map<String, Integer> callsOf = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (o.task().kind() != Task.Kind.CALLS) continue;
            Map<String, Double> ns = o.ok() ? CallCosts.parse(o.output()) : null;
            List<Map<String, Double>> list = bySystem.computeIfAbsent(o.system(), k -> new ArrayList<>());
            if (ns != null) list.add(ns);
            callsOf.put(o.system(), Integer.parseInt(o.task().args().get(1)));
        }
        List<CallPoint> out = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Double>>> e : bySystem.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            for (String op : CallCosts.OPS) {
                List<Double> v = e.getValue().stream().map(m -> m.get(op)).toList();
                out.add(new CallPoint(
                        e.getKey(),
                        op,
                        median(v),
                        v.stream().mapToDouble(d -> d).min().orElse(0),
                        v.stream().mapToDouble(d -> d).max().orElse(0),
                        v.size(),
                        callsOf.get(e.getKey())));
            }
        }
        return out;
    }

    static List<NoisePoint> noise(List<Outcome> outcomes) {
        List<NoisePoint> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.task().kind() != Task.Kind.NOISE) continue;
            NoiseResult r = o.ok() ? NoiseResult.parse(o.output()) : null;
            out.add(new NoisePoint(
                    o.system(),
                    o.mode(),
                    r,
                    o.loadAverage(),
                    r != null ? null : o.ok() ? "no result line" : o.failure()));
        }
        return out;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) return 0;
        double[] v = values.stream().mapToDouble(d -> d).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
