package org.azalea.node;

import static org.azalea.abi.abi_h.AZ_CPU_MONITOR;
import static org.azalea.abi.abi_h.AZ_NODE_INFO_GPA;
import static org.azalea.abi.abi_h.AZ_NODE_INFO_SIZE;
import static org.azalea.abi.abi_h.AZ_NODE_MAX_CPUS;
import static org.azalea.abi.abi_h.AZ_NODE_MAX_RANGES;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.azalea.abi.az_core_mailbox;
import org.azalea.abi.az_node_cpu;
import org.azalea.abi.az_node_info;
import org.azalea.abi.az_node_range;

/**
 * What a booted node reported about itself (az_node_info), read once after it
 * said READY and checked: the node kernel is ours, but its memory is guest
 * memory, and a broken kernel must give a clear error, not a wild index.
 */
public record NodeInfo(
        List<Cpu> cpus,
        List<MemoryRange> ranges,
        int monitorCpu,
        long tscHz,
        long tscBoot,
        long tscCpusParked,
        long tscReady,
        long mailboxGpa,
        int mailboxStride,
        int features) {

    public record Cpu(int index, int apicId, int numaNode, int flags) {
        public boolean isMonitor() {
            return (flags & AZ_CPU_MONITOR()) != 0;
        }
    }

    /** Memory the host may hand to instances. */
    public record MemoryRange(long base, long size, int numaNode) {
        public long end() {
            return base + size;
        }
    }

    static NodeInfo read(MemorySegment info) {
        int ncpus = az_node_info.ncpus(info);
        int nranges = az_node_info.nranges(info);
        if (ncpus < 1 || ncpus > AZ_NODE_MAX_CPUS()) throw new IllegalStateException("node reports " + ncpus + " cpus");
        if (nranges < 0 || nranges > AZ_NODE_MAX_RANGES())
            throw new IllegalStateException("node reports " + nranges + " ranges");
        List<Cpu> cpus = new ArrayList<>();
        for (int i = 0; i < ncpus; i++) {
            MemorySegment c = az_node_info.cpus(info, i);
            cpus.add(new Cpu(i, az_node_cpu.apic_id(c), az_node_cpu.numa_node(c), az_node_cpu.flags(c)));
        }
        List<MemoryRange> ranges = new ArrayList<>();
        for (int i = 0; i < nranges; i++) {
            MemorySegment r = az_node_info.ranges(info, i);
            ranges.add(new MemoryRange(az_node_range.base(r), az_node_range.size(r), az_node_range.numa_node(r)));
        }
        int monitor = az_node_info.monitor_cpu(info);
        if (monitor < 0 || monitor >= ncpus) throw new IllegalStateException("node reports monitor cpu " + monitor);
        long mailboxGpa = az_node_info.mailbox_gpa(info);
        int stride = az_node_info.mailbox_stride(info);
        checkMailboxes(mailboxGpa, stride, ncpus);
        return new NodeInfo(
                List.copyOf(cpus),
                List.copyOf(ranges),
                monitor,
                az_node_info.tsc_hz(info),
                az_node_info.tsc_boot(info),
                az_node_info.tsc_cpus_parked(info),
                az_node_info.tsc_ready(info),
                mailboxGpa,
                stride,
                az_node_info.features(info));
    }

    /**
     * The mailboxes must lie after az_node_info and inside the node's info area,
     * one whole az_core_mailbox per stride: checked here once, so that the
     * address arithmetic of {@link Node} can trust these two numbers.
     */
    static void checkMailboxes(long gpa, int stride, int ncpus) {
        long lo = AZ_NODE_INFO_GPA() + az_node_info.sizeof();
        long hi = AZ_NODE_INFO_GPA() + AZ_NODE_INFO_SIZE();
        if (stride < az_core_mailbox.sizeof() || stride % 64 != 0) {
            throw new IllegalStateException("node reports mailbox stride " + stride + " (at least "
                    + az_core_mailbox.sizeof() + ", a multiple of 64)");
        }
        if (gpa < lo || gpa >= hi || (hi - gpa) / stride < ncpus) {
            throw new IllegalStateException(
                    "node reports " + ncpus + " mailboxes of " + stride + " bytes at 0x" + Long.toHexString(gpa)
                            + ", outside its info area 0x" + Long.toHexString(lo) + "-0x" + Long.toHexString(hi));
        }
    }

    /** Milliseconds from the kernel's first instruction to READY, by the node's own clock. */
    public double kernelBootMillis() {
        return tscHz == 0 ? Double.NaN : (tscReady - tscBoot) * 1000.0 / tscHz;
    }

    /** The usable memory of a NUMA node (quadrant), or null. */
    public MemoryRange rangeOf(int numaNode) {
        MemoryRange best = null;
        for (MemoryRange r : ranges) {
            if (r.numaNode() == numaNode && (best == null || r.size() > best.size())) best = r;
        }
        return best;
    }
}
