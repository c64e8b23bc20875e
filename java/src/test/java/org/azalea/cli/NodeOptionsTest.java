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
}
