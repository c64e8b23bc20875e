package org.azalea.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.azalea.service.ServiceException;
import org.azalea.sideloader.ResourceUnavailableException;

/** {@code bin/azalea}: the full-weight kernel's command line. */
public final class Main {
    private final Map<String, Command> commands = new LinkedHashMap<>();

    Main(List<Command> list) {
        for (Command c : list) commands.put(c.name(), c);
    }

    static Main standard() {
        return new Main(List.of(
                new NodeCommand(),
                new RunCommand(),
                new PsCommand(),
                new KillCommand(),
                new LogsCommand(),
                new StatsCommand(),
                new DeployCommand(),
                new ExampleCommand(),
                new DemoCommand(),
                new BenchCommand(),
                new EvalCommand()));
    }

    public static void main(String[] args) {
        List<String> list = new ArrayList<>(List.of(args));
        if (list.remove("--verbose")) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        System.exit(standard().run(list, System.out, System.err));
    }

    int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()
                || args.get(0).equals("--help")
                || args.get(0).equals("-h")
                || args.get(0).equals("help")) {
            if (args.size() > 1 && commands.containsKey(args.get(1))) {
                out.print(commands.get(args.get(1)).help());
            } else {
                out.print(usage());
            }
            return args.isEmpty() ? 2 : 0;
        }
        Command c = commands.get(args.get(0));
        if (c == null) {
            err.println("azalea: unknown command '" + args.get(0) + "' (try: azalea --help)");
            return 2;
        }
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(c.help());
            return 0;
        }
        try {
            return c.run(rest, out, err);
        } catch (UsageException e) {
            err.println("azalea " + c.name() + ": " + e.getMessage());
            return 2;
        } catch (NoNodeException e) {
            err.println("azalea " + c.name() + ": " + e.getMessage());
            return 3;
        } catch (ServiceException | ResourceUnavailableException e) {
            err.println("azalea " + c.name() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("azalea " + c.name() + ": " + e);
            return 1;
        }
    }

    String usage() {
        StringBuilder b = new StringBuilder("usage: azalea COMMAND [OPTIONS]\n\ncommands:\n");
        for (Command c : commands.values()) b.append(String.format("  %-8s %s%n", c.name(), c.summary()));
        return b.append("""

                `azalea COMMAND --help` documents each command's options and exit statuses.
                Exit statuses: 0 success; 1 the command failed or was refused (one line says
                why); 2 bad options or input; 3 no node is running (ps, kill, logs, stats,
                node status).  `run` exits with its program's status (see azalea run --help).
                """).toString();
    }
}
