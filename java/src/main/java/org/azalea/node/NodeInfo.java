package org.azalea.node;

import static org.azalea.abi.abi_h.AZ_CPU_MONITOR;
import static org.azalea.abi.abi_h.AZ_NODE_MAX_CPUS;
import static org.azalea.abi.abi_h.AZ_NODE_MAX_RANGES;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.azalea.abi.az_node_cpu;
import org.azalea.abi.az_node_info;
import org.azalea.abi.az_node_range;

/**
 * What a booted node reported about itself (az_node_info), read once after it
 * said READY and checked: the node kernel is ours, but its memory is guest
 * memory, and a broken kernel must give a clear error, not a wild index.
 */
public record NodeInfo(List<Cpu> cpus, List<MemoryRange> ranges, int monitorCpu, long tscHz, long tscBoot,
        long tscCpusParked, long tscReady, long mailboxGpa, int mailboxStride, int features) {

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
        if (nranges < 0 || nranges > AZ_NODE_MAX_RANGES()) throw new IllegalStateException("node reports " + nranges + " ranges");
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
        return new NodeInfo(List.copyOf(cpus), List.copyOf(ranges), monitor, az_node_info.tsc_hz(info),
                az_node_info.tsc_boot(info), az_node_info.tsc_cpus_parked(info), az_node_info.tsc_ready(info),
                az_node_info.mailbox_gpa(info), az_node_info.mailbox_stride(info), az_node_info.features(info));
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
