package org.azalea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `azalea eval` end to end on tiny sizes: one core and user, loop counts / 64,
 * all three systems, every part.  The Linux guest gets 2 CPUs instead of the
 * node's 72 (under TCG it boots in ~8 s instead of ~2 min); the kernel is
 * fetched through scripts/linux-guest.sh on first use (~70 MB, cached in
 * ~/.cache/azalea).  No assertion on speed: this checks that every system ran
 * the same work and that the outputs are what the issue specifies.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class EvalCommandIT {
    @TempDir
    Path runtime;

    @TempDir
    Path out;

    Azalea az;

    @AfterEach
    void tearDown() throws Exception {
        if (az != null) az.cleanUp();
    }

    @Test
    void tinyEvaluationOnAllThreeSystems() throws Exception {
        az = new Azalea(runtime);
        Path home = Azalea.BUILD.getParent();
        Process p = az.start(
                home,
                "eval",
                "--quick",
                "--cores",
                "1",
                "--scale",
                "64",
                "--linux-cpus",
                "2",
                "--noise-samples",
                "20000",
                "--out",
                out.toString());
        Azalea.Result r = Azalea.finish(p, "", 840);
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("linux: linux "), r.out()); // progress: the guest's init reported in

        String json = Files.readString(out.resolve("results.json"));
        for (String key : List.of(
                "\"environment\"",
                "\"points\"",
                "\"noise\"",
                "\"calls\"",
                "\"host_cpus\"",
                "\"host_cpu_model\"",
                "\"host_load_average_start\"",
                "\"qemu\"",
                "\"git_commit\"",
                "\"linux_boot_s\"",
                "\"azalea_boot_s\"")) assertTrue(json.contains(key), key + " missing in " + json);
        Matcher kernel = Pattern.compile("\"linux_kernel_package\": \"(\\d+\\.\\d+\\.\\d+-\\d+-amd64)")
                .matcher(json);
        assertTrue(kernel.find(), json);
        assertTrue(json.contains("\"linux_kernel_release\": \"" + kernel.group(1) + "\""), json); // the guest's uname

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(
                "figure,system,workload,users,cores,jpm,jpm_min,jpm_max,reps,oversubscribed,checksum,jti,"
                        + "load_average,error",
                csv.get(0));
        Map<String, Set<String>> checksums = new HashMap<>();
        Set<String> systems = new HashSet<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",", -1);
            assertEquals(14, f.length, line);
            assertTrue(Double.parseDouble(f[5]) > 0, "jpm > 0: " + line);
            assertTrue(Double.parseDouble(f[6]) <= Double.parseDouble(f[5]), line);
            assertTrue(Double.parseDouble(f[5]) <= Double.parseDouble(f[7]), line);
            assertEquals("3", f[8], line);
            assertTrue(f[13].isEmpty(), "no error: " + line);
            systems.add(f[1]);
            checksums.computeIfAbsent(f[0], k -> new HashSet<>()).add(f[10]);
        }
        assertEquals(Set.of("azalea", "linux", "native"), systems);
        assertEquals(Set.of("fig4", "fig5"), checksums.keySet());
        checksums.forEach((fig, sums) -> assertEquals(1, sums.size(), fig + ": one checksum for all: " + sums));

        for (String system : List.of("azalea", "linux", "native"))
            for (String op : List.of("open", "read", "write", "stat", "close"))
                assertTrue(
                        Pattern.compile("\"system\": \"" + system + "\",\\s*\"op\": \"" + op + "\",\\s*\"ns\": [0-9]")
                                .matcher(json)
                                .find(),
                        system + " " + op);
        for (String noise : List.of("azalea\",\\s*\"mode\": \"tcg", "linux\",\\s*\"mode\": \"icount"))
            assertTrue(
                    Pattern.compile("\"system\": \"" + noise + "\",\\s*\"samples\": 20000")
                            .matcher(json)
                            .find(),
                    noise);

        for (String fig : List.of("fig4", "fig5", "noise", "calls")) {
            BufferedImage img = ImageIO.read(out.resolve(fig + ".png").toFile());
            assertNotNull(img, fig + ".png decodes");
            assertTrue(img.getWidth() > 100 && img.getHeight() > 100, fig);
            assertTrue(Files.readString(out.resolve(fig + ".svg")).contains("<svg"), fig + ".svg");
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("Azalea/Linux"), report);
        assertTrue(report.contains("![fig4](fig4.png)"), report);
    }
}
