package org.azalea.proxy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A guest forging bad requests gets a few warnings logged per window and then a count, never one line each. */
class BadRequestLogTest {
    final List<String> lines = new ArrayList<>();
    final AtomicLong now = new AtomicLong(1_000);
    final RateLimitedLog log = new RateLimitedLog(
            "p", (format, args) -> lines.add(format + " " + List.of(args)), 5, 1_000_000_000L, now::get);

    @Test
    void twentyThousandForgedEntriesLogFiveLinesAndACount() {
        for (int i = 0; i < 20_000; i++) log.warn("bad {}", i);
        assertEquals(5, lines.size());
        assertEquals("bad {} [4]", lines.get(4));
        assertEquals(19_995, log.suppressed());
        log.flush();
        assertEquals(6, lines.size());
        assertTrue(lines.get(5).contains("19995"), lines.get(5));
        assertEquals(0, log.suppressed());
        log.flush();
        assertEquals(6, lines.size(), "no count when nothing was dropped");
    }

    @Test
    void aNewWindowReportsTheCountAndLogsAgain() {
        for (int i = 0; i < 7; i++) log.warn("bad {}", i);
        now.addAndGet(1_000_000_000L);
        log.warn("bad {}", 7);
        assertEquals(7, lines.size(), "5, the count of 2, then the new window's first");
        assertTrue(lines.get(5).contains("[p, 2, 5, 1000]"), lines.get(5));
        assertEquals("bad {} [7]", lines.get(6));
    }
}
