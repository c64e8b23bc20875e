package org.azalea;

import java.nio.file.Path;

/**
 * Where `make native` puts what the Java side runs: the node kernel, the test
 * images, the deployment's workload programs.  The build directory is the
 * {@code azalea.build.dir} property (bin/azalea and the pom set it), else
 * {@code ./build}.
 */
public final class BuildPaths {
    private BuildPaths() {}

    /** The build directory of this installation. */
    public static Path dir() {
        return Path.of(System.getProperty("azalea.build.dir", "build"));
    }

    /** The node kernel booted by QEMU. */
    public static Path kernel(Path buildDir) {
        return buildDir.resolve("kernel").resolve("azalea-kernel.elf");
    }

    /** One tiny guest program per feature (test-images/). */
    public static Path testImage(Path buildDir, String name) {
        return buildDir.resolve("test-images").resolve(name);
    }

    /** A workload program of the paper's deployment (deploy/programs/). */
    public static Path deployProgram(Path buildDir, String name) {
        return buildDir.resolve("deploy").resolve(name);
    }
}
