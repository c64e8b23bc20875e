package org.azalea.sideloader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The allocation policy on the paper's node shape: 4 quadrants x 18 cores, 478-510M each. */
class ResourceManagerTest {
    static final long M = 1L << 20;

    /** As the node reports it: cpu 0 is the monitor; quadrant 0 loses the kernel's first 32 MiB. */
    static ResourceManager knl() {
        List<ResourceManager.QuadrantSpec> q = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int first = i * 18 + (i == 0 ? 1 : 0);
            int[] cores = new int[(i + 1) * 18 - first];
            for (int c = 0; c < cores.length; c++) cores[c] = first + c;
            long base = i * 512 * M + (i == 0 ? 32 * M : 0);
            q.add(new ResourceManager.QuadrantSpec(i, cores, base, (i + 1) * 512 * M - base));
        }
        return new ResourceManager(q, Set.of(0));
    }

    @Test
    void anyQuadrantSpreadsInstancesAndNeverUsesTheFullWeightKernels() throws Exception {
        ResourceManager rm = knl();
        Allocation a = rm.allocate(PartitionRequest.of(4, 64 * M));
        Allocation b = rm.allocate(PartitionRequest.of(4, 64 * M));
        Allocation c = rm.allocate(PartitionRequest.of(4, 64 * M));
        assertEquals(Set.of(1, 2, 3), Set.of(a.quadrant(), b.quadrant(), c.quadrant()));
        assertArrayEquals(new int[] {18, 19, 20, 21}, a.cpus());
        assertEquals(512 * M, a.memBase());
        var e = assertThrows(ResourceUnavailableException.class, () -> rm.allocate(PartitionRequest.of(0, 1, 4 * M)));
        assertTrue(e.getMessage().contains("full-weight kernel"), e.getMessage());
    }

    @Test
    void refusalsSayWhatIsFree() throws Exception {
        ResourceManager rm = knl();
        rm.allocate(PartitionRequest.quadrant(1));
        var e = assertThrows(ResourceUnavailableException.class, () -> rm.allocate(PartitionRequest.of(1, 1, 4 * M)));
        assertTrue(e.getMessage().contains("quadrant 1: 0/18 cores"), e.getMessage());
        assertTrue(e.getMessage().contains("quadrant 2: 18/18 cores, 512M free"), e.getMessage());
        e = assertThrows(ResourceUnavailableException.class, () -> rm.allocate(PartitionRequest.of(19, 4 * M)));
        assertTrue(e.getMessage().contains("no quadrant has 19 cores"), e.getMessage());
        e = assertThrows(ResourceUnavailableException.class, () -> rm.allocate(PartitionRequest.of(1, 600 * M)));
        assertTrue(e.getMessage().contains("largest block 512M"), e.getMessage());
        assertThrows(ResourceUnavailableException.class, () -> rm.allocate(PartitionRequest.quadrant(7)));
    }

    @Test
    void aWholeQuadrantNeedsItAllFreeAndTakesItAll() throws Exception {
        ResourceManager rm = knl();
        Allocation small = rm.allocate(PartitionRequest.of(2, 1, 4 * M));
        assertThrows(ResourceUnavailableException.class, () -> rm.allocate(PartitionRequest.quadrant(2)));
        rm.release(small);
        Allocation whole = rm.allocate(PartitionRequest.quadrant(2));
        assertEquals(18, whole.coreCount());
        assertEquals(512 * M, whole.memSize());
    }

    @Test
    void straddlingOnlyWhenAsked() throws Exception {
        ResourceManager rm = knl();
        assertThrows(ResourceUnavailableException.class, () -> rm.allocate(PartitionRequest.of(30, 64 * M)));
        Allocation a = rm.allocate(PartitionRequest.of(30, 64 * M).straddling());
        assertEquals(30, a.coreCount());
        assertEquals(30, new HashSet<>(java.util.Arrays.stream(a.cpus()).boxed().toList()).size());
        for (int cpu : a.cpus()) assertTrue(cpu >= 18, "no full-weight kernel core: " + cpu);
    }

    @Test
    void releaseMergesMemoryAndRefusesDoubleRelease() throws Exception {
        ResourceManager rm = knl();
        List<Allocation> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) all.add(rm.allocate(PartitionRequest.of(3, 1, 100 * M)));
        for (int i = 0; i < 5; i += 2) rm.release(all.get(i));
        for (int i = 1; i < 5; i += 2) rm.release(all.get(i));
        assertThrows(IllegalStateException.class, () -> rm.release(all.get(0)));
        assertEquals(512 * M, rm.allocate(PartitionRequest.quadrant(3)).memSize(), "fragments merged back");
        assertTrue(rm.usage().stream().filter(u -> u.quadrant() == 1).allMatch(u -> u.coresFree() == 18));
    }

    @Test
    void concurrentRequestsNeverShareACoreOrAByte() throws Exception {
        ResourceManager rm = knl();
        ConcurrentLinkedQueue<Allocation> got = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 200; i++) {
                        try {
                            Allocation a = rm.allocate(PartitionRequest.of(3, 30 * M));
                            got.add(a);
                            if (i % 3 == 0) {
                                got.remove(a);
                                rm.release(a);
                            }
                        } catch (ResourceUnavailableException full) {
                            Allocation a = got.poll();
                            if (a != null) rm.release(a);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        Set<Integer> cores = new HashSet<>();
        List<long[]> ranges = new ArrayList<>();
        for (Allocation a : got) {
            for (int c : a.cpus()) assertTrue(cores.add(c), "core " + c + " held twice");
            for (long[] r : ranges) {
                assertTrue(a.memBase() >= r[1] || a.memBase() + a.memSize() <= r[0], "memory overlaps");
            }
            ranges.add(new long[] {a.memBase(), a.memBase() + a.memSize()});
        }
        assertEquals(got.size(), rm.held().size());
    }
}
