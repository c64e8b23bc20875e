package org.azalea.cli;

import java.io.PrintStream;
import java.util.List;
import org.azalea.service.InstanceView;
import org.azalea.service.NodeStatus;
import org.azalea.service.RemoteSession;

/** {@code azalea ps}: the node's instances and what is free. */
final class PsCommand implements Command {
    @Override
    public String name() {
        return "ps";
    }

    @Override
    public String summary() {
        return "list the running node's instances and its free cores and memory";
    }

    @Override
    public String help() {
        return """
                usage: azalea ps [-a]

                Lists the instances of the running node (azalea node start): id, name,
                quadrant, cores and cpus, memory, state, uptime and offloaded calls served,
                then each quadrant's free cores and memory.

                  -a, --all   also the instances that ended (the last 100 are kept)

                Exit status: 0; 3 when no node is running.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        boolean all = false;
        Options o = new Options(args);
        for (String opt; (opt = o.nextOption()) != null; ) {
            switch (opt) {
                case "-a", "--all" -> all = true;
                default -> throw new UsageException("unknown option '" + opt + "' (see azalea ps --help)");
            }
        }
        if (!o.rest().isEmpty())
            throw new UsageException("unexpected '" + o.rest().getFirst() + "'");
        RemoteSession node = Nodes.require();
        List<InstanceView> list = node.instances();
        List<InstanceView> shown =
                all ? list : list.stream().filter(v -> !v.ended()).toList();
        out.print(Render.instances(shown));
        long hidden = list.size() - shown.size();
        if (hidden > 0)
            out.println("(" + hidden + " ended instance" + (hidden == 1 ? "" : "s") + " not shown: azalea ps -a)");
        NodeStatus s = node.status();
        out.println();
        out.print(Render.quadrants(s.usage()));
        if (s.allFree()) out.println("every core and byte of memory for instances is free");
        return 0;
    }
}
