package org.azalea.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.azalea.node.Node;
import org.azalea.sideloader.Sideloader;
import org.azalea.testing.TestEnv;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real node, managed by a sideloader (so that an application's end is
 * followed by the reclaim of its cores and memory), shared by an application
 * test class: booted before its first test, stopped after its last.  Skipped
 * only when QEMU cannot start at all.
 */
final class AppNode implements BeforeAllCallback, AfterAllCallback {

    Sideloader sideloader;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TestEnv.assumeQemu();
        sideloader = Sideloader.boot(Node.Config.defaults(TestEnv.BUILD));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (sideloader != null) sideloader.close();
        sideloader = null;
    }

    /** Every core and every byte of every quadrant is free again, nothing held. */
    void assertAllFree() {
        for (var u : sideloader.resources().usage()) {
            assertEquals(
                    u.coresTotal(),
                    u.coresFree(),
                    "quadrant " + u.quadrant() + " cores: "
                            + sideloader.resources().describeFree());
            assertEquals(u.memoryTotal(), u.memoryFree(), "quadrant " + u.quadrant() + " memory");
        }
        assertTrue(
                sideloader.resources().held().isEmpty(),
                "held: " + sideloader.resources().held());
    }

    /**
     * The system calls instance {@code id} made that the kernel does not offer:
     * its "not implemented (-ENOSYS)" lines on the node console (one per number).
     */
    List<String> unimplementedCallsOf(long id) throws IOException {
        String prefix = "instance " + id + ": system call ";
        try (Stream<String> lines = Files.lines(sideloader.node().consoleLog(), StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(prefix) && l.contains("-ENOSYS"))
                    .toList();
        }
    }
}
