package org.azalea.proxy.instance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPaths;
import org.azalea.host.Linux;
import org.azalea.host.LinuxLayouts;

/**
 * An instance's root directory and current directory, and the only way a guest
 * path reaches the host file system.
 *
 * <p>Every lookup is openat2(2) from an O_PATH fd of the root with
 * RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS: the kernel treats the root as "/"
 * for "..", absolute paths and absolute symlinks alike, and refuses
 * /proc/self/root-style magic links, so no spelling of a path escapes.  Calls
 * that create or remove a name resolve the parent that way and then act on
 * one final component with the *at call (which does not follow it); calls
 * that only look at an object resolve the whole path to an O_PATH fd and act on
 * that (AT_EMPTY_PATH, or the /proc/self/fd/N magic link the proxy itself builds).
 *
 * <p>Paths are Strings in ISO-8859-1, which maps bytes to chars one to one, so a
 * file name that is not UTF-8 survives untouched.  The current directory is a
 * canonical in-root path; like a directory fd's path it is a snapshot, so it does
 * not follow a rename of the directory (a documented difference from Linux).
 */
public final class PathResolver implements AutoCloseable {
    /** openat2 returns EAGAIN when a concurrent rename races with ".." resolution: retry. */
    private static final int RENAME_RACE_RETRIES = 16;

    private static final long IN_ROOT = Linux.RESOLVE_IN_ROOT | Linux.RESOLVE_NO_MAGICLINKS;

    /** "" for the AT_EMPTY_PATH calls: lives as long as the JVM. */
    public static final MemorySegment EMPTY = Arena.global().allocateFrom("");

    private final int rootFd;
    private final String rootHostPath;
    private volatile String cwd = "/";

    private PathResolver(int rootFd, String rootHostPath) {
        this.rootFd = rootFd;
        this.rootHostPath = rootHostPath;
    }

