package org.azalea.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Where a user's node service keeps its control socket, lock, logs and the
 * node's own files: {@code $XDG_RUNTIME_DIR/azalea}, else
 * {@code /tmp/azalea-$USER}; overridden by the system property
 * {@code azalea.runtime.dir} or the environment variable
 * {@code AZALEA_RUNTIME_DIR} (tests use their own).
 *
 * <p>The directory is the access control of the socket: it is created 0700,
 * and one that exists but belongs to another user is refused (in /tmp anyone
 * could have created it first).
 */
public record RuntimeDir(Path dir) {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** The directory this user's commands use. */
    public static RuntimeDir standard() {
        String prop = System.getProperty("azalea.runtime.dir");
        if (prop != null && !prop.isBlank()) return new RuntimeDir(Path.of(prop).toAbsolutePath());
        String env = System.getenv("AZALEA_RUNTIME_DIR");
        if (env != null && !env.isBlank()) return new RuntimeDir(Path.of(env).toAbsolutePath());
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank() && Files.isDirectory(Path.of(xdg)))
            return new RuntimeDir(Path.of(xdg, "azalea"));
        return new RuntimeDir(
                Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "azalea-" + System.getProperty("user.name")));
    }

    /** The control socket. */
    public Path socket() {
        return dir.resolve("node.sock");
    }

    /** Held (an exclusive file lock) by the one service that owns this directory. */
    public Path lock() {
        return dir.resolve("node.lock");
    }

    /** The detached service's stdout and stderr. */
    public Path serviceLog() {
        return dir.resolve("service.log");
    }

    /** The node's work directory: its console log, QEMU's log. */
    public Path nodeDir() {
        return dir.resolve("node");
    }

    /**
     * Creates the directory (0700) if needed and checks that it is this
     * user's and closed to others.
     *
     * @throws IOException naming the directory and what is wrong with it
     */
    public RuntimeDir create() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another command created it at the same moment: checked below like any existing one
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw new IOException(dir + " is not a directory");
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        String me = System.getProperty("user.name");
        if (!owner.getName().equals(me)) {
            throw new IOException("runtime directory " + dir + " belongs to " + owner.getName() + ", not " + me);
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
        return this;
    }
}
