package org.azalea.ring;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits offloaded system calls from Java on one channel of a region, and
 * waits for their completions: the Java twin of the unikernel's client.
 *
 * <p>Any number of threads may share one client: submissions are serialised
 * by a client-private lock (a channel has one producer), and whichever
 * waiting thread gets the reaping lock drains the completion ring and routes
 * each result to its caller by id.  A channel must have only one client.
 *
 * <p>{@code trySubmit} never blocks: it returns {@link #FULL} when the
 * submission ring, or this client's table of {@code 2 * ring_entries}
 * results not yet awaited, is full.  Each id must be awaited exactly once,
 * by one thread; until then it holds its slot in that table (ids map to slots
 * in order, so one id never awaited eventually makes every submission FULL).
 * Waiting spins briefly (a served request comes back in well under a
 * microsecond), then parks with a growing timeout, so an idle waiter costs
 * little.  Nothing here times out unless asked: with no proxy serving the
 * channel, {@link #call} and {@link #await(long)} wait until one does.
 */
public final class OffloadClient {
    private static final Logger log = LoggerFactory.getLogger(OffloadClient.class);

    /** What {@code trySubmit} returns when there is no room; ids are never 0. */
    public static final long FULL = 0;
    /** Arguments per request ({@code az_sqe.args}). */
    public static final int MAX_ARGS = (int) org.azalea.abi.az_sqe.args$dimensions()[0];

    // Spin this long before parking: several round trips, far below a scheduler tick.
    private static final long SPIN_NANOS = 20_000;
    private static final long MIN_PARK_NANOS = 10_000;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final Channel channel;
    private final Doorbell doorbell;
    private final SubmissionProducer sq;
    private final CompletionConsumer cq;
    private final ReentrantLock submitLock = new ReentrantLock();
    private final ReentrantLock reapLock = new ReentrantLock();
    private long nextId = 1; // guarded by submitLock

    // Outstanding requests, indexed by id & slotMask: the owning id (0 = free), its result once done.
    private final int slotMask;
    private final AtomicLongArray owners;
    private final long[] results; // published by the release store to done
    private final AtomicIntegerArray done;
    private final AtomicReferenceArray<Thread> waiters;

    /** A client for channel {@code channelIndex} of {@code region}. */
    public OffloadClient(Region region, int channelIndex) {
        this.channel = region.channel(channelIndex);
        this.doorbell = new Doorbell(region);
        this.sq = new SubmissionProducer(channel);
        this.cq = new CompletionConsumer(channel);
        int slots = 2 * channel.ringEntries();
        this.slotMask = slots - 1;
        this.owners = new AtomicLongArray(slots);
        this.results = new long[slots];
        this.done = new AtomicIntegerArray(slots);
        this.waiters = new AtomicReferenceArray<>(slots);
    }

    public Channel channel() {
        return channel;
    }

    /**
     * Submits one request (flags 0).
     *
     * @param opcode an AZ_OP_* value (any uint16 is sent as is)
     * @return its id, for {@link #await}, or {@link #FULL}
     */
    public long trySubmit(int opcode, long a0, long a1, long a2, long a3, long a4, long a5) {
        checkOpcode(opcode);
        long id;
        submitLock.lock();
        try {
            id = put(opcode, a0, a1, a2, a3, a4, a5);
            sq.publishTail();
        } finally {
            submitLock.unlock();
        }
        if (id != FULL) doorbell.ringIfNeeded(channel);
        return id;
    }

    /** {@link #trySubmit(int, long, long, long, long, long, long)} with up to six arguments, the rest 0. */
    public long trySubmit(int opcode, long... args) {
        if (args.length > MAX_ARGS) throw new IllegalArgumentException(args.length + " arguments; at most " + MAX_ARGS);
        return trySubmit(opcode, arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), arg(args, 5));
    }

    /**
     * Submits up to {@code count} requests, publishing once and ringing at
     * most once: request i has opcode {@code opcodes[i]} and arguments
     * {@code args[6 * i .. 6 * i + 5]}; its id goes to {@code ids[i]}.
     *
     * @return how many were submitted (a prefix; fewer than {@code count} when full)
     */
    public int trySubmitBatch(int count, int[] opcodes, long[] args, long[] ids) {
        if (count < 0 || opcodes.length < count || ids.length < count || args.length / MAX_ARGS < count) {
            throw new IllegalArgumentException("batch of " + count + " with " + opcodes.length + " opcodes, "
                    + args.length + " arguments, " + ids.length + " id slots");
        }
        for (int i = 0; i < count; i++) checkOpcode(opcodes[i]);
        int n = 0;
        submitLock.lock();
        try {
            for (; n < count; n++) {
                int a = n * MAX_ARGS;
                long id = put(opcodes[n], args[a], args[a + 1], args[a + 2], args[a + 3], args[a + 4], args[a + 5]);
                if (id == FULL) break;
                ids[n] = id;
            }
            sq.publishTail();
        } finally {
            submitLock.unlock();
        }
        if (n > 0) doorbell.ringIfNeeded(channel);
        return n;
    }

    /** Waits for request {@code id}'s completion and returns its result ({@code >= 0} or {@code -errno}). */
    public long await(long id) throws InterruptedException {
        try {
            return await(id, Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError(e); // cannot happen without a deadline
        }
    }

    /**
     * As {@link #await(long)}, giving up after {@code timeout}; the request
     * stays outstanding and can be awaited again.
     */
    public long await(long id, long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        return await(id, unit.toNanos(timeout));
    }

    /**
     * Submits a request and waits for its result.  Unlike {@code trySubmit},
     * this waits for room when the channel is full.
     */
    public long call(int opcode, long... args) throws InterruptedException {
        long id;
        long start = System.nanoTime();
        while ((id = trySubmit(opcode, args)) == FULL) {
            // Draining completions is what frees room: the proxy takes a submission only with a completion slot free.
            reapIfFree();
            backOff(start, MIN_PARK_NANOS);
        }
        return await(id);
    }

    private long await(long id, long timeoutNanos) throws InterruptedException, TimeoutException {
        int slot = (int) id & slotMask;
        if (id == FULL || owners.get(slot) != id) {
            throw new IllegalArgumentException("request " + id + " is not outstanding on channel " + channel.index());
        }
        long start = System.nanoTime();
        long parkNanos = MIN_PARK_NANOS;
        for (int spins = 0; ; spins++) {
            if (done.get(slot) != 0 || reapIfFree() && done.get(slot) != 0) return take(slot);
            if ((spins & 63) != 0) {
                Thread.onSpinWait();
                continue;
            }
            if (Thread.interrupted()) throw new InterruptedException();
            long waited = System.nanoTime() - start;
            if (waited >= timeoutNanos) {
                throw new TimeoutException(
                        "request " + id + " on channel " + channel.index() + " not done after " + waited + " ns");
            }
            if (waited < SPIN_NANOS) continue;
            // Parked waiters wake on their own to reap: no thread may be left spinning to do it for them.
            waiters.set(slot, Thread.currentThread());
            if (done.get(slot) == 0) LockSupport.parkNanos(this, Math.min(parkNanos, timeoutNanos - waited));
            waiters.set(slot, null);
            parkNanos = Math.min(2 * parkNanos, MAX_PARK_NANOS);
        }
    }

    private long take(int slot) {
        long result = results[slot];
        // Release stores suffice: a submitter that still sees the old owner only reports FULL for a moment.
        done.lazySet(slot, 0);
        owners.lazySet(slot, 0);
        return result;
    }

    /** Drains the completion ring unless another thread is doing it; true if this thread did. */
    private boolean reapIfFree() {
        if (!reapLock.tryLock()) return false;
        try {
            while (cq.poll()) {
                long id = cq.id();
                int slot = (int) id & slotMask;
                if (id == FULL || owners.get(slot) != id || done.get(slot) != 0) {
                    log.warn(
                            "channel {}: completion for id {} (result {}) that no caller awaits",
                            channel.index(),
                            Long.toUnsignedString(id),
                            cq.result());
                    continue;
                }
                results[slot] = cq.result();
                done.set(slot, 1);
                Thread waiter = waiters.get(slot);
                if (waiter != null) LockSupport.unpark(waiter);
            }
            cq.publishHead();
            return true;
        } finally {
            reapLock.unlock();
        }
    }

    /** Under submitLock: claims an id and its slot, fills the entry; FULL if either is taken. */
    private long put(int opcode, long a0, long a1, long a2, long a3, long a4, long a5) {
        long id = nextId;
        int slot = (int) id & slotMask;
        if (owners.get(slot) != 0 || !sq.hasRoom()) return FULL;
        // Before the entry is published: the seq release store, the proxy and the completion's acquire
        // carry it to whichever thread reaps the completion.
        owners.lazySet(slot, id);
        sq.tryPut(opcode, 0, id, a0, a1, a2, a3, a4, a5);
        nextId = id + 1;
        return id;
    }

    private static void backOff(long start, long parkNanos) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (System.nanoTime() - start < SPIN_NANOS) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(parkNanos);
        }
    }

    private static void checkOpcode(int opcode) {
        if ((opcode & ~0xFFFF) != 0)
            throw new IllegalArgumentException("opcode " + opcode + " does not fit az_sqe.opcode");
    }

    private static long arg(long[] args, int i) {
        return i < args.length ? args[i] : 0;
    }
}
