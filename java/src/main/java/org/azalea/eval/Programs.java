package org.azalea.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.azalea.BuildPaths;

/** Where `make native` put the evaluation's static programs (the same files run on all three systems). */
record Programs(Path aim7, Path noise, Path callcost, Path init) {
    static Programs in(Path buildDir) {
        Path eval = buildDir.resolve("eval-programs");
        Programs p = new Programs(
                BuildPaths.deployProgram(buildDir, "aim7"),
                eval.resolve("noise"),
                eval.resolve("callcost"),
                eval.resolve("init"));
        for (Path f : new Path[] {p.aim7, p.noise, p.callcost, p.init})
            if (!Files.isRegularFile(f)) throw new IllegalStateException(f + " is missing: run `make native`");
        return p;
    }

    Path of(Task.Kind kind) {
        return switch (kind) {
            case AIM7 -> aim7;
            case NOISE -> noise;
            case CALLS -> callcost;
        };
    }

    /** The programs by their name in the Linux guest's /eval/bin. */
    Map<String, Path> byName() {
        Map<String, Path> m = new LinkedHashMap<>();
        for (Task.Kind k : Task.Kind.values()) m.put(k.program, of(k));
        return m;
    }
}
