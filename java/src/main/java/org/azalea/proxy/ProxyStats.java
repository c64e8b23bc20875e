package org.azalea.proxy;

import java.util.concurrent.atomic.AtomicLongArray;
import org.azalea.abi.abi_h;

/**
 * Per-opcode statistics of one proxy: requests served, errors (results
 * below 0), and a latency histogram of the host-side service time (from
 * taking the submission to posting its completion).  Opcodes the ABI does
 * not define share one row, {@link Opcodes#LAST}.
 *
 * <p>Thread-safe and cheap: recording allocates nothing.  The polling thread
 * records into rows only it writes, without atomic read-modify-writes; worker
 * threads record into shared atomic rows; readers add the two.
 */
public final class ProxyStats {
    private static final int ROWS = Opcodes.LAST + 1;

    /** One set of rows. */
    private static final class Rows {
        final AtomicLongArray counts = new AtomicLongArray(ROWS);
        final AtomicLongArray errors = new AtomicLongArray(ROWS);
        final AtomicLongArray bytes = new AtomicLongArray(ROWS);
        final LatencyHistogram[] latency = new LatencyHistogram[ROWS];

        Rows() {
            for (int i = 0; i < ROWS; i++) latency[i] = new LatencyHistogram();
        }
    }

    private final Rows poller = new Rows();
    private final Rows shared = new Rows();

    /** Opcodes whose non-negative result is a byte count moved between guest memory and the host. */
    private static final boolean[] MOVES_DATA = movesData();

    private static boolean[] movesData() {
        boolean[] m = new boolean[ROWS];
        for (int op : new int[] {
            abi_h.AZ_OP_READ(),
            abi_h.AZ_OP_WRITE(),
            abi_h.AZ_OP_PREAD64(),
            abi_h.AZ_OP_PWRITE64(),
            abi_h.AZ_OP_READV(),
            abi_h.AZ_OP_WRITEV(),
            abi_h.AZ_OP_SENDTO(),
            abi_h.AZ_OP_RECVFROM(),
            abi_h.AZ_OP_SENDMSG(),
            abi_h.AZ_OP_RECVMSG(),
            abi_h.AZ_OP_SENDFILE(),
            abi_h.AZ_OP_GETDENTS64(),
            abi_h.AZ_OP_FMAP_READ(),
            abi_h.AZ_OP_FMAP_WRITE()
        }) {
            m[op] = true;
        }
        return m;
    }

    /** Bytes moved by requests with this opcode (read, write, send, recv and their kin; 0 for others). */
    public long bytes(int opcode) {
        int row = row(opcode);
        return poller.bytes.get(row) + shared.bytes.get(row);
    }

    private static int row(int opcode) {
        return Opcodes.isKnown(opcode) ? opcode : Opcodes.LAST;
    }

    /** Records one served request, from any thread. */
    public void record(int opcode, long result, long nanos) {
        int row = row(opcode);
        shared.counts.getAndIncrement(row);
        if (result < 0) shared.errors.getAndIncrement(row);
        else if (MOVES_DATA[row]) shared.bytes.getAndAdd(row, result);
        shared.latency[row].record(nanos);
    }

    /**
     * Counts {@code n} no-ops served by the polling thread, untimed: they
     * measure the channel itself, where a clock read would be a good part of
     * the cost it measures (their latency histogram stays empty).
     */
    void countNopsByPoller(int n) {
        int row = abi_h.AZ_OP_NOP();
        poller.counts.lazySet(row, poller.counts.get(row) + n);
    }

    /** {@link #countNopsByPoller} from any thread. */
    void countNops(int n) {
        shared.counts.getAndAdd(abi_h.AZ_OP_NOP(), n);
    }

    /** Records one served request from the proxy's single polling thread. */
    void recordByPoller(int opcode, long result, long nanos) {
        int row = row(opcode);
        poller.counts.lazySet(row, poller.counts.get(row) + 1);
        if (result < 0) poller.errors.lazySet(row, poller.errors.get(row) + 1);
        else if (MOVES_DATA[row]) poller.bytes.lazySet(row, poller.bytes.get(row) + result);
        poller.latency[row].recordSingleWriter(nanos);
    }

    /** Requests served with this opcode (any undefined opcode: the shared row). */
    public long count(int opcode) {
        int row = row(opcode);
        return poller.counts.get(row) + shared.counts.get(row);
    }

    /** Of those, how many completed with {@code -errno}. */
    public long errors(int opcode) {
        int row = row(opcode);
        return poller.errors.get(row) + shared.errors.get(row);
    }

    /** A snapshot of the opcode's latency histogram. */
    public LatencyHistogram latency(int opcode) {
        int row = row(opcode);
        return LatencyHistogram.sum(poller.latency[row], shared.latency[row]);
    }

    /** Requests served, all opcodes. */
    public long total() {
        long n = 0;
        for (int i = 0; i < ROWS; i++) n += poller.counts.get(i) + shared.counts.get(i);
        return n;
    }

    /** Errors, all opcodes. */
    public long totalErrors() {
        long n = 0;
        for (int i = 0; i < ROWS; i++) n += poller.errors.get(i) + shared.errors.get(i);
        return n;
    }

    /** One line per opcode served: name, count, errors, p50/p90/p99/max in ns. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int op = 0; op < ROWS; op++) {
            long n = count(op); // op == LAST: the row of every undefined opcode
            if (n == 0) continue;
            LatencyHistogram h = latency(op);
            sb.append(String.format(
                    "%-14s %10d %8d  p50 %d p90 %d p99 %d max %d ns%n",
                    op < Opcodes.LAST ? Opcodes.name(op) : "(undefined)",
                    n,
                    errors(op),
                    h.p50(),
                    h.p90(),
                    h.p99(),
                    h.max()));
        }
        return sb.toString();
    }
}
