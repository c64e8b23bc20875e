package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azalea.proxy.Stdio;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program printing without end on the serial console (serial stdio) cannot
 * fill the host's disk: node.log keeps everything up to the node's console cap,
 * in order, then one note; the node goes on serving.
 */
class ConsoleCapIT {
    private static final long CAP = 128 * 1024;
    private static final long WRITTEN = 512 * 1024;

    @TempDir
    Path root;

    @Test
    void theNodeConsoleStopsAtItsCapWithANoteAndTheNodeGoesOn() throws Exception {
        TestEnv.assumeQemu();
        try (Node node = Node.boot(Node.Config.defaults(BootedNode.BUILD).withConsoleCap(CAP))) {
            InstanceOutcome chatty = run(node, "chatty", List.of(Long.toString(WRITTEN)), Stdio.nodeConsole(), 1);
            assertEquals(0, chatty.processStatus(), chatty.describe());

            Path log = node.consoleLog();
            String note = ConsoleCapture.note(CAP);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.size(log) < CAP + note.length() && System.nanoTime() < deadline) Thread.sleep(20);
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertEquals(CAP + note.length(), text.length(), "node.log is the cap plus the note");
            assertTrue(text.endsWith(note), "the note ends the log: ..." + text.substring(text.length() - 200));
            // Nothing below the cap is lost: the program's lines are there from the first, in order.
            Matcher m = Pattern.compile("chatty line (\\d+): ").matcher(text);
            long expect = 0;
            while (m.find()) assertEquals(expect++, Long.parseLong(m.group(1)), "line numbers run on");
            assertTrue(expect > 1000, "the program's lines fill the log: " + expect);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InstanceOutcome hello = run(
                    node,
                    "hello",
                    List.of(),
                    Stdio.of(InputStream.nullInputStream(), out, java.io.OutputStream.nullOutputStream()),
                    2);
            assertEquals(0, hello.processStatus(), hello.describe());
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("AZALEA-TEST-PASS hello"), out.toString());
            assertEquals(CAP + note.length(), Files.size(log), "nothing more reaches the file");
        }
    }

    private InstanceOutcome run(Node node, String image, List<String> args, Stdio stdio, int quadrant)
            throws Exception {
        InstanceSpec spec = BootedNode.spec(
                node, image, args, List.of("HOME=/"), quadrant, 1, 32L << 20, root, stdio, NetPolicy.DEFAULT);
        try (Instance inst = Instance.launch(node, spec)) {
            InstanceOutcome o = inst.waitFor(Duration.ofSeconds(120));
            assertTrue(o != null, image + " ended");
            return o;
        }
    }
}
