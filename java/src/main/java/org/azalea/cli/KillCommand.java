package org.azalea.cli;

import java.io.PrintStream;
import java.util.List;
import org.azalea.service.InstanceView;

/** {@code azalea kill ID}. */
final class KillCommand implements Command {
    @Override
    public String name() {
        return "kill";
    }

    @Override
    public String summary() {
        return "end an instance of the running node and reclaim its resources";
    }

    @Override
    public String help() {
        return """
                usage: azalea kill ID...

                Ends each instance (its cores are forced back even if it spins with
                interrupts off), waits until its cores and memory are reclaimed, and
                says so.  An `azalea run` attached to it exits with status 137.

                Exit status: 0 when every instance was killed; 1 when one does not
                exist or already ended; 3 when no node is running.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = new Options(args);
        String opt = o.nextOption();
        if (opt != null) throw new UsageException("unknown option '" + opt + "' (see azalea kill --help)");
        if (o.rest().isEmpty()) throw new UsageException("no instance ID given (see azalea ps)");
        List<Long> ids = new java.util.ArrayList<>();
        for (String a : o.rest()) ids.add(Nodes.id(a));
        var node = Nodes.require();
        int status = 0;
        for (long id : ids) {
            try {
                InstanceView v = node.kill(id);
                out.printf(
                        "killed instance %d (%s): %s; reclaimed in %.1f ms%n",
                        v.id(), v.name(), v.outcome(), v.reclaimMicros() / 1000.0);
            } catch (org.azalea.service.ServiceException e) {
                err.println("azalea kill: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }
}
