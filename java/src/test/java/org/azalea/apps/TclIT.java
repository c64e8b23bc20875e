package org.azalea.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.azalea.node.InstanceOutcome;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.ManagedInstance;
import org.azalea.sideloader.PartitionRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tcl 8.6 (bookworm's source package, built unmodified by apps/tcl/build.sh)
 * running its own test suite's driver, tests/all.tcl, over a selection of its
 * test files, in one interpreter (-singleproc 1): on the node and natively, the
 * same static tclsh on the same copy of its library and tests.  The reports
 * must be the same, line for line, but for the lines that name the time or
 * the directories; -verbose bps lists every test passed or skipped (with its
 * constraint) and the body of any that failed.  The selection is the core
 * language (strings, lists, format, procs, control flow, upvar/uplevel,
 * parsing, UTF-8, introspection, and traces, whose timer events start Tcl's
 * notifier thread: a pipe and select), files whose tests start no subprocess
 * (a unikernel has no fork) and that run in a few minutes under TCG;
 * -Dazalea.tcl.tests="a.test b.test" runs others.
 */
class TclIT {
    @RegisterExtension
    static final AppNode booted = new AppNode();

    static final List<String> TEST_FILES = System.getProperty("azalea.tcl.tests") != null
            ? List.of(System.getProperty("azalea.tcl.tests").trim().split("\\s+"))
            : List.of(
                    "string.test",
                    "list.test",
                    "format.test",
                    "proc.test",
                    "incr.test",
                    "lindex.test",
                    "split.test",
                    "if.test",
                    "switch.test",
                    "upvar.test",
                    "uplevel.test",
                    "rename.test",
                    "foreach.test",
                    "parse.test",
                    "utf.test",
                    "info.test",
                    "trace.test");

    /** tcltest's summary: "FILE:  Total N  Passed N  Skipped N  Failed N" (all.tcl's own names all.tcl). */
    static final Pattern SUMMARY =
            Pattern.compile("(?m)^(\\S+):\\tTotal\\t(\\d+)\\tPassed\\t(\\d+)\\tSkipped\\t(\\d+)\\tFailed\\t(\\d+)$");

    /** Lines that name the time, the interpreter's path or the directories the tests ran in. */
    static final Pattern VARYING = Pattern.compile(
            "^(Tests (began|ended) at|Tests running in|Tests located in|Temporary files stored in)\\b.*$");

    @TempDir
    Path root;

    @Test
    void tclPassesItsOwnTestsOnTheNodeAsNatively() throws Exception {
        Path tclsh = AppBuild.file("tcl/tclsh");
        Path src = AppBuild.file("tcl/src");
        List<String> args =
                List.of("/tests/all.tcl", "-singleproc", "1", "-verbose", "bps", "-file", String.join(" ", TEST_FILES));

        Path nodeRoot = copyOfLibraryAndTests(src, root.resolve("node"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ManagedInstance mi = booted.sideloader.launch(new LaunchRequest(
                "tclsh",
                tclsh,
                args,
                List.of("HOME=/", "TCL_LIBRARY=/library"),
                PartitionRequest.of(2, 256L << 20),
                nodeRoot,
                null,
                out,
                err));
        InstanceOutcome o = mi.awaitReclaimed(Duration.ofMinutes(15));
        assertNotNull(o, "tclsh ends within 15 minutes");
        String onNode = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, o.processStatus(), o.describe() + "\n" + HostProcess.tail(onNode) + err);
        booted.assertAllFree();
        assertEquals(List.of(), booted.unimplementedCallsOf(mi.id()), "tclsh needed no missing call");

        Path nativeRoot = copyOfLibraryAndTests(src, root.resolve("native"));
        HostProcess n = HostProcess.run(
                Stream.concat(
                                Stream.of(tclsh.toString()),
                                args.stream().map(a -> a.startsWith("/tests/") ? nativeRoot + a : a))
                        .toList(),
                nativeRoot,
                Map.of("TCL_LIBRARY", nativeRoot.resolve("library").toString()),
                new byte[0],
                Duration.ofMinutes(5));
        assertEquals(0, n.exitStatus(), n.describe());
        String natively = n.out();

        List<Integer> nodeTotal = summaries(onNode).get("all.tcl");
        List<Integer> nativeTotal = summaries(natively).get("all.tcl");
        assertNotNull(nativeTotal, "all.tcl's summary natively:\n" + HostProcess.tail(natively));
        assertEquals(nativeTotal, nodeTotal, "the same total, passed, skipped and failed counts on the node");
        assertTrue(nativeTotal.get(0) > 0 && nativeTotal.get(3) == 0, "tests ran, none failed: " + nativeTotal);
        assertEquals(
                (long) nativeTotal.get(1),
                natively.lines().filter(l -> l.endsWith(" PASSED")).count(),
                "-verbose p names every test that passed");
        // Every test's name and outcome, every skip's constraint, every failure's body.
        assertEquals(comparable(natively), comparable(onNode), "the same report on the node as natively");
        System.out.println("TclIT: all.tcl over " + TEST_FILES.size() + " files, Total/Passed/Skipped/Failed "
                + nodeTotal + " on the node and natively");
    }

    /** A fresh root holding the script library and the test suite, as the tests write scratch files beside them. */
    private static Path copyOfLibraryAndTests(Path src, Path to) throws IOException {
        for (String dir : List.of("library", "tests")) {
            Path from = src.resolve(dir);
            try (Stream<Path> all = Files.walk(from)) {
                for (Path p : all.toList()) {
                    Path target = to.resolve(dir).resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(target);
                    else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    /** File name to [total, passed, skipped, failed]. */
    static Map<String, List<Integer>> summaries(String report) {
        Map<String, List<Integer>> m = new java.util.TreeMap<>();
        Matcher x = SUMMARY.matcher(report);
        while (x.find()) {
            m.put(
                    x.group(1),
                    List.of(
                            Integer.parseInt(x.group(2)),
                            Integer.parseInt(x.group(3)),
                            Integer.parseInt(x.group(4)),
                            Integer.parseInt(x.group(5))));
        }
        return m;
    }

    static String comparable(String report) {
        return report.lines().filter(l -> !VARYING.matcher(l).matches()).collect(Collectors.joining("\n"));
    }
}
