package org.azalea.eval;

import java.util.ArrayList;
import java.util.List;

/** The tasks of an evaluation, the same list for every system (so each system runs the same work). */
final class Plan {
    private Plan() {}

    /** Fig. 4, Fig. 5, noise and call-cost tasks, under the ordinary accelerator. */
    static List<Task> tasks(EvalOptions o) {
        List<Task> t = new ArrayList<>();
        List<String> aim7 = List.of("-j", Integer.toString(o.jobs()), "-s", Integer.toString(o.scale()));
        for (String[] fig : new String[][] {{"fig4", "compute"}, {"fig5", "shared"}}) {
            if (!o.runs(fig[0])) continue;
            for (int i = 0; i < o.cores().size(); i++) {
                int cores = o.cores().get(i), users = o.users().get(i);
                for (int rep = 0; rep < o.reps(); rep++) {
                    List<String> args = new ArrayList<>(aim7);
                    args.add(fig[1]);
                    t.add(new Task(
                            Task.id(fig[0], fig[1], users, cores, rep),
                            Task.Kind.AIM7,
                            fig[0],
                            fig[1],
                            users,
                            cores,
                            rep,
                            args));
                }
            }
        }
        if (o.runs("noise")) t.add(noise(o));
        if (o.runs("calls")) {
            for (int rep = 0; rep < o.reps(); rep++)
                t.add(new Task(
                        Task.id("calls", "callcost", 1, 1, rep),
                        Task.Kind.CALLS,
                        "calls",
                        "callcost",
                        1,
                        1,
                        rep,
                        List.of("-n", Integer.toString(o.calls()))));
        }
        return t;
    }

    /** The noise probe: one run of noiseSamples quanta on one core (a distribution in itself). */
    static Task noise(EvalOptions o) {
        return new Task(
                Task.id("noise", "noise", 1, 1, 0),
                Task.Kind.NOISE,
                "noise",
                "noise",
                1,
                1,
                0,
                List.of("-n", Integer.toString(o.noiseSamples())));
    }
}
