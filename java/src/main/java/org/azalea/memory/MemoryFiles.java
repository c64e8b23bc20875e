package org.azalea.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The node's memory files in /dev/shm.  They hold every instance's memory, so
 * no other local user may read them (mode 0600), nobody may plant a file or a
 * symlink under the name beforehand (created exclusively: an existing name
 * fails instead of being reused or followed), and the name cannot be guessed
 * ahead of time (128 random bits).  The prefix keeps the service's pid, which
 * is how {@code Leftovers} finds a dead service's files.
 */
public final class MemoryFiles {
    public static final Path SHM = Path.of("/dev/shm");
    private static final SecureRandom RANDOM = new SecureRandom();

    private MemoryFiles() {}

    /** A new, empty, owner-only file in /dev/shm named {@code prefix} + 32 random hex digits + {@code suffix}. */
    public static Path create(String prefix, String suffix) throws IOException {
        return create(SHM, prefix + randomHex() + suffix);
    }

    /** Creates {@code dir/name} exclusively with mode 0600; FileAlreadyExistsException for any existing entry. */
    static Path create(Path dir, String name) throws IOException {
        return Files.createFile(
                dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    static String randomHex() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
