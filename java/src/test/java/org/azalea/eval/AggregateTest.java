package org.azalea.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Result lines, the Fig. 5 split, combining instances, medians and the oversubscribed flag. */
class AggregateTest {
    static String line(int users, double seconds, double jpm, String checksum) {
        return "aim7: workfile shared\naim7: result workfile=shared users=" + users + " jobs=1 tests=54 seconds="
                + seconds + " jpm=" + jpm + " jti=99.0 checksum=" + checksum + "\n";
    }

    @Test
    void parsesTheLastResultLineAndRefusesBrokenOnes() {
        Aim7Result r = Aim7Result.parse(line(2, 1.5, 80, "00000000000000ff"));
        assertEquals(2, r.users());
        assertEquals(80, r.jpm());
        assertEquals(255, r.checksum());
        assertNull(Aim7Result.parse("aim7: result users=x"));
        assertNull(Aim7Result.parse("no result at all"));
    }

    @Test
    void splitsUsersAndCoresOverQuadrantsOneToThree() {
        List<Split> s = Split.of(7, 5, 3);
        assertEquals(List.of(new Split(1, 3, 2, 0), new Split(2, 2, 2, 3), new Split(3, 2, 1, 5)), s);
        assertEquals(List.of(new Split(1, 1, 1, 0)), Split.of(1, 1, 3));
        assertEquals(2, Split.of(2, 4, 3).size()); // never more parts than users
    }

    @Test
    void combinedInstancesCountAllJobsOverTheSlowest() {
        Aim7Result a = Aim7Result.parse(line(2, 2.0, 60, "0000000000000001"));
        Aim7Result b = Aim7Result.parse(line(1, 3.0, 20, "0000000000000002"));
        Aim7Result c = Aim7Result.combine(List.of(a, b));
        assertEquals(3, c.users());
        assertEquals(60.0, c.jpm(), 1e-9); // 3 jobs in 3 s
        assertEquals(3, c.checksum());
        Aim7Result run =
                Aim7Result.parseRun(line(2, 2.0, 60, "0000000000000001") + line(1, 3.0, 20, "0000000000000002"), 2);
        assertEquals(c, run); // the instances' outputs one after the other
        assertNull(Aim7Result.parseRun(line(2, 2.0, 60, "01"), 2)); // an instance without its result
    }

    @Test
    void fig5OnAzaleaCombinesItsInstances() {
        Task t = new Task("y", Task.Kind.AIM7, "fig5", "shared", 2, 2, 0, List.of("shared"));
        String two = line(1, 1.0, 60, "05") + line(1, 2.0, 30, "05");
        List<Outcome> os = List.of(
                new Outcome(t, "azalea", "tcg", 0, two, null, 1),
                new Outcome(t, "azalea", "tcg", 0, two, null, 1),
                new Outcome(t, "azalea", "tcg", 0, two, null, 1));
        Point p = Aggregate.points(os, 2).get(0);
        assertEquals(60, p.jpm(), 1e-9); // 2 jobs in 2 s
        assertEquals("000000000000000a", p.checksum());
    }

    @Test
    void medianMinMaxAndOversubscription() {
        Task t = new Task("x", Task.Kind.AIM7, "fig4", "compute", 4, 4, 0, List.of("compute"));
        List<Outcome> os = List.of(
                new Outcome(t, "azalea", "tcg", 0, line(4, 1, 10, "0a"), null, 1),
                new Outcome(t, "azalea", "tcg", 0, line(4, 1, 30, "0a"), null, 1),
                new Outcome(t, "azalea", "tcg", 0, line(4, 1, 20, "0a"), null, 1));
        Point p = Aggregate.points(os, 2).get(0);
        assertEquals(20, p.jpm());
        assertEquals(10, p.jpmMin());
        assertEquals(30, p.jpmMax());
        assertTrue(p.oversubscribed()); // 4 busy vCPUs on 2 host CPUs
        assertNull(p.error());
        assertFalse(Aggregate.points(os, 8).get(0).oversubscribed());
        List<Outcome> bad = List.of(
                new Outcome(t, "linux", "tcg", 0, line(4, 1, 10, "0a"), null, 1),
                new Outcome(t, "linux", "tcg", 0, line(4, 1, 10, "0b"), null, 1),
                new Outcome(t, "linux", "tcg", 1, "crash", null, 1));
        Point q = Aggregate.points(bad, 2).get(0);
        assertTrue(q.error().startsWith("checksums differ") || q.error().contains("exit status 1"), q.error());
        assertEquals(2, q.reps());
    }
}
