package org.azalea.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportVerdictTest {
    private static Point point(String system, int users, double jpm, double load) {
        return new Point("fig4", system, "compute", users, users, jpm, jpm, jpm, 3, false, "c", 1, load, null);
    }

    @Test
    void equalSpeedAtEqualLoadHolds() {
        List<Point> ps = List.of(point("azalea", 1, 100, 3), point("linux", 1, 104, 3));
        assertEquals("holds (within 10% at every point that is not oversubscribed)", Report.verdictRatio(ps, "fig4"));
    }

    @Test
    void linuxFasterDoesNotHold() {
        List<Point> ps = List.of(point("azalea", 1, 50, 3), point("linux", 1, 100, 3));
        assertTrue(Report.verdictRatio(ps, "fig4").startsWith("does not hold here"));
    }

    @Test
    void aLinuxPointRunOnAStarvedHostIsLeftOutAndSaidSo() {
        List<Point> ps = List.of(
                point("azalea", 1, 460, 7), point("linux", 1, 100, 29), // host load 4x: left out
                point("azalea", 2, 100, 5), point("linux", 2, 98, 6));
        String v = Report.verdictRatio(ps, "fig4");
        assertTrue(v.startsWith("holds (within 10%"), v);
        assertTrue(v.contains("1 point(s) left out"), v);
    }

    @Test
    void everyPointSkewedIsNotComparable() {
        List<Point> ps = List.of(point("azalea", 1, 460, 7), point("linux", 1, 100, 29));
        assertTrue(Report.verdictRatio(ps, "fig4").startsWith("not comparable on this host"));
    }
}
