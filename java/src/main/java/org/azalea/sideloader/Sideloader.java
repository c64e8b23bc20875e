package org.azalea.sideloader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.io.output.NullOutputStream;
import org.apache.commons.io.output.TeeOutputStream;
import org.azalea.node.ElfImage;
import org.azalea.node.Instance;
import org.azalea.node.InstanceOutcome;
import org.azalea.node.InstanceSpec;
import org.azalea.node.Node;
import org.azalea.node.NodeBootException;
import org.azalea.proxy.Stdio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's sideloader: it allocates a node's cores and memory to unikernel
 * instances and reclaims them when an application ends or dies.  Every ending
 * is followed, in order, by: the cores parked (the node kernel's side), the
 * offload proxy stopped with every host fd and socket closed, the partition's
 * memory scrubbed (no data of one instance visible to the next), and only
 * then the resources returned.
 */
public final class Sideloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sideloader.class);
    private static final int KEEP_ENDED = 100;
    private static final int CONSOLE_BYTES = 64 * 1024;
    /** A running core whose heartbeat has not moved for this long is reported hung (the node pings at 2 Hz). */
    public static final Duration HUNG_AFTER = Duration.ofSeconds(3);

    private final Node node;
    private final ResourceManager resources;
    private final Map<Long, ManagedInstance> instances = new LinkedHashMap<>();
    private long nextId = 1;
    private volatile boolean closed;

    public Sideloader(Node node, Set<Integer> fullWeightKernelQuadrants) {
        this.node = node;
        this.resources = ResourceManager.forNode(node.shape(), node.info(), fullWeightKernelQuadrants);
        Thread.ofPlatform().daemon().name("azalea-heartbeat").start(this::watchHeartbeats);
    }

    /**
     * Finds hung instances: once a second, compares each running instance's
     * core heartbeats with the last ones seen; a core whose count stood still
     * for HUNG_AFTER marks its instance hung (and a later beat clears it).
     */
    private void watchHeartbeats() {
        Map<Long, long[]> last = new java.util.HashMap<>();
        Map<Long, long[]> since = new java.util.HashMap<>();
        while (!closed && node.isAlive()) {
            long now = System.nanoTime();
            for (ManagedInstance mi : instances()) {
                Instance inst = mi.instance();
                // Once the end is seen, the cores park (the monitor pings only busy ones) while the
                // instance still shows RUNNING until its proxy has stopped: a killed server blocked in
                // poll, whose proxy once took 5 s to stop, was reported hung after 3 of them.
                if (inst == null || mi.state() != LifecycleState.RUNNING || inst.endSeenNanos() != 0) {
                    last.remove(mi.id());
                    continue;
                }
                long[] beats = inst.heartbeats();
                long[] prev = last.put(mi.id(), beats);
                long[] stood = since.computeIfAbsent(mi.id(), k -> new long[beats.length]);
                boolean hung = false;
                for (int i = 0; i < beats.length; i++) {
                    if (prev == null || prev.length != beats.length || beats[i] != prev[i]) stood[i] = now;
                    else if (now - stood[i] > HUNG_AFTER.toNanos()) hung = true;
                }
                if (hung != mi.isHung()) {
                    if (hung)
                        log.warn(
                                "{}: a core has not answered the node's heartbeat for {} s (interrupts off, or stuck); "
                                        + "`azalea kill {}` ends it",
                                mi,
                                HUNG_AFTER.toSeconds(),
                                mi.id());
                    mi.hung(hung);
                }
            }
            last.keySet()
                    .retainAll(instances().stream().map(ManagedInstance::id).toList());
            since.keySet().retainAll(last.keySet());
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Boots a node and manages it; quadrant 0 is the full-weight kernel's. */
    public static Sideloader boot(Node.Config config) throws IOException, NodeBootException, InterruptedException {
        return new Sideloader(Node.boot(config), Set.of(0));
    }

    public Node node() {
        return node;
    }

    public ResourceManager resources() {
        return resources;
    }

    /**
     * Allocates a partition, loads the program and starts it.  On any failure
     * nothing stays held.
     *
     * @throws ResourceUnavailableException when the partition cannot be had now (the message says what is free)
     * @throws ElfImage.NotRunnable when the program cannot run as an instance
     */
    public ManagedInstance launch(LaunchRequest req)
            throws ResourceUnavailableException, ElfImage.NotRunnable, IOException, InterruptedException {
        if (closed) throw new IllegalStateException("the sideloader is closed");
        if (!node.isAlive()) throw new IOException("the node is down");
        ElfImage program = ElfImage.load(req.program());
        Allocation a = resources.allocate(req.partition());
        ConsoleLog console = new ConsoleLog(CONSOLE_BYTES);
        ManagedInstance mi;
        synchronized (this) {
            mi = new ManagedInstance(nextId++, req, a, console);
            instances.put(mi.id(), mi);
            trimHistory();
        }
        try {
            List<String> argv = new ArrayList<>();
            argv.add(req.name());
            argv.addAll(req.args());
            InputStream in = req.stdin() != null ? req.stdin() : InputStream.nullInputStream();
            OutputStream out =
                    new TeeOutputStream(req.stdout() != null ? req.stdout() : NullOutputStream.INSTANCE, console);
            OutputStream err =
                    new TeeOutputStream(req.stderr() != null ? req.stderr() : NullOutputStream.INSTANCE, console);
            InstanceSpec spec = new InstanceSpec(
                    mi.id(),
                    req.name() + "#" + mi.id(),
                    program,
                    argv,
                    req.env(),
                    a.cpus(),
                    a.memBase(),
                    a.memSize(),
                    req.root(),
                    Stdio.of(in, out, err),
                    req.net());
            Instance inst = Instance.launch(node, spec);
            mi.attach(inst);
            Thread.ofVirtual().name("azalea-watch-" + mi.id()).start(() -> watch(mi, inst));
            return mi;
        } catch (IOException | RuntimeException | InterruptedException e) {
            mi.ended(new InstanceOutcome(InstanceOutcome.State.FAILED, 0, 0, 0, 0, 0, 0, 0, false, e.getMessage()));
            reclaim(mi, System.nanoTime());
            throw e;
        }
    }

    private void watch(ManagedInstance mi, Instance inst) {
        try {
            // A short program may have ended before this thread looks: it still ran
            // if the kernel stamped its first instruction.
            if (inst.awaitStarted(Duration.ofDays(3650)) != null && (inst.isRunning() || inst.programEntered()))
                mi.transition(LifecycleState.RUNNING);
            InstanceOutcome o = inst.waitFor(Duration.ofDays(3650));
            mi.ended(o);
            reclaim(mi, inst.endSeenNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{}: watcher failed", mi, e);
        }
    }

    /**
     * Scrubs the partition and returns the instance's resources (its proxy is
     * already stopped), once every core is confirmed parked; otherwise the
     * partition and cores are quarantined: kept allocated for ever, never
     * scrubbed under a core that may still write them.
     */
    private void reclaim(ManagedInstance mi, long endedNanos) {
        Allocation a = mi.allocation();
        Instance inst = mi.instance();
        if (inst != null && inst.quarantined()) {
            mi.quarantined();
            log.error(
                    "{}: QUARANTINED {}: {}; its memory and cores are never reused while this node runs",
                    mi,
                    a,
                    inst.quarantineReason());
            return;
        }
        try {
            if (node.isAlive()) node.memory().scrub(a.memBase(), a.memSize());
        } finally {
            resources.release(a);
            mi.reclaimed(Duration.ofNanos(System.nanoTime() - endedNanos));
            log.info("{}: reclaimed {} in {} ms", mi, a, mi.reclaimTime().toMillis());
        }
    }

    /** Ends a running instance; it goes through KILLED to RECLAIMED. */
    public void kill(long id) throws IOException, InterruptedException {
        ManagedInstance mi = instance(id).orElseThrow(() -> new IllegalArgumentException("no instance " + id));
        Instance inst = mi.instance();
        if (inst != null && !mi.state().ended()) inst.kill();
    }

    public synchronized List<ManagedInstance> instances() {
        return List.copyOf(instances.values());
    }

    public synchronized Optional<ManagedInstance> instance(long id) {
        return Optional.ofNullable(instances.get(id));
    }

    private void trimHistory() {
        long ended = instances.values().stream()
                .filter(m -> m.state() == LifecycleState.RECLAIMED)
                .count();
        var it = instances.values().iterator();
        while (ended > KEEP_ENDED && it.hasNext()) {
            if (it.next().state() == LifecycleState.RECLAIMED) {
                it.remove();
                ended--;
            }
        }
    }

    /** Kills every instance, waits for their reclaim, stops the node and removes its files. */
    @Override
    public void close() {
        closed = true;
        try {
            for (ManagedInstance mi : instances()) {
                if (!mi.state().ended() && node.isAlive()) {
                    try {
                        kill(mi.id());
                    } catch (IOException e) {
                        log.warn("{}: kill failed: {}", mi, e.toString());
                    }
                }
            }
            for (ManagedInstance mi : instances()) {
                if (mi.awaitReclaimed(Duration.ofSeconds(15)) == null
                        && !mi.state().settled()) {
                    log.warn("{}: not reclaimed before the node stopped", mi);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            node.close();
        }
    }
}
