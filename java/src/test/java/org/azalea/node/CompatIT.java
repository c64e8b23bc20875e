package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The call-family images (issue 12) on a node against the same static binary
 * run natively on this host: identical stdout, line by line, and identical
 * exit status.  Each image prints one deterministic line per call it checks,
 * error cases included, so a difference names the call that differs.
 */
class CompatIT {
    @RegisterExtension
    static final BootedNode booted = BootedNode.perClass();

    @TempDir
    Path nativeRoot;

    @TempDir
    Path nodeRoot;

    @ParameterizedTest
    @CsvSource({"pipes, 141", "eventfd, 0", "socketpair, 0", "epoll, 0", "select, 0", "timerfd, 0", "ioctls, 0"})
    void sameOutputAndStatusAsNative(String image, int status) throws Exception {
        Native n = runNatively(image);
        BootedNode.Run r = booted.run(image, List.of(), "", nodeRoot, 1, 2, Duration.ofSeconds(90));
        assertEquals(status, n.status, "native status; output:\n" + n.stdout);
        assertTrue(n.stdout.contains("AZALEA-TEST-PASS " + image), n.stdout);
        assertEquals(
                n.stdout,
                r.stdout(),
                image + " on the node vs natively; " + r.outcome().describe());
        assertEquals(n.status, r.outcome().processStatus(), r.outcome().describe() + "\n" + r.stdout());
    }

    private record Native(String stdout, int status) {}

    /** The image as a host process (it is static), in its own empty directory, stdin empty. */
    private Native runNatively(String image) throws Exception {
        Path program = BootedNode.IMAGES.resolve(image).toAbsolutePath();
        assertTrue(Files.isExecutable(program), program + " (make native builds it)");
        Process p = new ProcessBuilder(program.toString())
                .directory(nativeRoot.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), image + " natively did not end");
        return new Native(new String(out, StandardCharsets.UTF_8), p.exitValue());
    }
}
