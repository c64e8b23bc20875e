package org.azalea.apps;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.azalea.testing.TestEnv;

/** Where `make apps` (apps/apps.mk) puts the applications. */
final class AppBuild {
    static final Path APPS = TestEnv.BUILD.resolve("apps");

    private AppBuild() {}

    /** {@code build/apps/<relative>}, which must exist: a missing application fails its test, it is not skipped. */
    static Path file(String relative) {
        Path p = APPS.resolve(relative).toAbsolutePath();
        assertTrue(Files.exists(p), p + " is missing: run `make apps`");
        return p;
    }
}
