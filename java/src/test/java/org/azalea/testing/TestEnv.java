package org.azalea.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * What every test that boots a node needs to know about this machine: where
 * the build is (Maven passes {@code azalea.build.dir}) and whether QEMU can
 * start at all; a test is skipped only for the latter, never for anything
 * that fails after QEMU starts.
 */
public final class TestEnv {
    private TestEnv() {}

    /** The build directory: kernel, test images, native tools. */
    public static final Path BUILD = Path.of(System.getProperty("azalea.build.dir", "build"));

    /** Skips the calling test (or class) when qemu-system-x86_64 cannot run here. */
    public static void assumeQemu() {
        Assumptions.assumeTrue(qemuStarts(), "skipped: qemu-system-x86_64 cannot start here");
    }

    /** True when {@code qemu-system-x86_64 -version} runs and exits 0. */
    public static boolean qemuStarts() {
        try {
            Process p = new ProcessBuilder("qemu-system-x86_64", "-version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
