package org.azalea.sideloader;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.azalea.node.NodeInfo;
import org.azalea.node.NodeShape;
import org.azalea.node.SizeParser;

/**
 * The sideloader's model of the node: the cores and memory of each quadrant
 * and who holds what.  Allocation and release are atomic (one lock): a
 * request gets everything it asked for or nothing, and a refusal says what is
 * free.  The full-weight kernel's quadrants (0 by default) are never handed
 * out; nor is the node's monitor CPU.
 */
public final class ResourceManager {
    /** What one quadrant offers instances. */
    public record QuadrantSpec(int quadrant, int[] cores, long memBase, long memSize) {}

    /** A read-only view, for `azalea ps` and `azalea stats`. */
    public record QuadrantUsage(
            int quadrant,
            boolean fullWeightKernel,
            int coresTotal,
            int coresFree,
            long memoryTotal,
            long memoryFree,
            long largestFreeBlock) {}

    private final Map<Integer, int[]> cores = new HashMap<>();
    private final Map<Integer, BitSet> busy = new HashMap<>(); // index into cores.get(q)
    private final Map<Integer, MemoryBlocks> memory = new HashMap<>();
    private final Set<Integer> fwk;
    private final List<Integer> quadrants = new ArrayList<>();
    private final Map<Long, Allocation> held = new HashMap<>();
    private long nextId = 1;

    public ResourceManager(List<QuadrantSpec> specs, Set<Integer> fullWeightKernelQuadrants) {
        this.fwk = Set.copyOf(fullWeightKernelQuadrants);
        for (QuadrantSpec s : specs) {
            quadrants.add(s.quadrant());
            cores.put(s.quadrant(), s.cores().clone());
            busy.put(s.quadrant(), new BitSet());
            memory.put(s.quadrant(), new MemoryBlocks(s.memBase(), s.memSize()));
        }
    }

    /** The quadrants of a booted node, as it reported them; its monitor CPU excluded. */
    public static ResourceManager forNode(NodeShape shape, NodeInfo info, Set<Integer> fullWeightKernelQuadrants) {
        List<QuadrantSpec> specs = new ArrayList<>();
        for (int q = 0; q < shape.quadrants(); q++) {
            List<Integer> usable = new ArrayList<>();
            for (NodeInfo.Cpu c : info.cpus()) {
                if (shape.quadrantOf(c.index()) == q && !c.isMonitor()) usable.add(c.index());
            }
            NodeInfo.MemoryRange r = info.rangeOf(q);
            specs.add(new QuadrantSpec(
                    q,
                    usable.stream().mapToInt(Integer::intValue).toArray(),
                    r == null ? 0 : r.base(),
                    r == null ? 0 : r.size()));
        }
        return new ResourceManager(specs, fullWeightKernelQuadrants);
    }

    public synchronized Allocation allocate(PartitionRequest r) throws ResourceUnavailableException {
        if (r.quadrant() != PartitionRequest.ANY) {
            checkQuadrant(r.quadrant());
            return r.wholeQuadrant()
                    ? takeWhole(r.quadrant(), r.memory())
                    : takeIn(r.quadrant(), r.cores(), r.memory(), r);
        }
        // Any quadrant: the one with the most free cores that fits, so instances spread out.
        int best = -1;
        for (int q : quadrants) {
            if (fwk.contains(q)) continue;
            boolean fits = r.wholeQuadrant()
                    ? wholeFree(q) && memFits(q, r.memory())
                    : freeCores(q) >= r.cores() && memory.get(q).largest() >= MemoryBlocks.alignUp(r.memory());
            if (fits && (best < 0 || freeCores(q) > freeCores(best))) best = q;
        }
        if (best >= 0) return r.wholeQuadrant() ? takeWhole(best, r.memory()) : takeIn(best, r.cores(), r.memory(), r);
        if (r.allowStraddle()) return takeStraddling(r);
        throw new ResourceUnavailableException("no quadrant has " + want(r) + " free; free now: " + describeFree());
    }

    public synchronized void release(Allocation a) {
        if (held.remove(a.id()) == null) throw new IllegalStateException(a + " is not held");
        for (int cpu : a.cpus()) {
            for (int q : quadrants) {
                int[] cs = cores.get(q);
                for (int i = 0; i < cs.length; i++)
                    if (cs[i] == cpu) busy.get(q).clear(i);
            }
        }
        memory.get(a.quadrant()).give(a.memBase(), a.memSize());
    }

    public synchronized List<Allocation> held() {
        return List.copyOf(held.values());
    }

    public synchronized List<QuadrantUsage> usage() {
        List<QuadrantUsage> out = new ArrayList<>();
        for (int q : quadrants) {
            MemoryBlocks m = memory.get(q);
            out.add(new QuadrantUsage(
                    q, fwk.contains(q), cores.get(q).length, freeCores(q), m.total(), m.free(), m.largest()));
        }
        return out;
    }

