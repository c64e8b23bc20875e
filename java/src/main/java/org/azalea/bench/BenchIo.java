package org.azalea.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmarks share: running a baseline program and reading the figures it printed. */
final class BenchIo {
    private BenchIo() {}

    /** Runs {@code cmd} (stderr to ours) and returns its stdout; fails naming the command unless it exits 0 in time. */
    static String run(List<String> cmd, Path cwd, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (cwd != null) pb.directory(cwd.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish within " + timeout);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out.strip());
        }
        return out;
    }

    /** Every "name number" match of {@code pattern} (group 1 the name, group 2 the number) in {@code text}. */
    static Map<String, Double> figures(Pattern pattern, String text) {
        Map<String, Double> m = new LinkedHashMap<>();
        Matcher x = pattern.matcher(text);
        while (x.find()) m.put(x.group(1), Double.parseDouble(x.group(2)));
        return m;
    }
}
