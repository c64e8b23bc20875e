package org.azalea.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The call-cost probe's output (eval/programs/callcost.c): nanoseconds per call, by call. */
final class CallCosts {
    static final List<String> OPS = List.of("open", "read", "write", "stat", "close");

    private CallCosts() {}

    /** ns per call for every op of {@link #OPS}; null unless all are there. */
    static Map<String, Double> parse(String output) {
        Map<String, Double> ns = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            line = line.strip();
            if (!line.startsWith("callcost: result ")) continue;
            Map<String, String> kv = ResultLines.fields(line.substring("callcost: result ".length()));
            try {
                if (kv.containsKey("op") && OPS.contains(kv.get("op")))
                    ns.put(kv.get("op"), Double.parseDouble(kv.get("ns")));
            } catch (RuntimeException e) {
                return null;
            }
        }
        return ns.keySet().containsAll(OPS) ? ns : null;
    }
}
