package org.azalea.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A program run natively on the host, its output captured: the other side of each comparison. */
record HostProcess(int exitStatus, byte[] stdout, String stderr) {
    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    String describe() {
        return "exit " + exitStatus + "\nstdout:\n" + tail(out()) + "\nstderr:\n" + tail(stderr);
    }

    /** Runs {@code cmd} in {@code dir} with {@code env} added, {@code stdin} as input; fails after {@code timeout}. */
    static HostProcess run(List<String> cmd, Path dir, Map<String, String> env, byte[] stdin, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The program need not read its input.
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(cmd + " did not end within " + timeout);
        }
        return new HostProcess(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
    }

    /** Starts {@code cmd} in {@code dir}, its output going to {@code out}; the caller ends it. */
    static Process start(List<String> cmd, Path dir, OutputStream out) throws IOException {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // The process ended.
            }
        });
        return p;
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (in) {
                        return in.readAllBytes();
                    } catch (IOException e) {
                        return new byte[0];
                    }
                },
                r -> Thread.ofVirtual().start(r));
    }

    static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
