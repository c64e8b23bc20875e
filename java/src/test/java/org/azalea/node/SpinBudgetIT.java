package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spin budget (az_boot.spin_cores, `azalea node start --spin-cores`): six
 * cores of one instance wait for slow host calls at once.  With one core
 * allowed to spin, the others find the budget taken and halt after a short
 * spin (the kernel counts those calls in az_boot.short_spins); with all
 * allowed, none does.  test-images/spin_budget.c.  (What it is for, host cpu
 * left to the proxy, shows in `azalea bench --only fileops`: docs/bench.md.)
 */
class SpinBudgetIT {
    @TempDir
    Path root;

    private long shortSpinsWith(int spinCores) throws Exception {
        try (BootedNode b = new BootedNode(c -> c.withSpinCores(spinCores))) {
            BootedNode.Run r = b.run("spin_budget", List.of(), "", root, 1, 6, Duration.ofSeconds(60));
            assertEquals(0, r.outcome().processStatus(), r.outcome().describe() + "\n" + r.stdout());
            assertTrue(r.stdout().contains("AZALEA-TEST-PASS spin_budget"), r.stdout());
            return r.instance().shortSpins();
        }
    }

    @Test
    void coresBeyondTheBudgetHaltSoonerAndNoneDoWithoutABudget() throws Exception {
        long one = shortSpinsWith(1);
        assertTrue(one > 0, "six cores waiting at once, one may spin: " + one + " calls halted sooner");
        assertEquals(0, shortSpinsWith(0), "every core may spin");
    }
}
