package org.azalea.sideloader;

/** An instance's life: LOADING -> RUNNING -> EXITED / CRASHED / KILLED -> RECLAIMED. */
public enum LifecycleState {
    LOADING,
    RUNNING,
    EXITED,
    CRASHED,
    KILLED,
    RECLAIMED;

    public boolean ended() {
        return this == EXITED || this == CRASHED || this == KILLED || this == RECLAIMED;
    }
}
