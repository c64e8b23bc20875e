package org.azalea.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service killed outright (SIGKILL, an OOM kill) leaves behind, and
 * cleaning it: its QEMU keeps running (nothing tells QEMU its parent died) and
 * its shared-memory files stay in /dev/shm.  Both are named after the dead
 * JVM's pid ({@code /dev/shm/azalea-PID-...}), which the service records in
 * its runtime directory.  Called only with the directory's lock held: no
 * live service owns what is found.
 */
final class Leftovers {
    private static final Logger log = LoggerFactory.getLogger(Leftovers.class);
    private static final Path SHM = Path.of("/dev/shm");

    private Leftovers() {}

    static Path pidFile(RuntimeDir dir) {
        return dir.dir().resolve("service.pid");
    }

    static void record(RuntimeDir dir) throws IOException {
        Files.writeString(pidFile(dir), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    }

    static void forget(RuntimeDir dir) {
        try {
            Files.deleteIfExists(pidFile(dir));
        } catch (IOException e) {
            log.warn("could not remove {}: {}", pidFile(dir), e.toString());
        }
    }

    /** Stops the dead service's QEMU, removes its shared memory, its socket and its pid file. */
    static void cleanUp(RuntimeDir dir) throws IOException {
        Path pidFile = pidFile(dir);
        if (Files.exists(pidFile)) {
            long pid;
            try {
                pid = Long.parseLong(
                        Files.readString(pidFile, StandardCharsets.UTF_8).strip());
            } catch (NumberFormatException e) {
                pid = -1;
            }
            if (pid > 0 && pid != ProcessHandle.current().pid()) {
                String tag = SHM.resolve("azalea-" + pid + "-").toString();
                ProcessHandle.allProcesses()
                        .filter(p ->
                                p.info().commandLine().map(c -> c.contains(tag)).orElse(false))
                        .forEach(Leftovers::stop);
                int removed = 0;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(SHM, "azalea-" + pid + "-*")) {
                    for (Path f : files) removed += Files.deleteIfExists(f) ? 1 : 0;
                }
                if (removed > 0)
                    log.warn("removed {} shared-memory files of a node service that died (pid {})", removed, pid);
            }
            Files.deleteIfExists(pidFile);
        }
        if (Files.deleteIfExists(dir.socket())) {
            log.warn("removed a stale control socket {} (its service is gone)", dir.socket());
        }
    }

    private static void stop(ProcessHandle p) {
        log.warn("stopping QEMU (pid {}) left by a node service that died", p.pid());
        p.destroy();
        try {
            p.onExit().get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
        }
    }
}
