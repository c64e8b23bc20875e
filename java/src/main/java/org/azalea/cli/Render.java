package org.azalea.cli;

import java.util.List;
import org.azalea.node.SizeParser;
import org.azalea.service.InstanceView;
import org.azalea.service.NodeStatus;
import org.azalea.service.OpcodeView;
import org.azalea.sideloader.ResourceManager.QuadrantUsage;

/** The CLI's text tables: node status, instance lists, offload statistics. */
final class Render {
    private Render() {}

    static String status(NodeStatus s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "node %s: pid %d, up %s (booted in %d ms), azalea %s%n",
                s.alive() ? "running" : "DOWN", s.pid(), duration(s.uptimeMillis()), s.bootMillis(), s.version()));
        b.append(String.format(
                "shape: %d cpus in %d quadrants of %d cpus and %s; accelerator %s (%s)%n",
                s.cpus(),
                s.quadrants(),
                s.cpus() / Math.max(1, s.quadrants()),
                SizeParser.format(s.memoryPerQuadrant()),
                s.accelerator(),
                s.acceleratorReason()));
        if (!s.socket().isEmpty()) b.append("socket: ").append(s.socket()).append('\n');
        b.append("node console: ").append(s.consoleLog()).append('\n');
        b.append(String.format("instances: %d running, %d kept%n", s.running(), s.kept()));
        if (s.quarantined() > 0) {
            b.append(String.format(
                    "QUARANTINED: %d instance(s) whose cores would not park; their memory and cores are never"
                            + " reused (see ps)%n",
                    s.quarantined()));
        }
        b.append(quadrants(s.usage()));
        return b.toString();
    }

    static String quadrants(List<QuadrantUsage> usage) {
        StringBuilder b = new StringBuilder(String.format(
                "%-9s %-20s %-11s %-16s %s%n", "QUADRANT", "ROLE", "CORES FREE", "MEMORY FREE", "LARGEST FREE BLOCK"));
        for (QuadrantUsage u : usage) {
            b.append(String.format(
                    "%-9d %-20s %-11s %-16s %s%n",
                    u.quadrant(),
                    u.fullWeightKernel() ? "full-weight kernel" : "unikernels",
                    u.coresFree() + "/" + u.coresTotal(),
                    SizeParser.format(u.memoryFree()) + "/" + SizeParser.format(u.memoryTotal()),
                    SizeParser.format(u.largestFreeBlock())));
        }
        return b.toString();
    }

    static String instances(List<InstanceView> list) {
        StringBuilder b = new StringBuilder(String.format(
                "%-5s %-16s %-8s %-6s %-8s %-7s %-8s %-20s %-9s %s%n",
                "ID", "NAME", "QUADRANT", "CORES", "CPUS", "MEMORY", "NET", "STATE", "UPTIME", "OFFLOADS"));
        for (InstanceView v : list) {
            b.append(String.format(
                    "%-5d %-16s %-8d %-6d %-8s %-7s %-8s %-20s %-9s %d%n",
                    v.id(),
                    v.name(),
                    v.quadrant(),
                    v.cpus().length,
                    v.cpuText(),
                    SizeParser.format(v.memSize()),
                    v.net().label(),
                    v.stateText(),
                    duration(v.uptimeMillis()),
                    v.offloads()));
        }
        return b.toString();
    }

    /** One instance's offload statistics: a heading line and one line per opcode served. */
    static String offloads(InstanceView v) {
        StringBuilder b = new StringBuilder(String.format(
                "instance %d %s: quadrant %d, cpus %s, %s, net %s; %s, %s; %d offloads, %d errors%s%n",
                v.id(),
                v.name(),
                v.quadrant(),
                v.cpuText(),
                SizeParser.format(v.memSize()),
                v.net().label(),
                v.ended() ? v.outcome() : v.state().name(),
                duration(v.uptimeMillis()),
                v.offloads(),
                v.offloadErrors(),
                v.reclaimMicros() >= 0 ? String.format(", reclaimed in %.1f ms", v.reclaimMicros() / 1000.0) : ""));
        if (v.opcodes().isEmpty()) return b.toString();
        b.append(String.format(
                "  %-14s %10s %8s %10s %10s %10s %10s%n", "OPCODE", "COUNT", "ERRORS", "BYTES", "P50", "P99", "MAX"));
        for (OpcodeView o : v.opcodes()) {
            b.append(String.format(
                    "  %-14s %10d %8d %10s %10s %10s %10s%n",
                    o.name(),
                    o.count(),
                    o.errors(),
                    o.bytes() == 0 ? "-" : Long.toString(o.bytes()),
                    nanos(o.p50Nanos()),
                    nanos(o.p99Nanos()),
                    nanos(o.maxNanos())));
        }
        return b.toString();
    }

    static String nanos(long ns) {
        if (ns < 10_000) return ns + " ns";
        if (ns < 10_000_000) return String.format("%.1f us", ns / 1e3);
        return String.format("%.1f ms", ns / 1e6);
    }

    static String duration(long ms) {
        if (ms < 10_000) return String.format("%.2fs", ms / 1000.0);
        if (ms < 3_600_000) return String.format("%dm%02ds", ms / 60_000, ms / 1000 % 60);
        return String.format("%dh%02dm", ms / 3_600_000, ms / 60_000 % 60);
    }
}
