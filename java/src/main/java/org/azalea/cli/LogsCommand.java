package org.azalea.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code azalea logs ID}. */
final class LogsCommand implements Command {
    @Override
    public String name() {
        return "logs";
    }

    @Override
    public String summary() {
        return "print an instance's console (the last 64 KiB of its stdout and stderr)";
    }

    @Override
    public String help() {
        return """
                usage: azalea logs ID

                Prints what the instance wrote to stdout and stderr, as the node kept it
                (the last 64 KiB), also after it ended.

                Exit status: 0; 1 when there is no such instance; 3 when no node is running.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = new Options(args);
        String opt = o.nextOption();
        if (opt != null) throw new UsageException("unknown option '" + opt + "' (see azalea logs --help)");
        if (o.rest().size() != 1) throw new UsageException("needs exactly one instance ID");
        long id = Nodes.id(o.rest().getFirst());
        out.print(Nodes.require().logs(id));
        out.flush();
        return 0;
    }
}
