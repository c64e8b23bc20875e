package org.azalea.eval;

import java.util.List;
import java.util.Map;

/**
 * The last line of an aim7 run ("aim7: result key=value ..."), parsed; and
 * several instances' results combined into one run (the Fig. 5 deployment's
 * users split among unikernels): all their jobs over the slowest one's time,
 * checksums summed (each user's share of the checksum is independent of which
 * process ran it, so the sum equals one process's).
 */
record Aim7Result(int users, long jobs, double seconds, double jpm, double jti, long checksum) {
    static Aim7Result parse(String output) {
        Map<String, String> kv = ResultLines.last(output, "aim7: result ");
        return kv == null ? null : of(kv);
    }

    /**
     * The run's result: one instance's, or every instance's combined when several ran it
     * (their outputs one after the other); null when any result line is broken.
     */
    static Aim7Result parseRun(String output, int expectedParts) {
        List<Aim7Result> parts = new java.util.ArrayList<>();
        for (Map<String, String> kv : ResultLines.all(output, "aim7: result ")) {
            Aim7Result r = of(kv);
            if (r == null) return null;
            parts.add(r);
        }
        return parts.size() == expectedParts ? combine(parts) : null;
    }

    private static Aim7Result of(Map<String, String> kv) {
        try {
            return new Aim7Result(
                    Integer.parseInt(kv.get("users")),
                    Long.parseLong(kv.get("jobs")),
                    Double.parseDouble(kv.get("seconds")),
                    Double.parseDouble(kv.get("jpm")),
                    Double.parseDouble(kv.get("jti")),
                    Long.parseUnsignedLong(kv.get("checksum"), 16));
        } catch (RuntimeException e) {
            return null; // a line with a missing or malformed field is no result
        }
    }

    /** Jobs per minute of the whole: every user's jobs over the real time until the last user finished. */
    static Aim7Result combine(List<Aim7Result> parts) {
        if (parts.size() == 1) return parts.get(0);
        int users = 0;
        long jobs = 0, checksum = 0;
        double seconds = 0, jti = 100;
        for (Aim7Result r : parts) {
            users += r.users;
            jobs += r.jobs * r.users;
            checksum += r.checksum;
            seconds = Math.max(seconds, r.seconds);
            jti = Math.min(jti, r.jti);
        }
        return new Aim7Result(users, jobs / Math.max(1, users), seconds, jpm(jobs, seconds), jti, checksum);
    }

    /** All users' jobs per minute, as aim7 computes it (deploy/programs/aim7/jpm.c). */
    static double jpm(long totalJobs, double seconds) {
        return seconds > 0 ? totalJobs * 60.0 / seconds : 0;
    }

    String checksumHex() {
        return String.format("%016x", checksum);
    }
}
