package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The status a shell sees for each way an instance ends, from what the descriptor says (checked, not trusted). */
class InstanceOutcomeTest {
    private static InstanceOutcome of(InstanceOutcome.State s, int status, int vector, boolean inKernel) {
        return new InstanceOutcome(s, status, 0, vector, 18, 0, 0x401000, 0x7000, inKernel, "");
    }

    @Test
    void exitedIsTheLowByteOfTheExitArgument() {
        assertEquals(0, of(InstanceOutcome.State.EXITED, 0, 0, false).processStatus());
        assertEquals(42, of(InstanceOutcome.State.EXITED, 42, 0, false).processStatus());
        assertEquals(1, of(InstanceOutcome.State.EXITED, 257, 0, false).processStatus());
        assertEquals(143, of(InstanceOutcome.State.EXITED, 143, 0, false).processStatus(), "killed by SIGTERM");
    }

    @Test
    void aFaultInTheProgramEndsItWithItsSignalsDefaultStatus() {
        InstanceOutcome gp = of(InstanceOutcome.State.FAULTED, 139, 13, false);
        assertEquals(139, gp.processStatus());
        assertTrue(gp.describe().startsWith("crashed (SIGSEGV): exception 13 (#GP"), gp.describe());
        assertEquals(132, of(InstanceOutcome.State.FAULTED, 132, 6, false).processStatus(), "#UD: SIGILL");
        InstanceOutcome bp = of(InstanceOutcome.State.FAULTED, 133, 3, false);
        assertEquals(133, bp.processStatus(), "int3: SIGTRAP");
        assertTrue(bp.describe().contains("SIGTRAP"), bp.describe());
        assertEquals(136, of(InstanceOutcome.State.FAULTED, 136, 0, false).processStatus(), "#DE: SIGFPE");
        assertEquals(135, of(InstanceOutcome.State.FAULTED, 135, 17, false).processStatus(), "#AC: SIGBUS");
    }

    @Test
    void aFaultInTheInstanceKernelIsACrashWhateverTheStatusWordSays() {
        InstanceOutcome k = of(InstanceOutcome.State.FAULTED, 132, 14, true);
        assertEquals(139, k.processStatus());
        assertTrue(k.describe().contains("inside the instance kernel"), k.describe());
    }

    @Test
    void aStatusWordOutOfRangeIsNotBelieved() {
        assertEquals(139, of(InstanceOutcome.State.FAULTED, 0, 13, false).processStatus());
        assertEquals(139, of(InstanceOutcome.State.FAULTED, 128 + 65, 13, false).processStatus());
        assertEquals(139, of(InstanceOutcome.State.FAULTED, -1, 13, false).processStatus());
        assertEquals(
                139,
                of(InstanceOutcome.State.FAULTED, Integer.MIN_VALUE, 13, false).processStatus());
    }

    @Test
    void otherEndings() {
        assertEquals(137, of(InstanceOutcome.State.KILLED, 5, 0, false).processStatus());
        assertEquals(127, of(InstanceOutcome.State.FAILED, 0, 0, false).processStatus());
        assertEquals(127, of(InstanceOutcome.State.NODE_DOWN, 0, 0, false).processStatus());
    }
}
