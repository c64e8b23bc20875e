package org.azalea.bench;

import java.util.Arrays;

/**
 * A set of timing samples and their order statistics.  The machines are shared
 * and noisy, so benchmarks report medians and p99s, never a single time.
 */
public final class Samples {
    private final double[] values;
    private int count;

    public Samples(int capacity) {
        values = new double[capacity];
    }

    public void add(double value) {
        if (count < values.length) values[count++] = value;
    }

    /** The i-th value added. */
    public double get(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException(i);
        return values[i];
    }

    public int count() {
        return count;
    }

    /** The q-quantile (0..1), nearest-rank. */
    public double quantile(double q) {
        if (count == 0) throw new IllegalStateException("no samples");
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, rank))];
    }

    public double median() {
        return quantile(0.5);
    }

    public double p99() {
        return quantile(0.99);
    }
}
