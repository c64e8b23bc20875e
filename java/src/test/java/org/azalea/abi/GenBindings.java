package org.azalea.abi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs scripts/gen-bindings.py for the tests. */
final class GenBindings {
    private GenBindings() {}

    /** The exit status and everything the generator printed. */
    record Result(int exit, String output) {}

    /** The repository: the parent of the include directory the build names. */
    static Path repo() {
        return Path.of(System.getProperty("azalea.include.dir", "include"))
                .toAbsolutePath()
                .getParent();
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("python3", repo().resolve("scripts/gen-bindings.py").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " timed out");
        }
        return new Result(p.exitValue(), out);
    }
}
