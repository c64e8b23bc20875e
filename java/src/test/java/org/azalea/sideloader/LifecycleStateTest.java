package org.azalea.sideloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.azalea.node.InstanceOutcome;
import org.junit.jupiter.api.Test;

class LifecycleStateTest {
    private static InstanceOutcome of(InstanceOutcome.State s, boolean inKernel) {
        return new InstanceOutcome(s, s == InstanceOutcome.State.FAULTED ? 139 : 0, 0, 13, 18, 0, 0, 0, inKernel, "");
    }

    @Test
    void outcomesMapToEndings() {
        assertEquals(LifecycleState.EXITED, LifecycleState.endingOf(of(InstanceOutcome.State.EXITED, false)));
        assertEquals(LifecycleState.KILLED, LifecycleState.endingOf(of(InstanceOutcome.State.KILLED, false)));
        assertEquals(LifecycleState.CRASHED, LifecycleState.endingOf(of(InstanceOutcome.State.FAULTED, false)));
        assertEquals(LifecycleState.CRASHED, LifecycleState.endingOf(of(InstanceOutcome.State.FAULTED, true)));
        assertEquals(LifecycleState.CRASHED, LifecycleState.endingOf(of(InstanceOutcome.State.NODE_DOWN, false)));
    }

    @Test
    void quarantinedIsFinalLikeReclaimed() {
        assertTrue(LifecycleState.QUARANTINED.ended() && LifecycleState.QUARANTINED.settled());
        assertTrue(LifecycleState.RECLAIMED.settled());
        assertFalse(LifecycleState.CRASHED.settled(), "an ending is followed by reclaim or quarantine");
        assertFalse(LifecycleState.RUNNING.ended());
    }
}
