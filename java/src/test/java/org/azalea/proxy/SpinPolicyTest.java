package org.azalea.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpinPolicyTest {
    private static final long MIN = 50_000, MAX = 5_000_000;

    @Test
    void withoutTrafficItSpinsTheMinimum() {
        assertEquals(MIN, new SpinPolicy(MIN, MAX).spinNanos());
    }

    @Test
    void backToBackGapsLongerThanTheMinimumKeepThePollerAwakeForTwiceTheGap() {
        SpinPolicy p = new SpinPolicy(MIN, MAX);
        p.arrived(300_000); // a guest whose vCPU was away 300 us between calls
        assertEquals(600_000, p.spinNanos());
        p.arrived(1_000); // one short gap does not forget the long one at once
        assertEquals(2 * (300_000 - 300_000 / 8), p.spinNanos());
    }

    @Test
    void theSpinIsBounded() {
        SpinPolicy p = new SpinPolicy(MIN, MAX);
        p.arrived(MAX);
        assertEquals(MAX, p.spinNanos());
    }

    @Test
    void aGapBeyondTheBoundIsNotBackToBackAndHalvesTheEstimate() {
        SpinPolicy p = new SpinPolicy(MIN, MAX);
        p.arrived(1_000_000);
        p.arrived(MAX + 1); // the poller slept: sparse traffic
        assertEquals(1_000_000, p.spinNanos());
        for (int i = 0; i < 10; i++) p.arrived(100 * MAX);
        assertEquals(MIN, p.spinNanos());
    }

    @Test
    void shortGapsDecayTheEstimateBackToTheMinimum() {
        SpinPolicy p = new SpinPolicy(MIN, MAX);
        p.arrived(2_000_000);
        for (int i = 0; i < 100; i++) p.arrived(500);
        assertEquals(MIN, p.spinNanos());
    }

    @Test
    void badBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SpinPolicy(10, 5));
        assertThrows(IllegalArgumentException.class, () -> new SpinPolicy(-1, 5));
    }
}
