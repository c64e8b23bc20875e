package org.azalea.proxy;

import static org.azalea.proxy.SpinPolicy.WINDOW_NANOS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpinPolicyTest {
    private static final long MIN = 50_000, MAX = 5_000_000;
    private static final long T0 = 1_000_000_000L;

    @Test
    void withoutTrafficItSpinsTheMinimum() {
        assertEquals(MIN, new SpinPolicy(MIN, MAX).spinNanos(T0));
    }

    @Test
    void backToBackGapsLongerThanTheMinimumKeepThePollerAwakeForTwiceTheGap() {
        SpinPolicy p = new SpinPolicy(MIN, MAX);
        p.arrived(300_000, T0); // a guest whose vCPU was away 300 us between calls
        assertEquals(600_000, p.spinNanos(T0));
    }

    @Test
    void manyShortGapsDoNotForgetALongOneWithinTheWindow() {
        SpinPolicy p = new SpinPolicy(MIN, MAX);
        long t = T0;
        p.arrived(200_000, t); // the program computed for 200 us between bursts
        for (int i = 0; i < 1000; i++) p.arrived(4_000, t += 5_000); // a burst: 5 ms of quick calls
        assertEquals(400_000, p.spinNanos(t), "the pause between bursts is still covered");
    }

    @Test
    void aGapIsForgottenAfterTwoWindowsOfShortOnes() {
        SpinPolicy p = new SpinPolicy(MIN, MAX);
        long t = T0;
        p.arrived(2_000_000, t);
        assertEquals(4_000_000, p.spinNanos(t + WINDOW_NANOS / 2));
        p.arrived(500, t += WINDOW_NANOS); // a new window: the old one is still "previous"
        assertEquals(4_000_000, p.spinNanos(t));
        p.arrived(500, t += WINDOW_NANOS);
        assertEquals(MIN, p.spinNanos(t));
    }

    @Test
    void anIdlePollerForgetsTooWithoutArrivals() {
        SpinPolicy p = new SpinPolicy(MIN, MAX);
        p.arrived(1_000_000, T0);
        assertEquals(MIN, p.spinNanos(T0 + 2 * WINDOW_NANOS));
    }

    @Test
    void theSpinIsBounded() {
        SpinPolicy p = new SpinPolicy(MIN, MAX);
        p.arrived(MAX, T0);
        assertEquals(MAX, p.spinNanos(T0));
    }

    @Test
    void aGapBeyondTheBoundIsSparseTrafficAndNotRemembered() {
        SpinPolicy p = new SpinPolicy(MIN, MAX);
        p.arrived(MAX + 1, T0); // the poller slept
        assertEquals(MIN, p.spinNanos(T0));
        p.arrived(1_000_000, T0 + 1);
        p.arrived(100 * MAX, T0 + 2);
        assertEquals(2_000_000, p.spinNanos(T0 + 2));
    }

    @Test
    void badBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SpinPolicy(10, 5));
        assertThrows(IllegalArgumentException.class, () -> new SpinPolicy(-1, 5));
    }
}
