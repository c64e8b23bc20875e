package org.azalea.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a connection that takes longer than it may (blocking socket channels
 * have no read timeout): a peer that connects and says nothing, or a service
 * that stopped answering, cannot hold a thread forever.
 */
final class Deadline implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "azalea-deadline");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> task;
    private final AtomicBoolean fired = new AtomicBoolean();

    private Deadline(FrameChannel ch, Duration after) {
        task = TIMER.schedule(
                () -> {
                    fired.set(true);
                    ch.close();
                },
                after.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    static Deadline closeAfter(FrameChannel ch, Duration after) {
        return new Deadline(ch, after);
    }

    /** True when the deadline passed and closed the connection. */
    boolean fired() {
        return fired.get();
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
