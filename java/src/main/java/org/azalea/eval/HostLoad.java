package org.azalea.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's one-minute load average, recorded beside every measurement (the machines are shared). */
final class HostLoad {
    private HostLoad() {}

    static double now() {
        try {
            return Double.parseDouble(
                    Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
