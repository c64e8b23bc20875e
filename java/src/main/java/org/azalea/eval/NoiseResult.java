package org.azalea.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The noise probe's output (eval/programs/noise.c): its detour histogram and the share of time lost. */
record NoiseResult(long samples, double quantumNs, double medianNs, double maxNs, double lost, List<Bucket> buckets) {
    /** Detours of length [loNs, hiNs): how many, and the time they took. */
    record Bucket(double loNs, double hiNs, long count, double timeNs) {}

    static NoiseResult parse(String output) {
        Map<String, String> kv = ResultLines.last(output, "noise: result ");
        if (kv == null) return null;
        try {
            List<Bucket> buckets = new ArrayList<>();
            for (String line : output.split("\n")) {
                line = line.strip();
                if (!line.startsWith("noise: bucket ")) continue;
                String[] f = line.substring("noise: bucket ".length()).split("\\s+");
                if (f.length != 4) return null;
                buckets.add(new Bucket(
                        Double.parseDouble(f[0]),
                        Double.parseDouble(f[1]),
                        Long.parseLong(f[2]),
                        Double.parseDouble(f[3])));
            }
            return new NoiseResult(
                    Long.parseLong(kv.get("samples")),
                    Double.parseDouble(kv.get("quantum_ns")),
                    Double.parseDouble(kv.get("median_ns")),
                    Double.parseDouble(kv.get("max_ns")),
                    Double.parseDouble(kv.get("lost")),
                    List.copyOf(buckets));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
