package org.azalea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.azalea.node.Node;
import org.junit.jupiter.api.Test;

/** The node options that are not the machine's shape. */
class NodeOptionsTest {
    @Test
    void theConsoleCapIsSixtyFourMegabytesUnlessGiven() throws Exception {
        assertEquals(
                Node.Config.DEFAULT_CONSOLE_CAP, NodeOptions.parse(List.of()).consoleCap());
        assertEquals(64L << 20, Node.Config.DEFAULT_CONSOLE_CAP);
        assertEquals(1L << 20, NodeOptions.parse(List.of("--console-cap", "1M")).consoleCap());
        assertThrows(UsageException.class, () -> NodeOptions.parse(List.of("--console-cap", "lots")));
    }

    @Test
    void theSpinBudgetIsTheHostsCpusButOneUnlessGiven() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.max(1, cpus - 1), NodeOptions.parse(List.of()).spinCores());
        assertEquals(3, NodeOptions.parse(List.of("--spin-cores", "3")).spinCores());
        assertEquals(0, NodeOptions.parse(List.of("--spin-cores", "all")).spinCores(), "0: every core may spin");
        for (String bad : List.of("0", "-1", "100000", "some")) {
            assertThrows(UsageException.class, () -> NodeOptions.parse(List.of("--spin-cores", bad)), bad);
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> Node.Config.defaults(java.nio.file.Path.of("build")).withSpinCores(-1));
    }
}
