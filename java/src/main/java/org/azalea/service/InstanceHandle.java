package org.azalea.service;

import java.io.IOException;
import java.time.Duration;

/** An instance this caller launched: wait for it, kill it, look at it. */
public interface InstanceHandle {
    long id();

    /** The instance as it was when launched (its partition is final). */
    InstanceView launched();

    /**
     * Waits until the instance ended and its resources are free again.
     *
     * @return its final view, or null when the timeout passed first
     */
    InstanceView await(Duration timeout) throws IOException, InterruptedException;

    /** Asks the node to end it; {@link #await} then reports it KILLED. */
    void kill() throws IOException;
}
