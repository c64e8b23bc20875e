package org.azalea.sideloader;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.azalea.node.Instance;
import org.azalea.node.InstanceOutcome;
import org.azalea.proxy.ProxyStats;

/**
 * An instance as the sideloader tracks it: its resources, every state
 * transition with its time, how it ended, its console, its offload statistics.
 */
public final class ManagedInstance {
    /** One state change. */
    public record Transition(LifecycleState state, Instant at) {}

    private final long id;
    private final LaunchRequest request;
    private final Allocation allocation;
    private final ConsoleLog console;
    private final List<Transition> transitions = new ArrayList<>();
    private volatile Instance instance;
    private volatile InstanceOutcome outcome;
    private volatile Duration reclaimTime;
    private volatile boolean hung;

    ManagedInstance(long id, LaunchRequest request, Allocation allocation, ConsoleLog console) {
        this.id = id;
        this.request = request;
        this.allocation = allocation;
        this.console = console;
        transition(LifecycleState.LOADING);
    }

    synchronized void transition(LifecycleState s) {
        transitions.add(new Transition(s, Instant.now()));
        notifyAll();
    }

    void attach(Instance inst) {
        this.instance = inst;
    }

    void ended(InstanceOutcome o) {
        this.outcome = o;
        transition(LifecycleState.endingOf(o));
    }

    void reclaimed(Duration took) {
        this.reclaimTime = took;
        transition(LifecycleState.RECLAIMED);
    }

    void quarantined() {
        transition(LifecycleState.QUARANTINED);
    }

    public long id() {
        return id;
    }

    public String name() {
        return request.name();
    }

    public LaunchRequest request() {
        return request;
    }

    public Allocation allocation() {
        return allocation;
    }

    public synchronized LifecycleState state() {
        return transitions.getLast().state();
    }

    public synchronized List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    /** How it ended, or null while it runs. */
    public InstanceOutcome outcome() {
        return outcome;
    }

    /** The last 64 KiB of its stdout and stderr. */
    public String console() {
        return console.text();
    }

    /** Its offload proxy's per-opcode counts and latencies (null before it launched). */
    public ProxyStats stats() {
        Instance i = instance;
        return i == null ? null : i.proxy().stats();
    }

    /**
     * True while a core of the running instance has not answered the node's
     * heartbeat pings for {@link Sideloader#HUNG_AFTER} (interrupts off, or stuck
     * in the kernel); {@code azalea kill} still ends it.
     */
    public boolean isHung() {
        return hung && !state().ended();
    }

    void hung(boolean h) {
        this.hung = h;
    }

    /** From the end of the program to its resources being free again; null before. */
    public Duration reclaimTime() {
        return reclaimTime;
    }

    /** Time since launch, or the instance's whole life once it ended. */
    public synchronized Duration uptime() {
        Instant start = transitions.getFirst().at();
        for (Transition t : transitions) {
            if (t.state().ended()) return Duration.between(start, t.at());
        }
        return Duration.between(start, Instant.now());
    }

    /**
     * Waits until the instance's resources are reclaimed (or quarantined: they
     * never will be); returns how it ended (null on timeout).
     */
    public synchronized InstanceOutcome awaitReclaimed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!state().settled()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            wait(Math.max(1, left / 1_000_000));
        }
        return outcome;
    }

    Instance instance() {
        return instance;
    }

    @Override
    public String toString() {
        return "instance " + id + " (" + name() + ", " + state() + ")";
    }
}
