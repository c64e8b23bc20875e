package org.azalea.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.azalea.node.NodeShape;
import org.azalea.node.SizeParser;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.sideloader.PartitionRequest;

/**
 * A deployment file: which unikernels run where, for `azalea deploy`.  One
 * directive per line; {@code #} starts a comment; fields are separated by
 * blanks (an argument cannot contain one).
 *
 * <pre>
 *   node SMP QUADRANTS MEMORY     the node to boot when none is running (optional;
 *                                 default 72 4 512M); MEMORY is per quadrant
 *   fwk QUADRANT|none             the full-weight kernel's quadrant (default 0)
 *   run NAME QUADRANT CORES MEMORY [net=POLICY] PROGRAM [ARGS...]
 *                                 one unikernel instance:
 *                                   QUADRANT  a number, or any
 *                                   CORES     a number, or all: the whole quadrant
 *                                   MEMORY    a size (128M, 1G), or all (with CORES all):
 *                                             all of the quadrant's memory
 *                                   net=      none, loopback (the default) or host: what
 *                                             network it reaches (azalea run --net)
 *                                   PROGRAM   a static ELF; a relative path is relative to
 *                                             this file's directory, and $BUILD/ at its
 *                                             start is the build directory (make native's)
 * </pre>
 *
 * Everything is checked when the file is read, with the line's number in the
 * message; the node checks what only it can know (what is free).
 */
public record Deployment(Path source, NodeShape shape, Set<Integer> fullWeightKernel, List<Entry> entries) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");

    /** One instance to run. */
    public record Entry(
            String name, PartitionRequest partition, NetPolicy net, Path program, List<String> args, int line) {
        public Entry {
            args = List.copyOf(args);
        }
    }

    /** A file that is not a valid deployment; the message names the file and line. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    public Deployment {
        fullWeightKernel = Set.copyOf(fullWeightKernel);
        entries = List.copyOf(entries);
    }

    public static Deployment read(Path file, Path buildDir) throws IOException, Invalid {
        if (!Files.isRegularFile(file)) throw new Invalid(file + ": no such deployment file");
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8), buildDir);
    }

    static Deployment parse(Path file, List<String> lines, Path buildDir) throws Invalid {
        NodeShape shape = NodeShape.KNL_SNC4;
        Set<Integer> fwk = null;
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Integer> whole = new HashSet<>();
        Path dir = file.toAbsolutePath().getParent();
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            String[] f = line.trim().isEmpty() ? new String[0] : line.trim().split("\\s+");
            if (f.length == 0) continue;
            String where = file + ":" + n + ": ";
            switch (f[0]) {
                case "node" -> {
                    if (f.length != 4) throw new Invalid(where + "node needs SMP QUADRANTS MEMORY");
                    try {
                        shape = new NodeShape(Integer.parseInt(f[1]), Integer.parseInt(f[2]), SizeParser.parse(f[3]));
                    } catch (IllegalArgumentException e) {
                        throw new Invalid(where + e.getMessage());
                    }
                }
                case "fwk" -> {
                    if (f.length != 2) throw new Invalid(where + "fwk needs one QUADRANT or none");
                    fwk = f[1].equals("none") ? Set.of() : Set.of(number(f[1], where + "fwk quadrant"));
                }
                case "run" -> {
                    if (f.length < 6)
                        throw new Invalid(
                                where + "run needs NAME QUADRANT CORES MEMORY [net=POLICY] PROGRAM [ARGS...]");
                    String name = f[1];
                    if (!NAME.matcher(name).matches()) {
                        throw new Invalid(where + "instance name '" + name + "': letters, digits, . _ - (at most 32)");
                    }
                    if (!names.add(name)) throw new Invalid(where + "instance name '" + name + "' used twice");
                    int q = f[2].equals("any") ? PartitionRequest.ANY : number(f[2], where + "quadrant");
                    boolean all = f[3].equals("all");
                    PartitionRequest p;
                    try {
                        if (all) {
                            if (q == PartitionRequest.ANY)
                                throw new Invalid(where + "cores all needs a quadrant, not any");
                            if (!whole.add(q)) throw new Invalid(where + "quadrant " + q + " is given whole twice");
                            p = new PartitionRequest(
                                    q, true, 0, f[4].equals("all") ? 0 : SizeParser.parse(f[4]), false);
                        } else {
                            if (f[4].equals("all")) throw new Invalid(where + "memory all needs cores all");
                            p = new PartitionRequest(
                                    q, false, number(f[3], where + "cores"), SizeParser.parse(f[4]), false);
                        }
                    } catch (IllegalArgumentException e) {
                        throw new Invalid(where + e.getMessage());
                    }
                    int prog = 5;
                    NetPolicy net = NetPolicy.DEFAULT;
                    if (f[5].startsWith("net=")) {
                        try {
                            net = NetPolicy.parse(f[5].substring(4));
                        } catch (IllegalArgumentException e) {
                            throw new Invalid(where + e.getMessage());
                        }
                        prog = 6;
                        if (f.length < 7) throw new Invalid(where + "run needs a PROGRAM after " + f[5]);
                    }
                    entries.add(new Entry(
                            name,
                            p,
                            net,
                            program(f[prog], dir, buildDir),
                            Arrays.asList(f).subList(prog + 1, f.length),
                            n));
                }
                default -> throw new Invalid(where + "unknown directive '" + f[0] + "' (node, fwk or run)");
            }
        }
        if (fwk == null) fwk = shape.quadrants() > 1 ? Set.of(0) : Set.of();
        if (entries.isEmpty()) throw new Invalid(file + ": no run line: nothing to deploy");
        for (Entry e : entries) {
            int q = e.partition().quadrant();
            String where = file + ":" + e.line() + ": ";
            if (q >= shape.quadrants()) {
                throw new Invalid(where + "quadrant " + q + ": the node has quadrants 0.." + (shape.quadrants() - 1));
            }
            if (fwk.contains(q)) throw new Invalid(where + "quadrant " + q + " is the full-weight kernel's");
        }
        for (int q : fwk) {
            if (q >= shape.quadrants()) throw new Invalid(file + ": fwk quadrant " + q + " does not exist");
        }
        return new Deployment(file, shape, new TreeSet<>(fwk), entries);
    }

    private static int number(String s, String what) throws Invalid {
        try {
            int v = Integer.parseInt(s);
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new Invalid(what + ": '" + s + "' is not a number");
        }
    }

    private static Path program(String text, Path dir, Path buildDir) {
        if (text.startsWith("$BUILD/")) return buildDir.toAbsolutePath().resolve(text.substring("$BUILD/".length()));
        return dir.resolve(text).normalize();
    }
}
