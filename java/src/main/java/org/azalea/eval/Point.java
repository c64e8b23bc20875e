package org.azalea.eval;

/**
 * One point of Fig. 4 or Fig. 5 on one system: the median jobs/min of its
 * repetitions with their min and max.  {@code oversubscribed}: more busy
 * vCPUs (or native threads) than the host has CPUs, so the point measures the
 * host's time sharing as much as the system.  {@code error}: why the point
 * failed (null when every repetition ran and their checksums agree).
 */
record Point(
        String figure,
        String system,
        String workload,
        int users,
        int cores,
        double jpm,
        double jpmMin,
        double jpmMax,
        int reps,
        boolean oversubscribed,
        String checksum,
        double jti,
        double loadAverage,
        String error) {}
