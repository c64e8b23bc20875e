package org.azalea.sideloader;

import org.azalea.node.InstanceOutcome;

/**
 * An instance's life: LOADING -> RUNNING -> EXITED / CRASHED / KILLED, then
 * RECLAIMED once every core is confirmed parked and the partition scrubbed, or
 * QUARANTINED when a core could not be parked: its partition and cores are
 * then never scrubbed, released or reused.
 */
public enum LifecycleState {
    LOADING,
    RUNNING,
    EXITED,
    CRASHED,
    KILLED,
    RECLAIMED,
    QUARANTINED;

    public boolean ended() {
        return this != LOADING && this != RUNNING;
    }

    /** After the ending: RECLAIMED or QUARANTINED, nothing follows. */
    public boolean settled() {
        return this == RECLAIMED || this == QUARANTINED;
    }

    /** How an outcome shows as a lifecycle state (a fault, in the program or its kernel, is CRASHED). */
    public static LifecycleState endingOf(InstanceOutcome o) {
        return switch (o.state()) {
            case EXITED -> EXITED;
            case KILLED -> KILLED;
            case FAULTED, FAILED, NODE_DOWN -> CRASHED;
        };
    }
}
