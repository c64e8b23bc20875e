package org.azalea.proxy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A log-linear latency histogram in nanoseconds: exact below 8 ns, then 8
 * linear buckets per power of two (each at most 12.5% wide), up to 2^40 ns
 * (18 minutes; longer values land in the top bucket).  Recording allocates
 * nothing and is safe from any thread.  Percentiles report the upper edge of
 * the bucket holding them, clamped to the largest value seen.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 40;
    private static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();

    static int bucketOf(long nanos) {
        if (nanos < SUB) return (int) Math.max(nanos, 0);
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        if (exponent > MAX_EXPONENT) return BUCKETS - 1;
        int sub = (int) (nanos >>> (exponent - SUB_BITS)) & (SUB - 1);
        return (exponent - SUB_BITS + 1) * SUB + sub;
    }

    /** The largest value that falls into {@code bucket}. */
    static long upperEdge(int bucket) {
        if (bucket < SUB) return bucket;
        int exponent = bucket / SUB + SUB_BITS - 1;
        long sub = bucket % SUB;
        return ((SUB + sub + 1) << (exponent - SUB_BITS)) - 1;
    }

    /** Records one latency, from any thread; negative values count as 0. */
    public void record(long nanos) {
        long v = Math.max(nanos, 0);
        buckets.getAndIncrement(bucketOf(v));
        sum.getAndAdd(v);
        long m = max.get();
        while (v > m && !max.compareAndSet(m, v)) m = max.get();
    }

    /**
     * Records one latency without atomic read-modify-writes (no locked
     * instructions on the hot path).  Only for a histogram that one thread
     * alone records into; readers still see consistent, if slightly stale, counts.
     */
    void recordSingleWriter(long nanos) {
        long v = Math.max(nanos, 0);
        int b = bucketOf(v);
        buckets.lazySet(b, buckets.get(b) + 1);
        sum.lazySet(sum.get() + v);
        if (v > max.get()) max.lazySet(v);
    }

    /** A new histogram holding the values of both (a snapshot). */
    static LatencyHistogram sum(LatencyHistogram a, LatencyHistogram b) {
        LatencyHistogram s = new LatencyHistogram();
        for (int i = 0; i < BUCKETS; i++) s.buckets.set(i, a.buckets.get(i) + b.buckets.get(i));
        s.sum.set(a.sum.get() + b.sum.get());
        s.max.set(Math.max(a.max.get(), b.max.get()));
        return s;
    }

    /** Values recorded. */
    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) n += buckets.get(i);
        return n;
    }

    /** The largest value recorded (0 when none). */
    public long max() {
        return max.get();
    }

    /** The mean in nanoseconds (0 when none). */
    public double mean() {
        long n = count();
        return n == 0 ? 0 : (double) sum.get() / n;
    }

    /**
     * The value below which a fraction {@code q} (0 < q <= 1) of the recorded
     * values lie, to the histogram's precision; 0 when none.
     */
    public long percentile(double q) {
        if (!(q > 0 && q <= 1)) throw new IllegalArgumentException("percentile " + q + " is not in (0, 1]");
        long[] counts = new long[BUCKETS];
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = buckets.get(i);
            n += counts[i];
        }
        if (n == 0) return 0;
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(upperEdge(i), max());
        }
        return max();
    }

    public long p50() {
        return percentile(0.50);
    }

    public long p90() {
        return percentile(0.90);
    }

    public long p99() {
        return percentile(0.99);
    }
}
