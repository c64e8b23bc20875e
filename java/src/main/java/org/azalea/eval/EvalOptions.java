package org.azalea.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What an evaluation measures and how much of it.
 *
 * @param cores the core counts of Fig. 4 and Fig. 5 points
 * @param users per point of {@code cores}, its users (same length; default: users = cores)
 * @param reps repetitions per point (the median is reported, with min and max)
 * @param only the parts to run: fig4, fig5, noise, calls
 * @param scale aim7's loop counts are divided by this (1: AIM7's own)
 * @param jobs jobs per user in one aim7 run
 * @param noiseSamples fixed work quanta per noise probe
 * @param calls calls per operation in one call-cost probe
 * @param linuxCpus CPUs of the Linux guest (default: the node's; fewer boot faster, for tests)
 * @param icount also run the noise probe under -icount (a 2-CPU node and a 1-CPU Linux guest)
 */
public record EvalOptions(
        Path out,
        List<Integer> cores,
        List<Integer> users,
        int reps,
        Set<String> only,
        int scale,
        int jobs,
        int noiseSamples,
        int calls,
        int linuxCpus,
        boolean icount,
        int timeoutSeconds) {
    public static final List<String> PARTS = List.of("fig4", "fig5", "noise", "calls");

    public EvalOptions {
        cores = List.copyOf(cores);
        users = List.copyOf(users);
        only = Set.copyOf(only);
        if (cores.isEmpty() || cores.stream().anyMatch(c -> c < 1))
            throw new IllegalArgumentException("--cores: positive numbers");
        if (users.size() != cores.size() || users.stream().anyMatch(u -> u < 1))
            throw new IllegalArgumentException("--users: one positive number per core count");
        if (reps < 3) throw new IllegalArgumentException("--reps: at least 3 (a median of fewer says little)");
        for (String p : only)
            if (!PARTS.contains(p)) throw new IllegalArgumentException("--only: " + p + " is not one of " + PARTS);
        if (scale < 1 || jobs < 1 || noiseSamples < 100 || calls < 256 || linuxCpus < 1 || timeoutSeconds < 1)
            throw new IllegalArgumentException("sizes must be positive");
    }

    /** The full evaluation on the paper's node (72 CPUs), sized for a small host. */
    public static EvalOptions defaults(Path out) {
        return new EvalOptions(
                out, List.of(1, 2, 4), List.of(1, 2, 4), 3, Set.copyOf(PARTS), 1, 1, 1_000_000, 20_000, 72, true, 1800);
    }

    /** A smoke run: smaller loop counts, 1 and 2 cores, 10^5 noise samples. */
    public static EvalOptions quick(Path out) {
        return new EvalOptions(
                out, List.of(1, 2), List.of(1, 2), 3, Set.copyOf(PARTS), 8, 1, 100_000, 4096, 72, true, 600);
    }

    public boolean runs(String part) {
        return only.contains(part);
    }
}
