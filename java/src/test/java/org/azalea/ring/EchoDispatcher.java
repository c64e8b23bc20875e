package org.azalea.ring;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.azalea.abi.abi_h;
import org.azalea.host.Errno;
import org.azalea.proxy.SyscallDispatcher;

/**
 * A dispatcher for ring mechanics: the result is the request's a0; a1 picks a
 * behaviour (block until released or closed, block briefly, throw).  Opcodes
 * the ABI does not define get -ENOSYS, as a real dispatcher answers.
 */
public final class EchoDispatcher implements SyscallDispatcher {
    /** a1: may block; waits for {@link #release()} (result a0) or close (result -EINTR). */
    public static final long BLOCK = 1;
    /** a1: may block; sleeps 50 ms, result a0. */
    public static final long BLOCK_BRIEFLY = 2;
    /** a1: dispatch throws. */
    public static final long THROW = 3;
    /** a1: mayBlock throws. */
    public static final long THROW_IN_MAY_BLOCK = 4;

    public final AtomicInteger dispatched = new AtomicInteger();
    public final Queue<Request> seen = new ConcurrentLinkedQueue<>();
    public final Queue<String> threads = new ConcurrentLinkedQueue<>();
    /** One permit per request that entered a BLOCK wait. */
    public final Semaphore blocked = new Semaphore(0);

    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public long dispatch(Request r) {
        dispatched.incrementAndGet();
        seen.add(r);
        threads.add(Thread.currentThread().getName());
        if (r.opcode() >= abi_h.AZ_OP__LAST()) return -Errno.ENOSYS;
        if (r.a1() == THROW) throw new IllegalStateException("told to throw");
        if (r.a1() == BLOCK_BRIEFLY) {
            sleep(50);
        } else if (r.a1() == BLOCK) {
            blocked.release();
            while (released.getCount() > 0) {
                if (closed.getCount() == 0) return -Errno.EINTR;
                sleep(1);
            }
        }
        return r.a0();
    }

    @Override
    public boolean mayBlock(Request r) {
        if (r.a1() == THROW_IN_MAY_BLOCK) throw new IllegalStateException("mayBlock told to throw");
        return r.a1() == BLOCK || r.a1() == BLOCK_BRIEFLY;
    }

    /** Lets every BLOCK request finish with its a0. */
    public void release() {
        released.countDown();
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    @Override
    public void close() {
        closed.countDown();
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
