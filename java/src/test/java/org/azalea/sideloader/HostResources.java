package org.azalea.sideloader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this JVM holds on the host, counted before and after launches to show nothing leaks. */
final class HostResources {
    private HostResources() {}

    static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** This JVM's node memory files (Node names them azalea-PID-...): other nodes on the machine come and go. */
    static long shmFiles() throws IOException {
        String mine = "azalea-" + ProcessHandle.current().pid() + "-";
        try (var s = Files.list(Path.of("/dev/shm"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(mine)).count();
        }
    }
}
