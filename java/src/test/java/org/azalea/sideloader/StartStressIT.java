package org.azalea.sideloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.azalea.node.InstanceOutcome;
import org.azalea.node.Node;
import org.azalea.testing.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts and ends instances of 1 to 18 cores back to back on the same
 * quadrants, three quadrants at once, and asks that none is refused and that
 * nothing leaks.  {@code -Dazalea.stress.starts=N} sets how many (the default
 * is the short run of {@code make test}; {@code make stress} runs 500).
 * Each launch re-uses the cores and memory the previous one on its quadrant
 * just gave back, which is where a late core or a late write shows.
 */
class StartStressIT {
    static final Path BUILD = TestEnv.BUILD;
    static final Path IMAGES = BUILD.resolve("test-images");
    static final int STARTS = Integer.getInteger("azalea.stress.starts", 60);
    static final long M = 1L << 20;
    static Sideloader sl;

    @TempDir
    Path root;

    @BeforeAll
    static void boot() throws Exception {
        TestEnv.assumeQemu();
        sl = Sideloader.boot(Node.Config.defaults(BUILD));
    }

    @AfterAll
    static void stop() {
        if (sl != null) sl.close();
    }

    /** One quadrant's share: sequential launches with a seeded mix of core counts and programs. */
    private List<Long> runQuadrant(int quadrant, int starts, ConcurrentLinkedQueue<String> failures) throws Exception {
        Random rnd = new Random(1000 + quadrant);
        List<Long> launchMicros = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            int cores = 1 + rnd.nextInt(18);
            // Mostly the shortest program (starts are what is under test); some that use every core.
            String image = i % 5 == 4 ? "threads" : "hello";
            long t0 = System.nanoTime();
            ManagedInstance mi;
            try {
                mi = sl.launch(new LaunchRequest(
                        image,
                        IMAGES.resolve(image),
                        List.of(),
                        List.of("HOME=/"),
                        PartitionRequest.of(quadrant, cores, 32 * M),
                        root,
                        null,
                        null,
                        null));
            } catch (IOException | ResourceUnavailableException e) {
                failures.add("quadrant " + quadrant + " start " + i + " (" + cores + " cores, " + image + "): "
                        + e.getMessage());
                continue;
            }
            launchMicros.add((System.nanoTime() - t0) / 1000);
            InstanceOutcome o = mi.awaitReclaimed(Duration.ofSeconds(120));
            if (o == null || o.processStatus() != 0 || !mi.console().contains("AZALEA-TEST-PASS")) {
                failures.add("quadrant " + quadrant + " start " + i + " (" + cores + " cores, " + image + "): "
                        + (o == null ? "not reclaimed in 120 s" : o.describe()) + "\n" + mi.console());
            }
        }
        return launchMicros;
    }

    @Test
    void everyStartOnReusedCoresAndMemorySucceedsAndNothingLeaks() throws Exception {
        long fds = HostResources.openFds();
        long shm = HostResources.shmFiles();
        int perQuadrant = (STARTS + 2) / 3;
        var failures = new ConcurrentLinkedQueue<String>();
        long t0 = System.nanoTime();
        List<Long> micros = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<List<Long>>> done = new ArrayList<>();
            for (int q = 1; q <= 3; q++) {
                int quadrant = q;
                done.add(pool.submit(() -> runQuadrant(quadrant, perQuadrant, failures)));
            }
            for (Future<List<Long>> f : done) micros.addAll(f.get());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Collections.sort(micros);
        System.out.printf(
                "start stress: %d starts in %.1f s (%.1f/s); launch p50 %d us, p99 %d us, max %d us%n",
                3 * perQuadrant,
                seconds,
                3 * perQuadrant / seconds,
                pct(micros, 50),
                pct(micros, 99),
                micros.isEmpty() ? 0 : micros.getLast());
        assertEquals(List.of(), List.copyOf(failures), "every start is taken and every instance exits 0");
        for (var u : sl.resources().usage()) {
            assertEquals(
                    u.coresTotal(),
                    u.coresFree(),
                    "quadrant " + u.quadrant() + " cores: " + sl.resources().describeFree());
            assertEquals(u.memoryTotal(), u.memoryFree(), "quadrant " + u.quadrant() + " memory");
        }
        Thread.sleep(200);
        assertTrue(
                HostResources.openFds() <= fds + 2,
                "host fds: " + fds + " before, " + HostResources.openFds() + " after");
        assertEquals(shm, HostResources.shmFiles(), "/dev/shm files");
    }

    /**
     * Every core's first START at once: a fresh node, three whole quadrants
     * launched together (the paper's deployment), several times.  A core's
     * first START is where per-core kernel state is first used.
     */
    @Test
    void theFirstStartsOfEveryCoreOfAFreshNodeAtOnce() throws Exception {
        int nodes = Integer.getInteger("azalea.stress.nodes", 4);
        for (int n = 0; n < nodes; n++) {
            try (Sideloader fresh = Sideloader.boot(Node.Config.defaults(BUILD))) {
                List<ManagedInstance> running = new ArrayList<>();
                try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
                    List<Future<ManagedInstance>> launched = new ArrayList<>();
                    for (int q = 1; q <= 3; q++) {
                        var req = new LaunchRequest(
                                "hello",
                                IMAGES.resolve("hello"),
                                List.of(),
                                List.of("HOME=/"),
                                PartitionRequest.quadrant(q),
                                root,
                                null,
                                null,
                                null);
                        launched.add(pool.submit(() -> fresh.launch(req)));
                    }
                    for (Future<ManagedInstance> f : launched) running.add(f.get());
                }
                for (ManagedInstance mi : running) {
                    InstanceOutcome o = mi.awaitReclaimed(Duration.ofSeconds(60));
                    assertEquals(0, o == null ? -1 : o.processStatus(), "node " + n + ", " + mi + ": " + mi.console());
                }
            }
        }
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
