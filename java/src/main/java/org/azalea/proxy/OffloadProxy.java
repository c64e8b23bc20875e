package org.azalea.proxy;

import static org.azalea.abi.abi_h.AZ_HOST_SERVING;
import static org.azalea.abi.abi_h.AZ_HOST_STOPPED;
import static org.azalea.abi.abi_h.AZ_OP_NOP;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.ring.Channel;
import org.azalea.ring.CompletionProducer;
import org.azalea.ring.Doorbell;
import org.azalea.ring.Region;
import org.azalea.ring.Request;
import org.azalea.ring.SubmissionConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one instance's offload region: one polling thread over all its
 * channels, helper pollers while several channels are busy at once (see
 * {@link #MAX_POLLERS}; a channel is served by one poller at a time), plus a
 * bounded pool of platform threads for requests that may block.  Guest input never stops it: bad flags, unknown opcodes and
 * exceptions from the dispatcher all become a {@code -errno} completion.
 *
 * <p>The poller takes a submission only with a completion slot reserved for
 * it, serves it inline ({@code AZ_OP_NOP} without the dispatcher at all), or
 * hands it to a worker when {@link SyscallDispatcher#mayBlock} says so; the
 * worker posts the completion.  With nothing to do it spins for
 * {@link Options#spinNanos}, then sleeps on the doorbell (see {@link Doorbell}).
 */
public final class OffloadProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OffloadProxy.class);
    private static final int NEW = 0;
    private static final int SERVING = 1;
    private static final int STOPPED = 2;

    /**
     * Tuning.
     *
     * @param name names the threads and log lines
     * @param workers most requests that may block running at once
     * @param spinNanos the shortest an idle poller polls before it sleeps on the doorbell
     * @param maxSpinNanos the longest: the spin follows the gaps between requests up to this
     *     (see {@link SpinPolicy})
     * @param batch most submissions taken from one channel before the poller moves on
     * @param stopTimeout how long {@link #stop()} waits for workers to leave once it has
     *     woken them (and for the poller)
     */
    public record Options(
            String name, int workers, long spinNanos, long maxSpinNanos, int batch, Duration stopTimeout) {
        /** Spins past this long yield the CPU between polls (see {@link OffloadProxy#pollUntilStopped}). */
        static final long PURE_SPIN_NANOS = 20_000;

        /** The longest adaptive spin by default: past a descheduled vCPU thread's usual absence on a busy host. */
        public static final long DEFAULT_MAX_SPIN_NANOS = 5_000_000;

        public Options {
            if (workers < 1 || spinNanos < 0 || maxSpinNanos < spinNanos || batch < 1 || stopTimeout.isNegative()) {
                throw new IllegalArgumentException("bad proxy options: " + workers + " workers, spin " + spinNanos
                        + ".." + maxSpinNanos + " ns, batch " + batch + ", stop timeout " + stopTimeout);
            }
        }

        /** A spin that adapts from {@code spinNanos} up to the default maximum (or {@code spinNanos} if longer). */
        public Options(String name, int workers, long spinNanos, int batch, Duration stopTimeout) {
            this(name, workers, spinNanos, Math.max(spinNanos, DEFAULT_MAX_SPIN_NANOS), batch, stopTimeout);
        }

        /** 16 workers, 50 us to 5 ms of polling, batches of 64, 2 s for workers to leave on stop. */
        public static Options defaults(String name) {
            return new Options(name, 16, 50_000, DEFAULT_MAX_SPIN_NANOS, 64, Duration.ofSeconds(2));
        }
    }

    /** One channel's two host-side ends. */
    private record Lane(Channel channel, SubmissionConsumer sq, CompletionProducer cq, AtomicBoolean taken) {
        /** Takes the lane for one poller; a region with one channel has one poller and no lock. */
        boolean take(boolean shared) {
            return !shared || taken.compareAndSet(false, true);
        }

        void release(boolean shared) {
            if (shared) taken.set(false);
        }
    }

    /** Most pollers one proxy runs at once: a helper per busy channel, within the host's cpus. */
    static final int MAX_POLLERS = 4;
    /** A helper that has had no work, or seen no two channels busy at once, for this long leaves. */
    static final long HELPER_IDLE_NANOS = 1_000_000;
    /** Passes that found two or more channels with work (net of those that found one) before a helper starts. */
    static final int CONTENDED_PASSES = 16;

    /** A request handed to a worker; if the pool is torn down first, it still gets a completion. */
    private final class Job implements Runnable {
        final Lane lane;
        final Request request;
        final long start;

        Job(Lane lane, Request request, long start) {
            this.lane = lane;
            this.request = request;
            this.start = start;
        }

        @Override
        public void run() {
            long result = dispatchSafely(request);
            try {
                complete(lane, request, result, start);
            } catch (IllegalStateException late) {
                // The instance's memory view was closed under a worker that outlived the stop: the
                // answer has nowhere to go, and the closed view is what kept it from landing anywhere.
                log.warn(
                        "{}: {} returned after the instance's memory was closed; answer dropped",
                        options.name(),
                        describe(request));
            }
        }

        void cancel() {
            complete(lane, request, -Errno.EINTR, start);
        }
    }

    private static final int BAD_REQUEST_BURST = 5;

    private final Region region;
    private final SyscallDispatcher dispatcher;
    private final Options options;
    private final ProxyStats stats = new ProxyStats();
    private final Lane[] lanes;
    private final Doorbell doorbell;
    private final ThreadPoolExecutor workers;
    private final Thread poller;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private volatile boolean running;
    /** More than one channel: lanes are taken before they are served (helpers may run). */
    private final boolean shared;
    /** Most helper pollers at once (0 for a single channel). */
    private final int maxHelpers;

    private final AtomicInteger helpers = new AtomicInteger();
    private final AtomicInteger helperNames = new AtomicInteger();
    /** The last time a pass found two or more channels with work (any poller writes it). */
    private volatile long lastContended;
    /** Helpers started so far (for the log). */
    private final AtomicInteger helpersStarted = new AtomicInteger();
    /** Times the poller slept on the doorbell (poller-written, read after it stopped). */
    private long sleeps;
    /** Bad-request warnings: a guest can forge them at ring speed, so only the first few per second are logged. */
    private final RateLimitedLog badRequests;

    /** A proxy for {@code region} with default options. */
    public OffloadProxy(Region region, SyscallDispatcher dispatcher) {
        this(region, dispatcher, Options.defaults("region@0x" + Long.toHexString(region.gpa())));
    }

    /** A proxy for {@code region}; it owns {@code dispatcher} and closes it on {@link #stop()}. */
    public OffloadProxy(Region region, SyscallDispatcher dispatcher, Options options) {
        this.region = region;
        this.dispatcher = dispatcher;
        this.options = options;
        this.badRequests =
                new RateLimitedLog(options.name(), log::warn, BAD_REQUEST_BURST, 1_000_000_000L, System::nanoTime);
        this.lanes = new Lane[region.nchannels()];
        this.shared = lanes.length > 1;
        this.maxHelpers = Math.max(
                0,
                Math.min(
                                Math.min(lanes.length, MAX_POLLERS),
                                Runtime.getRuntime().availableProcessors())
                        - 1);
        this.doorbell = new Doorbell(region);
        this.workers = new ThreadPoolExecutor(
                options.workers(),
                options.workers(),
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                threads(options.name() + "-worker-"));
        workers.allowCoreThreadTimeOut(true);
        this.poller = threads(options.name() + "-poller-").newThread(this::pollLoop);
    }

    /** Every thread of this proxy (poller and workers) has a name starting so: for monitoring. */
    public String threadNamePrefix() {
        return "azalea-" + options.name() + "-";
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "azalea-" + prefix + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Starts serving: picks up each channel's positions where the last proxy
     * on this region left them, publishes host_state SERVING, starts the poller.
     */
    public void start() {
        if (!state.compareAndSet(NEW, SERVING))
            throw new IllegalStateException("proxy " + options.name() + " was started before");
        for (int i = 0; i < lanes.length; i++) {
            Channel ch = region.channel(i);
            lanes[i] = new Lane(ch, new SubmissionConsumer(ch), new CompletionProducer(ch), new AtomicBoolean());
        }
        running = true;
        region.hostState(AZ_HOST_SERVING());
        poller.start();
        log.info("{}: serving {} channels x {} entries", options.name(), region.nchannels(), region.ringEntries());
    }

    /**
     * Stops serving: publishes host_state STOPPED, wakes and joins the poller,
     * closes the dispatcher at once (which wakes every request blocked in a wait
     * with -EINTR: the instance has ended, nobody waits for their answers), then
     * waits up to the stop timeout for the workers to leave.  Every submission
     * taken gets a completion.  Idempotent.
     *
     * @return true when no worker runs any more (none can touch the instance's
     *     memory again); false when one is still inside a host call after the stop
     *     timeout (the caller must fence the memory itself, see
     *     {@code memory.PartitionView})
     */
    public boolean stop() {
        if (state.getAndSet(STOPPED) == STOPPED) return workers.isTerminated();
        running = false;
        region.hostState(AZ_HOST_STOPPED());
        boolean interrupted = false;
        try {
            if (poller.isAlive()) {
                doorbell.ring();
                LockSupport.unpark(poller);
                poller.join(options.stopTimeout());
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        workers.shutdown();
        try {
            dispatcher.close();
        } catch (RuntimeException e) {
            log.error("{}: dispatcher failed to close", options.name(), e);
        }
        try {
            if (!interrupted && !workers.awaitTermination(options.stopTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn(
                        "{}: {} requests still inside host calls {} after the stop; interrupting them",
                        options.name(),
                        workers.getActiveCount(),
                        options.stopTimeout());
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        List<Runnable> neverRan = workers.shutdownNow();
        for (Runnable job : neverRan) ((Job) job).cancel();
        if (interrupted) Thread.currentThread().interrupt();
        badRequests.flush();
        if (log.isDebugEnabled()) log.debug("{}: service times\n{}", options.name(), stats);
        log.info(
                "{}: stopped after {} requests ({} errors), {} sleeps, {} helper pollers started",
                options.name(),
                stats.total(),
                stats.totalErrors(),
                sleeps,
                helpersStarted.get());
        return workers.isTerminated();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    public ProxyStats stats() {
        return stats;
    }

    public Region region() {
        return region;
    }

    /** Helper pollers running now (besides the first poller). */
    int helperPollers() {
        return helpers.get();
    }

    /** True between {@link #start()} and {@link #stop()}. */
    public boolean isServing() {
        return state.get() == SERVING;
    }

    private void pollLoop() {
        try {
            pollUntilStopped();
        } finally {
            // Helpers see the stop at their next pass; every lane must be free before the heads are published.
            long deadline = System.nanoTime() + options.stopTimeout().toNanos();
            while (helpers.get() > 0 && System.nanoTime() < deadline) LockSupport.parkNanos(100_000);
            // A later proxy on this region starts from the published heads: they must cover all taken.
            publishHeads();
        }
    }

    /**
     * Serves until stopped.  Out of work, the poller keeps polling for
     * {@link SpinPolicy#spinNanos(long)} (the gaps it has seen between requests,
     * doubled, bounded), then sleeps on the doorbell.  Past the first
     * {@link Options#PURE_SPIN_NANOS} it yields the CPU between polls: on a
     * host with more runnable threads than cores, a pure spin on the core the
     * guest's vCPU thread waits for would delay the very request it waits for
     * until the scheduler preempts it.
     */
    private void pollUntilStopped() {
        BooleanSupplier workOrStop = () -> !running || anyWork();
        SpinPolicy spin = new SpinPolicy(options.spinNanos(), options.maxSpinNanos());
        long idleSince = 0;
        boolean idle = false;
        boolean drowsy = false; // slept and found nothing since: sleep again without spinning first
        int polls = 0;
        int contended = 0;
        boolean headsPublished = false;
        while (running) {
            int served;
            try {
                served = serveAll();
            } catch (Throwable t) {
                // A bug, not guest input (that is answered per request); keep serving the other channels.
                log.error("{}: poller failure; continuing", options.name(), t);
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            if (served > 0) {
                // Two or more channels busy in a third of the passes with work, for a while: help.
                if (busyLanes >= 2) {
                    contended += 2;
                    if (contended >= 2 * CONTENDED_PASSES) {
                        contended = 0;
                        maybeStartHelper();
                    }
                } else if (contended > 0) {
                    contended--;
                }
                if (idle) {
                    long now = System.nanoTime();
                    spin.arrived(now - idleSince, now);
                }
                idle = false;
                drowsy = false;
                continue;
            }
            if (!idle) {
                idle = true;
                idleSince = System.nanoTime();
                polls = 0;
                headsPublished = false;
            }
            if (!drowsy) {
                if ((++polls & 63) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
                long now = System.nanoTime();
                long spun = now - idleSince;
                if (spun < spin.spinNanos(now)) {
                    if (spun >= Options.PURE_SPIN_NANOS) {
                        // Quiet for a while: hand the consumed slots back now, not only before sleeping (a
                        // spin can last milliseconds, and a client re-opening the channel needs the head).
                        if (!headsPublished) {
                            publishHeads();
                            headsPublished = true;
                        }
                        Thread.yield();
                    }
                    continue;
                }
            }
            publishHeads();
            drowsy = doorbell.sleepUnless(workOrStop);
            if (drowsy) sleeps++;
        }
    }

    /**
     * A helper poller: serves whichever channels no other poller holds, and
     * leaves once it has had nothing to do, or no pass has found two channels
     * busy at once, for {@link #HELPER_IDLE_NANOS}.  It never sleeps on the
     * doorbell: the first poller does, and starts helpers again under load.
     */
    private void helperLoop() {
        try {
            long lastWork = System.nanoTime();
            int polls = 0;
            while (running) {
                int served;
                try {
                    served = serveAll();
                } catch (Throwable t) {
                    log.error("{}: helper poller failure; leaving", options.name(), t);
                    return;
                }
                long now = 0;
                if (served > 0) {
                    lastWork = now = System.nanoTime();
                } else if ((++polls & 63) == 0) {
                    now = System.nanoTime();
                    if (now - lastWork > HELPER_IDLE_NANOS) return;
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
                if (now != 0 && now - lastContended > HELPER_IDLE_NANOS) return;
            }
        } finally {
            // The first poller may be asleep: what this helper consumed must not stay unpublished.
            publishHeads();
            helpers.decrementAndGet();
        }
    }

    /** Starts a helper poller unless as many run as the proxy allows. */
    private void maybeStartHelper() {
        for (int n = helpers.get(); n < maxHelpers; n = helpers.get()) {
            if (!helpers.compareAndSet(n, n + 1)) continue;
            try {
                Thread t =
                        new Thread(this::helperLoop, threadNamePrefix() + "poller-h" + helperNames.getAndIncrement());
                t.setDaemon(true);
                t.start();
                helpersStarted.incrementAndGet();
            } catch (RuntimeException | OutOfMemoryError e) {
                helpers.decrementAndGet();
                log.warn("{}: no helper poller: {}", options.name(), e.toString());
            }
            return;
        }
    }

    private void publishHeads() {
        for (Lane lane : lanes) {
            while (!lane.take(shared)) Thread.onSpinWait(); // a helper holds it for one batch at most
            try {
                lane.sq().publishHead();
            } finally {
                lane.release(shared);
            }
        }
    }

    /** Lanes served in the last pass of this thread: how many had work. */
    private int busyLanes;

    private int serveAll() {
        int served = 0;
        int busy = 0;
        for (Lane lane : lanes) {
            if (!lane.take(shared)) continue;
            int n;
            try {
                n = serve(lane);
            } finally {
                lane.release(shared);
            }
            if (n > 0) {
                served += n;
                busy++;
            }
        }
        if (busy >= 2) lastContended = System.nanoTime();
        if (Thread.currentThread() == poller) busyLanes = busy;
        return served;
    }

    /** Before sleeping: a lane another poller holds counts as work (it is being served). */
    private boolean anyWork() {
        for (Lane lane : lanes) {
            if (!lane.take(shared)) return true;
            try {
                if (lane.sq().hasPending() && lane.cq().hasRoom()) return true;
            } finally {
                lane.release(shared);
            }
        }
        return false;
    }

    /**
     * Takes up to one batch from a channel; a channel without completion room
     * is skipped.  No-ops (answered without host work) are staged and posted
     * together, with one lock and one tail store, when the batch ends or
     * before the poller turns to any other request, whichever is first: no
     * answer waits on host work for another.  No-ops are counted, not timed
     * (see {@link ProxyStats#countNopsByPoller}).
     */
    private int serve(Lane lane) {
        int n = 0;
        int nops = 0;
        long start = 0; // 0: not read since the last no-ops
        try {
            while (n < options.batch() && lane.cq().hasRoom()) {
                Request request = lane.sq().poll();
                if (request == null) break;
                lane.cq().reserve();
                n++;
                if (request.opcode() == AZ_OP_NOP() && request.flags() == 0) {
                    lane.cq().stage(request.id(), 0);
                    nops++;
                    continue;
                }
                if (nops > 0) {
                    postNops(lane, nops);
                    nops = 0;
                    start = 0;
                }
                // One clock read per request: the end of one is the start of the next, already queued.
                if (start == 0) start = System.nanoTime();
                start = handle(lane, request, start);
            }
        } finally {
            if (nops > 0) postNops(lane, nops);
            lane.sq().publishHeadIfDue();
        }
        return n;
    }

    private void postNops(Lane lane, int nops) {
        // Counted first: a client that sees its answer may read the count at once.
        if (Thread.currentThread() == poller) stats.countNopsByPoller(nops);
        else stats.countNops(nops);
        lane.cq().flush();
    }

    /** Serves or hands off one request; returns the time the poller is done with it. */
    private long handle(Lane lane, Request r, long start) {
        if (r.flags() != 0) {
            badRequests.warn(
                    "{}: channel {}: flags 0x{} must be 0: {}",
                    options.name(),
                    lane.channel().index(),
                    Integer.toHexString(r.flags()),
                    describe(r));
            return completeInline(lane, r, -Errno.EINVAL, start);
        }
        boolean mayBlock;
        try {
            r = dispatcher.prepare(r);
            mayBlock = dispatcher.mayBlock(r);
        } catch (ErrnoException e) {
            return completeInline(lane, r, -e.errno(), start);
        } catch (Throwable t) {
            log.error("{}: prepare or mayBlock threw on {}", options.name(), describe(r), t);
            return completeInline(lane, r, -Errno.EIO, start);
        }
        if (!mayBlock) return completeInline(lane, r, dispatchSafely(r), start);
        try {
            workers.execute(new Job(lane, r, start));
        } catch (RejectedExecutionException e) {
            log.warn("{}: worker pool closed; {} not run", options.name(), describe(r));
            complete(lane, r, -Errno.EINTR, start);
        }
        return System.nanoTime();
    }

    private long dispatchSafely(Request r) {
        try {
            return dispatcher.dispatch(r);
        } catch (Throwable t) {
            // Whatever the dispatcher does with guest input, the guest gets an answer and the proxy keeps serving.
            log.error("{}: dispatcher threw on {}", options.name(), describe(r), t);
            return -Errno.EIO;
        }
    }

    /** Posts a completion from a worker (or on teardown). */
    private void complete(Lane lane, Request r, long result, long start) {
        lane.cq().post(r.id(), result);
        stats.record(r.opcode(), result, System.nanoTime() - start);
    }

    /** Posts a completion from the poller; returns the time it was posted. */
    private long completeInline(Lane lane, Request r, long result, long start) {
        lane.cq().post(r.id(), result);
        long end = System.nanoTime();
        if (Thread.currentThread() == poller) stats.recordByPoller(r.opcode(), result, end - start);
        else stats.record(r.opcode(), result, end - start);
        return end;
    }

    private static String describe(Request r) {
        return String.format(
                "%s(id=%d opcode=%d flags=%d args=0x%x 0x%x 0x%x 0x%x 0x%x 0x%x)",
                Opcodes.name(r.opcode()),
                r.id(),
                r.opcode(),
                r.flags(),
                r.a0(),
                r.a1(),
                r.a2(),
                r.a3(),
                r.a4(),
                r.a5());
    }
}
