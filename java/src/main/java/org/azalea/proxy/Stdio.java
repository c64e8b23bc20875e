package org.azalea.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.io.input.CloseShieldInputStream;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPaths;
import org.azalea.host.Linux;

/**
 * Where an instance's fds 0, 1 and 2 go, as the caller chooses: host fds (the
 * JVM's own terminal, a pipe, a file) or Java streams.  {@link HostSyscalls}
 * dups host fds, so a guest close(1) closes only its own copy; Java streams are
 * wrapped in close shields, so nothing the guest does closes the caller's
 * stream.  An input stream is pumped into a pipe by a thread of its own, so a
 * guest read of stdin can be polled and interrupted like any other fd.
 *
 * <p>Close a Stdio made by {@link #files} when no instance uses it any more: it
 * owns the fds it opened.  The others own nothing.
 */
public final class Stdio implements AutoCloseable {
    /** What one of fds 0, 1, 2 is bound to. */
    public sealed interface Binding permits HostFd, Input, Output {}

    /** A host fd, dup'ed for each instance; its flags are never changed (the caller shares them). */
    public record HostFd(int fd) implements Binding {}

    /** A Java input stream (fd 0 only), pumped into a pipe. */
    public record Input(InputStream in) implements Binding {
        public Input {
            in = CloseShieldInputStream.wrap(Objects.requireNonNull(in));
        }
    }

    /** A Java output stream (fds 1 and 2); each guest write is written and flushed. */
    public record Output(OutputStream out) implements Binding {
        public Output {
            out = CloseShieldOutputStream.wrap(Objects.requireNonNull(out));
        }
    }

    private final Binding in;
    private final Binding out;
    private final Binding err;
    private final List<Integer> owned;
    private final boolean nodeConsole;

    private Stdio(Binding in, Binding out, Binding err, List<Integer> owned) {
        this(in, out, err, owned, false);
    }

    private Stdio(Binding in, Binding out, Binding err, List<Integer> owned, boolean nodeConsole) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.owned = owned;
        this.nodeConsole = nodeConsole;
    }

    /**
     * Fds 1 and 2 written by the instance kernel straight to the node's serial
     * console (abi.h AZ_BOOT_SERIAL_STDIO: node.log, under its cap), without the
     * proxy; input is empty.  For diagnostics of the node itself, and tests.
     */
    public static Stdio nodeConsole() {
        Stdio d = discard();
        return new Stdio(d.in, d.out, d.err, List.of(), true);
    }

    /** True for {@link #nodeConsole()}: the instance kernel writes fds 1 and 2 to the serial console. */
    public boolean isNodeConsole() {
        return nodeConsole;
    }

    /** The JVM's own fds 0, 1 and 2 (a terminal, or whatever the JVM was started with). */
    public static Stdio inherit() {
        return hostFds(0, 1, 2);
    }

    /** Host fds the caller keeps owning. */
    public static Stdio hostFds(int in, int out, int err) {
        return new Stdio(new HostFd(in), new HostFd(out), new HostFd(err), List.of());
    }

    /** Java streams; they are never closed by the instance. */
    public static Stdio of(InputStream in, OutputStream out, OutputStream err) {
        return new Stdio(new Input(in), new Output(out), new Output(err), List.of());
    }

    /** Empty input, discarded output. */
    public static Stdio discard() {
        return of(InputStream.nullInputStream(), OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
    }

    /**
     * Host files: {@code in} is read (null: empty input from /dev/null); {@code out} and
     * {@code err} are created or truncated and appended to (the same path twice opens one file).
     */
    public static Stdio files(Path in, Path out, Path err) throws IOException {
        List<Integer> owned = new ArrayList<>();
        try {
            int inFd = open(in == null ? Path.of("/dev/null") : in, Linux.O_RDONLY, owned);
            int outFd = open(out, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_TRUNC | Linux.O_APPEND, owned);
            int errFd = out.toAbsolutePath().equals(err.toAbsolutePath())
                    ? outFd
                    : open(err, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_TRUNC | Linux.O_APPEND, owned);
            return new Stdio(new HostFd(inFd), new HostFd(outFd), new HostFd(errFd), List.copyOf(owned));
        } catch (IOException e) {
            for (int fd : owned) LibcIo.close(fd);
            throw e;
        }
    }

    private static int open(Path path, int flags, List<Integer> owned) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            long fd = LibcPaths.open(arena.allocateFrom(path.toString()), flags | Linux.O_CLOEXEC, 0644);
            if (fd < 0) throw new IOException("cannot open " + path + " for stdio: errno " + -fd);
            owned.add((int) fd);
            return (int) fd;
        }
    }

    public Binding in() {
        return in;
    }

    public Binding out() {
        return out;
    }

    public Binding err() {
        return err;
    }

    /** The binding of guest fd {@code fd} (0, 1 or 2). */
    public Binding binding(int fd) {
        return switch (fd) {
            case 0 -> in;
            case 1 -> out;
            case 2 -> err;
            default -> throw new IllegalArgumentException("stdio fd " + fd);
        };
    }

    /** Closes the host fds {@link #files} opened; instances keep their own dups. */
    @Override
    public void close() {
        for (int fd : owned) LibcIo.close(fd);
    }
}
