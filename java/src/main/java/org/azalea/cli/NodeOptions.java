package org.azalea.cli;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.azalea.BuildPaths;
import org.azalea.node.Accelerator;
import org.azalea.node.Node;
import org.azalea.node.NodeShape;
import org.azalea.node.SizeParser;
import org.azalea.service.RuntimeDir;

/**
 * The options that shape a node, shared by `azalea node start` and its
 * hidden `node serve`: parsed and checked before anything boots.
 */
record NodeOptions(
        NodeShape shape,
        Accelerator.Choice accel,
        Set<Integer> fwk,
        long consoleCap,
        int spinCores,
        boolean foreground,
        List<String> raw) {

    static final String HELP = """
              --smp N          CPUs of the node (default 72)
              --quadrants Q    NUMA quadrants, CPUs split evenly (default 4 when N is a multiple of 4, else 1)
              --mem SIZE       memory of each quadrant (default 512M; 2G with one quadrant; 2816M in all at most)
              --fwk Q|none     the full-weight kernel's quadrant, never given to instances (default 0;
                               none with one quadrant)
              --accel MODE     auto, kvm, tcg or icount (default auto: TCG where /dev/kvm is PVM or absent;
                               icount: TCG with -icount shift=0, exact guest time)
              --console-cap SIZE  the most of the node's console node.log keeps, then a note (default 64M)
              --spin-cores N|all  most cores of an instance spinning at once for the host's answers; the
                               others halt sooner (default: this host's cpus but one)
            """;

    static NodeOptions parse(List<String> args) throws UsageException {
        Options o = new Options(args);
        int smp = 72;
        Integer quadrants = null;
        Long mem = null;
        String accel = "auto", fwkText = null;
        long consoleCap = Node.Config.DEFAULT_CONSOLE_CAP;
        int spinCores = Node.Config.defaultSpinCores();
        boolean foreground = false;
        // What a detached service is started with: the same options but --foreground.
        List<String> raw = args.stream().filter(a -> !a.equals("--foreground")).toList();
        for (String opt; (opt = o.nextOption()) != null; ) {
            switch (opt) {
                case "--smp" -> smp = o.intValue(opt, 1, NodeShape.MAX_CPUS);
                case "--quadrants" -> quadrants = o.intValue(opt, 1, NodeShape.MAX_CPUS);
                case "--mem" -> mem = size(o.value(opt));
                case "--accel" -> accel = o.value(opt);
                case "--fwk" -> fwkText = o.value(opt);
                case "--console-cap" -> consoleCap = size(o.value(opt));
                case "--spin-cores" -> {
                    String v = o.value(opt);
                    spinCores = v.equals("all") ? 0 : Options.parseInt(opt, v, 1, NodeShape.MAX_CPUS);
                }
                case "--foreground" -> foreground = true;
                case "--verbose" -> {} // handled by Main
                default -> throw new UsageException("unknown option '" + opt + "' (see azalea node --help)");
            }
        }
        if (!o.rest().isEmpty())
            throw new UsageException("unexpected '" + o.rest().getFirst() + "'");
        NodeShape shape;
        try {
            shape = NodeShape.of(smp, quadrants, mem);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Set<Integer> fwk = new TreeSet<>();
        if (fwkText == null) {
            if (shape.quadrants() > 1) fwk.add(0);
        } else if (!fwkText.equals("none")) {
            try {
                int f = Integer.parseInt(fwkText);
                if (f < 0 || f >= shape.quadrants()) {
                    throw new UsageException("--fwk " + f + ": the node has quadrants 0.." + (shape.quadrants() - 1));
                }
                fwk.add(f);
            } catch (NumberFormatException e) {
                throw new UsageException("--fwk needs a quadrant number or none, not '" + fwkText + "'");
            }
        }
        Accelerator.Choice choice;
        try {
            choice = Accelerator.parse(accel);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new NodeOptions(shape, choice, Set.copyOf(fwk), consoleCap, spinCores, foreground, List.copyOf(raw));
    }

    /** The node's config; its work directory (console and QEMU logs) lives in the runtime directory. */
    Node.Config config(RuntimeDir dir) throws IOException {
        Node.Config d = Node.Config.defaults(BuildPaths.dir());
        return new Node.Config(shape, accel, d.kernel(), dir.nodeDir(), d.bootTimeout(), consoleCap, spinCores);
    }

    static long size(String text) throws UsageException {
        try {
            return SizeParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    String describe() {
        return shape.cpus() + " cpus, " + shape.quadrants() + " quadrants of "
                + SizeParser.format(shape.memoryPerQuadrant());
    }
}
