package org.azalea.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed bindings are what scripts/gen-bindings.py makes of the
 * committed abi.h: the generator runs into a temporary directory and every
 * file it writes must equal the committed one, with no generated file left
 * over from a struct the header no longer has.
 */
class BindingsUpToDateTest {
    private static final String JAVA_DIR = "java/src/main/java/org/azalea/abi";
    private static final String DUMP = "native/tools/abi-dump.c";

    @TempDir
    Path out;

    @Test
    void committedBindingsAreTheGeneratorsOutput() throws Exception {
        Path repo = GenBindings.repo();
        GenBindings.Result r = GenBindings.run("--out", out.toString());
        assertEquals(0, r.exit(), "gen-bindings failed:\n" + r.output());

        List<String> stale = new ArrayList<>();
        TreeSet<String> generated = javaFiles(out.resolve(JAVA_DIR));
        TreeSet<String> committed = javaFiles(repo.resolve(JAVA_DIR));
        for (String name : generated) {
            compare(out.resolve(JAVA_DIR).resolve(name), repo.resolve(JAVA_DIR).resolve(name), stale);
        }
        compare(out.resolve(DUMP), repo.resolve(DUMP), stale);
        committed.removeAll(generated);
        for (String name : committed) stale.add(JAVA_DIR + "/" + name + ": not generated from abi.h any more");
        if (!stale.isEmpty()) {
            fail("the bindings are stale; run `make bindings` and commit the result:\n  " + String.join("\n  ", stale));
        }
    }

    private static TreeSet<String> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".java"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Adds a line naming the file and its first difference, if any. */
    private static void compare(Path expected, Path actual, List<String> stale) throws IOException {
        String name = GenBindings.repo().relativize(actual).toString();
        if (!Files.exists(actual)) {
            stale.add(name + ": missing");
            return;
        }
        List<String> want = Files.readAllLines(expected);
        List<String> have = Files.readAllLines(actual);
        for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
            String w = i < want.size() ? want.get(i) : "<end of file>";
            String h = i < have.size() ? have.get(i) : "<end of file>";
            if (!w.equals(h)) {
                stale.add(name + ":" + (i + 1) + ": generator says `" + w.strip() + "`, committed `" + h.strip() + "`");
                return;
            }
        }
    }
}
