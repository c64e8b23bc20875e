package org.azalea.cli;

import java.io.PrintStream;
import java.util.List;
import org.azalea.BuildPaths;
import org.azalea.example.QuickStart;

/** {@code azalea example}: runs {@link QuickStart}, the Java API example. */
final class ExampleCommand implements Command {
    @Override
    public String name() {
        return "example";
    }

    @Override
    public String summary() {
        return "run the Java API example (org.azalea.example.QuickStart)";
    }

    @Override
    public String help() {
        return """
                usage: azalea example

                Runs org.azalea.example.QuickStart: attaches to the running node (or boots a
                private one), launches an instance on a partition, waits for it and prints its
                offload statistics, launches another and kills it, and closes everything.
                Its source is the example: java/src/main/java/org/azalea/example/QuickStart.java.

                Exit status: 0 when every step did what it should, else 1.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (!args.isEmpty()) throw new UsageException("takes no arguments");
        return QuickStart.run(BuildPaths.dir(), out);
    }
}
