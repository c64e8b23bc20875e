package org.azalea.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;

/** The third column: the same static binaries as host processes, in a scratch directory each. */
final class NativeRunner {
    private final Programs programs;
    private final Path work;
    private final Duration timeout;

    NativeRunner(Programs programs, Path work, Duration timeout) {
        this.programs = programs;
        this.work = work;
        this.timeout = timeout;
    }

    Outcome run(Task t) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve(t.id()));
        List<String> cmd = new ArrayList<>();
        cmd.add(programs.of(t.kind()).toString());
        cmd.addAll(t.argsFor(t.users(), 0));
        Path log = dir.resolve("output.log");
        double load = HostLoad.now();
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        String error = null;
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            error = "timed out after " + timeout.toSeconds() + " s";
        }
        String output = Files.readString(log, StandardCharsets.ISO_8859_1);
        FileUtils.deleteQuietly(dir.toFile());
        return new Outcome(t, "native", "host", p.exitValue(), output, error, load);
    }
}