    /** One line: free cores and memory per quadrant. */
    public synchronized String describeFree() {
        StringBuilder b = new StringBuilder();
        for (int q : quadrants) {
            if (b.length() > 0) b.append("; ");
            MemoryBlocks m = memory.get(q);
            b.append("quadrant ")
                    .append(q)
                    .append(fwk.contains(q) ? " (full-weight kernel)" : "")
                    .append(": ")
                    .append(freeCores(q))
                    .append('/')
                    .append(cores.get(q).length)
                    .append(" cores, ")
                    .append(SizeParser.format(m.free()))
                    .append(" free (largest block ")
                    .append(SizeParser.format(m.largest()))
                    .append(")");
        }
        return b.toString();
    }

    private void checkQuadrant(int q) throws ResourceUnavailableException {
        if (!cores.containsKey(q)) {
            throw new ResourceUnavailableException("quadrant " + q + " does not exist (quadrants " + quadrants + ")");
        }
        if (fwk.contains(q)) throw new ResourceUnavailableException("quadrant " + q + " is the full-weight kernel's");
    }

    private Allocation takeWhole(int q, long mem) throws ResourceUnavailableException {
        if (!wholeFree(q)) {
            throw new ResourceUnavailableException(
                    "quadrant " + q + " is not wholly free; free now: " + describeFree());
        }
        long size = mem == 0 ? memory.get(q).total() : mem;
        if (!memFits(q, size)) {
            throw new ResourceUnavailableException("quadrant " + q + " has "
                    + SizeParser.format(memory.get(q).total()) + " of memory, not " + SizeParser.format(size));
        }
        int[] cs = cores.get(q);
        busy.get(q).set(0, cs.length);
        return record(q, cs.clone(), memory.get(q).take(size), size);
    }

    private Allocation takeIn(int q, int n, long mem, PartitionRequest r) throws ResourceUnavailableException {
        MemoryBlocks m = memory.get(q);
        if (freeCores(q) < n || m.largest() < MemoryBlocks.alignUp(mem)) {
            if (r.allowStraddle() && m.largest() >= MemoryBlocks.alignUp(mem)) return takeStraddling(r);
            throw new ResourceUnavailableException(
                    "quadrant " + q + " cannot give " + want(r) + "; free now: " + describeFree());
        }
        long base = m.take(mem);
        return record(q, takeCores(q, n), base, MemoryBlocks.alignUp(mem));
    }

    private Allocation takeStraddling(PartitionRequest r) throws ResourceUnavailableException {
        int total = 0;
        int memQ = -1;
        for (int q : quadrants) {
            if (fwk.contains(q)) continue;
            total += freeCores(q);
            boolean preferred = r.quadrant() == PartitionRequest.ANY || q == r.quadrant();
            if (preferred
                    && memory.get(q).largest() >= MemoryBlocks.alignUp(r.memory())
                    && (memQ < 0 || freeCores(q) > freeCores(memQ))) {
                memQ = q;
            }
        }
        if (total < r.cores() || memQ < 0) {
            throw new ResourceUnavailableException(
                    "the node cannot give " + want(r) + " even across quadrants; free now: " + describeFree());
        }
        List<Integer> picked = new ArrayList<>();
        for (int cpu : takeCores(memQ, Math.min(freeCores(memQ), r.cores()))) picked.add(cpu);
        for (int q : quadrants) {
            if (q == memQ || fwk.contains(q) || picked.size() == r.cores()) continue;
            for (int cpu : takeCores(q, Math.min(freeCores(q), r.cores() - picked.size()))) picked.add(cpu);
        }
        long base = memory.get(memQ).take(r.memory());
        return record(
                memQ, picked.stream().mapToInt(Integer::intValue).toArray(), base, MemoryBlocks.alignUp(r.memory()));
    }

    private int[] takeCores(int q, int n) {
        int[] cs = cores.get(q);
        BitSet b = busy.get(q);
        int[] out = new int[n];
        for (int i = 0, k = 0; k < n; i++) {
            if (!b.get(i)) {
                b.set(i);
                out[k++] = cs[i];
            }
        }
        return out;
    }

    private Allocation record(int q, int[] cpus, long base, long size) {
        Allocation a = new Allocation(nextId++, q, cpus, base, size);
        held.put(a.id(), a);
        return a;
    }

    private boolean wholeFree(int q) {
        return busy.get(q).isEmpty() && memory.get(q).allFree() && cores.get(q).length > 0;
    }

    private boolean memFits(int q, long size) {
        return MemoryBlocks.alignUp(size) <= memory.get(q).total();
    }

    private int freeCores(int q) {
        return cores.get(q).length - busy.get(q).cardinality();
    }

    private static String want(PartitionRequest r) {
        return r.wholeQuadrant() ? "a whole quadrant" : r.cores() + " cores and " + SizeParser.format(r.memory());
    }
}
