package org.azalea.eval;

import java.util.List;

/**
 * One run of one program on one system: a repetition of a point of a figure.
 * {@code args} are the program's; {@code cores} the CPUs it gets (an
 * instance's cores, the Linux guest's pinned CPUs; natively it runs on the
 * host's as the host schedules).
 */
record Task(String id, Kind kind, String figure, String workload, int users, int cores, int rep, List<String> args) {
    enum Kind {
        AIM7("aim7"),
        NOISE("noise"),
        CALLS("callcost");

        final String program;

        Kind(String program) {
            this.program = program;
        }
    }

    Task {
        args = List.copyOf(args);
    }

    /** Task ids go into the guest's plan and file names: letters, digits, '-' and '.' only. */
    static String id(String figure, String workload, int users, int cores, int rep) {
        return (figure + "-" + workload + "-u" + users + "-c" + cores + "-r" + rep).replaceAll("[^A-Za-z0-9.-]", "_");
    }

    /** The program's arguments for {@code users} of this task's users, numbered from {@code firstUser}. */
    List<String> argsFor(int users, int firstUser) {
        if (kind != Kind.AIM7) return args;
        List<String> a = new java.util.ArrayList<>(List.of("-u", Integer.toString(users)));
        if (firstUser > 0) a.addAll(List.of("-o", Integer.toString(firstUser)));
        a.addAll(args);
        return a;
    }

    String describe() {
        return switch (kind) {
            case AIM7 -> figure + " " + workload + " users " + users + " cores " + cores + " rep " + (rep + 1);
            case NOISE -> "noise probe on " + cores + " core" + (cores == 1 ? "" : "s");
            case CALLS -> "call cost rep " + (rep + 1);
        };
    }
}
