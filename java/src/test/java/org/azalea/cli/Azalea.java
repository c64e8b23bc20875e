package org.azalea.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * `bin/azalea` as a user runs it, in JVMs of its own, against a runtime
 * directory of the test's (so a developer's own node is never touched), and
 * the clean-up that makes sure no service, QEMU or shared-memory file outlives
 * a test.
 */
final class Azalea {
    static final Path BUILD =
            Path.of(System.getProperty("azalea.build.dir", "build")).toAbsolutePath();
    static final Path IMAGES = BUILD.resolve("test-images");

    final Path runtimeDir;

    Azalea(Path runtimeDir) {
        this.runtimeDir = runtimeDir;
    }

    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    ProcessBuilder command(Path cwd, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dazalea.build.dir=" + BUILD,
                "-cp",
                System.getProperty("java.class.path"),
                "org.azalea.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("AZALEA_RUNTIME_DIR", runtimeDir.toString());
        return pb;
    }

    /** Runs a command to its end (at most 120 s) with {@code stdin} as its input. */
    Result run(Path cwd, String stdin, String... args) throws Exception {
        return finish(start(cwd, args), stdin, 120);
    }

    Result run(String... args) throws Exception {
        return run(runtimeDir, "", args);
    }

    /** A command left running; its stdin stays open until the caller closes it. */
    Process start(Path cwd, String... args) throws IOException {
        return command(cwd, args).start();
    }

    static Result finish(Process p, String stdin, int timeoutSecs) throws Exception {
        CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
            try (var o = p.getOutputStream()) {
                o.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the command does not read its input
            }
        });
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        boolean ended = p.waitFor(timeoutSecs, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly();
        assertTrue(ended, "the command ended within " + timeoutSecs + " s");
        in.get();
        return new Result(p.exitValue(), out.get(), err.get());
    }

    private static String read(java.io.InputStream s) {
        try {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The pid of the service serving this runtime directory, or -1. */
    long servicePid() {
        try {
            return Long.parseLong(
                    Files.readString(runtimeDir.resolve("service.pid")).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Whatever happened in the test: no service, no QEMU and no shared memory of it stay behind. */
    void cleanUp() throws Exception {
        long pid = servicePid();
        if (pid > 0) {
            var h = ProcessHandle.of(pid);
            if (h.isPresent()) {
                h.get().destroy();
                if (!h.get()
                        .onExit()
                        .completeOnTimeout(null, 30, TimeUnit.SECONDS)
                        .thenApply(x -> x != null)
                        .get()) {
                    h.get().destroyForcibly();
                }
            }
            for (ProcessHandle q : qemusOf(pid)) q.destroyForcibly();
            for (Path f : shmFilesOf(pid)) Files.deleteIfExists(f);
        }
    }

    /** QEMU processes started by service {@code pid} (their memory files carry its pid). */
    static List<ProcessHandle> qemusOf(long pid) {
        String tag = "/dev/shm/azalea-" + pid + "-";
        return ProcessHandle.allProcesses()
                .filter(p -> p.isAlive()
                        && p.info().commandLine().map(c -> c.contains(tag)).orElse(false))
                .toList();
    }

    static List<Path> shmFilesOf(long pid) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/dev/shm"), "azalea-" + pid + "-*")) {
            s.forEach(out::add);
        }
        return out;
    }
}
