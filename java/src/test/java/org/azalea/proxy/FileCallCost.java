package org.azalea.proxy;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.azalea.abi.abi_h.*;
import static org.azalea.host.Linux.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.azalea.host.LibcIo;
import org.azalea.host.LibcPaths;
import org.azalea.host.LinuxLayouts;

/**
 * Host-only cost of a file call's handler, no node: open/write 4 KiB/close/stat/unlink
 * through {@link HostSyscalls#dispatch} over guest memory, interleaved round by round with
 * the same calls made directly through the same libc downcalls.  Prints per-op medians of
 * each round, then the median and range over rounds.  Run: {@code java -cp ... FileCallCost [rounds] [cycles]}.
 */
public final class FileCallCost {
    static final String[] OPS = {"open", "write4k", "close", "stat", "unlink"};

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        Path root = Files.createTempDirectory("filecallcost");
        Path nativeDir = Files.createDirectories(root.resolve("native"));
        Files.createDirectories(root.resolve("proxied"));
        double[][] prox = new double[OPS.length][rounds];
        double[][] nat = new double[OPS.length][rounds];
        double[][] inr = new double[OPS.length][rounds];
        try (Guest g = new Guest(root);
                Arena arena = Arena.ofConfined()) {
            long path = g.str("/proxied/f");
            long data = g.alloc(4096);
            long st = g.alloc(LinuxLayouts.STAT_SIZE);
            MemorySegment npath = arena.allocateFrom(nativeDir.resolve("f").toString(), ISO_8859_1);
            MemorySegment ndata = arena.allocate(4096);
            MemorySegment nst = arena.allocate(LinuxLayouts.STAT_SIZE);
            MemorySegment empty = arena.allocateFrom("");
            long[][] tp = new long[OPS.length][cycles];
            long[][] tn = new long[OPS.length][cycles];
            long[][] ti = new long[OPS.length][cycles];
            // The proxy's syscall sequence, made directly: openat2 in-root (+ fstat for open's kind),
            // O_PATH resolve + fstatat("") + close for stat, parent resolve + unlinkat + close for unlink.
            MemorySegment how = arena.allocate(LinuxLayouts.OPEN_HOW);
            MemorySegment rootPath = arena.allocateFrom(root.toRealPath().toString(), ISO_8859_1);
            MemorySegment ipath = arena.allocateFrom("/inroot/f", ISO_8859_1);
            MemorySegment iparent = arena.allocateFrom("/inroot", ISO_8859_1);
            MemorySegment iname = arena.allocateFrom("f", ISO_8859_1);
            Files.createDirectories(root.resolve("inroot"));
            setHow(how, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, 0);
            int rootFd = (int) LibcPaths.openat2(SYS_OPENAT2, AT_FDCWD, rootPath, how, how.byteSize());
            long inRoot = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
            for (int round = -2; round < rounds; round++) { // two warm-up rounds
                for (int i = 0; i < cycles; i++) {
                    // interleaved call by call: proxied cycle, then native cycle
                    long t0 = System.nanoTime();
                    long fd = g.call(AZ_OP_OPEN(), path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                    long t1 = System.nanoTime();
                    long w = g.call(AZ_OP_WRITE(), fd, data, 4096);
                    long t2 = System.nanoTime();
                    long c = g.call(AZ_OP_CLOSE(), fd);
                    long t3 = System.nanoTime();
                    long s = g.call(AZ_OP_STAT(), path, st);
                    long t4 = System.nanoTime();
                    long u = g.call(AZ_OP_UNLINK(), path);
                    long t5 = System.nanoTime();
                    if (fd < 0 || w != 4096 || c != 0 || s != 0 || u != 0)
                        throw new IllegalStateException("proxied " + fd + " " + w + " " + c + " " + s + " " + u);
                    steps(tp, i, t0, t1, t2, t3, t4, t5);
                    t0 = System.nanoTime();
                    long nfd = LibcPaths.open(npath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                    t1 = System.nanoTime();
                    w = LibcIo.write((int) nfd, ndata, 4096);
                    t2 = System.nanoTime();
                    c = LibcIo.close((int) nfd);
                    t3 = System.nanoTime();
                    s = LibcIo.fstatat(AT_FDCWD, npath, nst, 0);
                    t4 = System.nanoTime();
                    u = LibcPaths.unlinkat(AT_FDCWD, npath, 0);
                    t5 = System.nanoTime();
                    if (nfd < 0 || w != 4096 || c != 0 || s != 0 || u != 0)
                        throw new IllegalStateException("native " + nfd + " " + w + " " + c + " " + s + " " + u);
                    steps(tn, i, t0, t1, t2, t3, t4, t5);
                    t0 = System.nanoTime();
                    setHow(how, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0644, inRoot);
                    nfd = LibcPaths.openat2(SYS_OPENAT2, rootFd, ipath, how, how.byteSize());
                    LibcIo.fstatat((int) nfd, empty, nst, AT_EMPTY_PATH);
                    t1 = System.nanoTime();
                    w = LibcIo.write((int) nfd, ndata, 4096);
                    t2 = System.nanoTime();
                    c = LibcIo.close((int) nfd);
                    t3 = System.nanoTime();
                    setHow(how, O_PATH | O_CLOEXEC, 0, inRoot);
                    long o = LibcPaths.openat2(SYS_OPENAT2, rootFd, ipath, how, how.byteSize());
                    s = LibcIo.fstatat((int) o, empty, nst, AT_EMPTY_PATH);
                    LibcIo.close((int) o);
                    t4 = System.nanoTime();
                    setHow(how, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, inRoot);
                    o = LibcPaths.openat2(SYS_OPENAT2, rootFd, iparent, how, how.byteSize());
                    u = LibcPaths.unlinkat((int) o, iname, 0);
                    LibcIo.close((int) o);
                    t5 = System.nanoTime();
                    if (nfd < 0 || w != 4096 || c != 0 || s != 0 || u != 0)
                        throw new IllegalStateException("in-root " + nfd + " " + w + " " + c + " " + s + " " + u);
                    steps(ti, i, t0, t1, t2, t3, t4, t5);
                }
                if (round < 0) continue;
                StringBuilder sb = new StringBuilder("round " + round + ":");
                for (int op = 0; op < OPS.length; op++) {
                    prox[op][round] = median(tp[op]);
                    nat[op][round] = median(tn[op]);
                    inr[op][round] = median(ti[op]);
                    sb.append(String.format(
                            " %s %.0f/%.0f/%.0f", OPS[op], prox[op][round], inr[op][round], nat[op][round]));
                }
                System.out.println(sb + "  (proxied/same syscalls direct/native ns)");
            }
        }
        System.out.println(
                "op        proxied p50 ns (range)   same syscalls direct (range)   native p50 ns (range)   java extra ns");
        for (int op = 0; op < OPS.length; op++) {
            double p = median(prox[op]), n = median(nat[op]);
            double d = median(inr[op]);
            System.out.printf(
                    "%-8s %8.0f (%.0f-%.0f)   %8.0f (%.0f-%.0f)   %8.0f (%.0f-%.0f)   %6.0f%n",
                    OPS[op],
                    p,
                    min(prox[op]),
                    max(prox[op]),
                    d,
                    min(inr[op]),
                    max(inr[op]),
                    n,
                    min(nat[op]),
                    max(nat[op]),
                    p - d);
        }
        System.out.println("load: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /** Cycle {@code i}'s five step times, from the clock read before and after each. */
    private static void steps(long[][] into, int i, long... clock) {
        for (int k = 0; k < into.length; k++) into[k][i] = clock[k + 1] - clock[k];
    }

    static void setHow(MemorySegment how, int flags, int mode, long resolve) {
        how.set(java.lang.foreign.ValueLayout.JAVA_LONG, LinuxLayouts.HOW_FLAGS, flags & 0xFFFFFFFFL);
        how.set(java.lang.foreign.ValueLayout.JAVA_LONG, LinuxLayouts.HOW_MODE, mode);
        how.set(java.lang.foreign.ValueLayout.JAVA_LONG, LinuxLayouts.HOW_RESOLVE, resolve);
    }

    static double median(long[] a) {
        long[] b = a.clone();
        Arrays.sort(b);
        return b[b.length / 2];
    }

    static double median(double[] a) {
        double[] b = a.clone();
        Arrays.sort(b);
        return b[b.length / 2];
    }

    static double min(double[] a) {
        return Arrays.stream(a).min().orElse(0);
    }

    static double max(double[] a) {
        return Arrays.stream(a).max().orElse(0);
    }
}
