package org.azalea.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.file.PathUtils;
import org.azalea.BuildPaths;
import org.azalea.example.OffloadFromJava;
import org.azalea.example.QuickStart;

/** {@code azalea example [quickstart|offload]}: runs one of the Java API examples. */
final class ExampleCommand implements Command {
    @Override
    public String name() {
        return "example";
    }

    @Override
    public String summary() {
        return "run a Java API example: quickstart (instances on a node) or offload (the proxy called from Java)";
    }

    @Override
    public String help() {
        return """
                usage: azalea example [quickstart|offload]

                quickstart (the default) runs org.azalea.example.QuickStart: attaches to the
                running node (or boots a private one), launches an instance on a partition,
                waits for it and prints its offload statistics, launches another and kills it,
                and closes everything.

                offload runs org.azalea.example.OffloadFromJava: formats an offload region in a
                shared-memory file, serves it with the full-weight kernel's proxy rooted in a
                fresh temporary directory, and submits open, write, pread64, fstat, stat and
                close from Java through the ring, printing each result.  No node is booted.

                Their sources are the examples: java/src/main/java/org/azalea/example/.

                Exit status: 0 when every step did what it should, else 1.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.size() > 1) throw new UsageException("takes one example name at most");
        String which = args.isEmpty() ? "quickstart" : args.getFirst();
        return switch (which) {
            case "quickstart" -> QuickStart.run(BuildPaths.dir(), out);
            case "offload" -> {
                Path root = Files.createTempDirectory("azalea-offload-example");
                try {
                    yield OffloadFromJava.run(root, out);
                } finally {
                    PathUtils.deleteDirectory(root);
                }
            }
            default -> throw new UsageException("no example '" + which + "' (quickstart or offload)");
        };
    }
}