    /** Opens {@code root} (which must be a directory) as an instance's root. */
    public static PathResolver open(Path root) throws IOException {
        String real = root.toRealPath().toString();
        long fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = openat2(arena, Linux.AT_FDCWD, real, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0, 0);
        }
        if (fd == -Errno.ENOSYS) throw new IOException("the host kernel has no openat2(2) (Linux 5.6+ needed)");
        if (fd < 0) throw new IOException("cannot open root " + real + ": errno " + -fd);
        try {
            return new PathResolver((int) fd, readProcLink((int) fd));
        } catch (ErrnoException e) {
            LibcIo.close((int) fd);
            throw new IOException("cannot read back root " + real + ": " + e.getMessage());
        }
    }

    /** The current directory: a canonical in-root path starting with "/". */
    public String cwd() {
        return cwd;
    }

    public void cwd(String inRootPath) {
        cwd = inRootPath;
    }

    /**
     * The in-root path of {@code path} taken relative to {@code base} (itself an
     * in-root path).  Absolute guest paths are already in-root paths; a path
     * relative to "/" is returned as it is (openat2 starts at the root either way).
     * The PATH_MAX limit applies to the base and the path together.
     *
     * @throws ErrnoException ENOENT for an empty path, ENAMETOOLONG beyond PATH_MAX
     */
    public static String join(String base, String path) throws ErrnoException {
        if (path.isEmpty()) throw new ErrnoException(Errno.ENOENT, "empty path");
        // Relative to "/" needs no prefix: the root fd is where openat2 starts either way.
        String abs = path.charAt(0) == '/' || base.equals("/") ? path : base + "/" + path;
        if (abs.length() + 1 > Linux.PATH_MAX) {
            throw new ErrnoException(
                    Errno.ENAMETOOLONG,
                    "path of " + abs.length() + " bytes (with the " + "directory it is relative to) exceeds PATH_MAX");
        }
        return abs;
    }

    /** openat2 of an in-root path: a new host fd, or -errno.  {@code flags} go to the host as given. */
    public long open(String abs, int flags, int mode) {
        try (Scratch arena = Scratch.open()) {
            long r = 0;
            for (int i = 0; i < RENAME_RACE_RETRIES; i++) {
                r = openat2(arena, rootFd, abs, flags, mode, IN_ROOT);
                if (r != -Errno.EAGAIN) break;
            }
            return r;
        }
    }

    /** An O_PATH fd of the object at {@code abs} (following a final symlink or not); the caller closes it. */
    public int resolve(String abs, boolean follow) throws ErrnoException {
        int flags = Linux.O_PATH | Linux.O_CLOEXEC | (follow ? 0 : Linux.O_NOFOLLOW);
        long fd = open(abs, flags, 0);
        if (fd < 0) throw new ErrnoException((int) -fd, "cannot resolve " + abs + " in root " + rootHostPath);
        return (int) fd;
    }

    /**
     * The directory holding the last component of {@code abs} (an O_PATH fd) and that
     * component.  The caller acts on it with an *at call and closes the entry.
     */
    public Entry entry(String abs) throws ErrnoException {
        int end = abs.length();
        while (end > 1 && abs.charAt(end - 1) == '/') end--;
        boolean trailingSlash = end < abs.length();
        String trimmed = abs.substring(0, end);
        if (trimmed.equals("/")) return new Entry(resolveDir("/"), "", trailingSlash);
        int slash = trimmed.lastIndexOf('/');
        String parent = slash <= 0 ? "/" : trimmed.substring(0, slash);
        return new Entry(resolveDir(parent), trimmed.substring(slash + 1), trailingSlash);
    }

    private int resolveDir(String abs) throws ErrnoException {
        long fd = open(abs, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        if (fd < 0) throw new ErrnoException((int) -fd, "cannot resolve directory " + abs + " in root " + rootHostPath);
        return (int) fd;
    }

    /** The in-root path of a host fd opened through this root (for directory fds and chdir). */
    public String inRootPath(int hostFd) throws ErrnoException {
        String host = readProcLink(hostFd);
        if (rootHostPath.equals("/")) return host;
        if (host.equals(rootHostPath)) return "/";
        if (host.startsWith(rootHostPath) && host.charAt(rootHostPath.length()) == '/') {
            return host.substring(rootHostPath.length());
        }
        throw new ErrnoException(
                Errno.ENOENT, "host fd " + hostFd + " (" + host + ") is not under root " + rootHostPath);
    }

    /** The magic link naming {@code hostFd}: acting on it acts on exactly that object. */
    public static String procPath(int hostFd) {
        return "/proc/self/fd/" + hostFd;
    }

    private static String readProcLink(int hostFd) throws ErrnoException {
        try (Scratch arena = Scratch.open()) {
            MemorySegment buf = arena.allocate(Linux.PATH_MAX);
            long n = LibcPaths.readlinkat(Linux.AT_FDCWD, cString(arena, procPath(hostFd)), buf, Linux.PATH_MAX);
            if (n < 0) throw new ErrnoException((int) -n, "readlink " + procPath(hostFd));
            byte[] bytes = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            return new String(bytes, ISO_8859_1);
        }
    }

    /** A NUL-terminated copy of {@code s} (bytes as given) in {@code arena}. */
    public static MemorySegment cString(SegmentAllocator arena, String s) {
        return arena.allocateFrom(s, ISO_8859_1);
    }

    private static long openat2(SegmentAllocator arena, int dirFd, String path, int flags, int mode, long resolve) {
        MemorySegment how = arena.allocate(LinuxLayouts.OPEN_HOW);
        how.set(ValueLayout.JAVA_LONG, LinuxLayouts.HOW_FLAGS, flags & 0xFFFFFFFFL);
        how.set(ValueLayout.JAVA_LONG, LinuxLayouts.HOW_MODE, mode);
        how.set(ValueLayout.JAVA_LONG, LinuxLayouts.HOW_RESOLVE, resolve);
        return LibcPaths.openat2(Linux.SYS_OPENAT2, dirFd, cString(arena, path), how, how.byteSize());
    }

    /** sync for an instance: syncfs(2) of the file system holding the root, not every host file system. */
    public long syncFileSystem() {
        long fd = open("/", Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0); // syncfs refuses O_PATH fds
        if (fd < 0) return fd;
        try {
            return LibcIo.syncfs((int) fd);
        } finally {
            LibcIo.close((int) fd);
        }
    }

    @Override
    public void close() {
        LibcIo.close(rootFd);
    }

    /**
     * A directory (O_PATH fd, owned) and one name in it.  {@code name} is "" for the
     * root itself, and may be "." or ".."; {@code trailingSlash} records a path
     * that ended in "/" (which Linux reads as "must be a directory").
     */
    public record Entry(int dirFd, String name, boolean trailingSlash) implements AutoCloseable {
        /** The root, "." or "..": names no *at call may be given (".." of the root is outside it). */
        public boolean selfOrParent() {
            return name.isEmpty() || name.equals(".") || name.equals("..");
        }

        @Override
        public void close() {
            LibcIo.close(dirFd);
        }
    }
}
