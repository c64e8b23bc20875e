package org.azalea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `azalea run` as a user runs it, in its own JVM: a musl-static program on a
 * booted 72-core node writes, reads back, lists and stats files under its
 * root, reads stdin, prints, and exits with its status; the host sees its file.
 * The same on a private node and on a running node service.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RunCommandIT {
    @TempDir
    Path dir;

    @TempDir
    Path runtime;

    record Result(int status, String out, String err) {}

    private Result azaleaRun(Path cwd, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dazalea.build.dir=" + System.getProperty("azalea.build.dir"),
                "-cp",
                System.getProperty("java.class.path"),
                "org.azalea.cli.Main",
                "run"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("AZALEA_RUNTIME_DIR", runtime.toString()); // no service there unless a test starts one
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (Exception e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "azalea run finished");
        return new Result(p.exitValue(), out, err.get());
    }

    private Path compile(String source) throws Exception {
        Path src = Files.writeString(dir.resolve("prog.c"), source);
        Path out = dir.resolve("prog");
        Process p = new ProcessBuilder("musl-gcc", "-static", "-O2", "-o", out.toString(), src.toString())
                .inheritIO()
                .start();
        assertEquals(0, p.waitFor());
        return out;
    }

    static final String PROGRAM = """
                #include <stdio.h>
                #include <dirent.h>
                #include <sys/stat.h>
                int main(int argc, char **argv) {
                    FILE *f = fopen("out.txt", "w");
                    if (!f) return 10;
                    fprintf(f, "written by %s %s\\n", argv[0], argv[1]);
                    fclose(f);
                    char buf[100] = {0};
                    f = fopen("out.txt", "r");
                    fgets(buf, sizeof buf, f);
                    fclose(f);
                    struct stat st;
                    if (stat("out.txt", &st) != 0) return 11;
                    printf("read back: %s", buf);
                    printf("size %ld\\n", (long) st.st_size);
                    DIR *d = opendir(".");
                    int n = 0;
                    for (struct dirent *e; (e = readdir(d)); ) n++;
                    closedir(d);
                    printf("entries %d\\n", n);
                    char line[100];
                    if (fgets(line, sizeof line, stdin)) printf("stdin said: %s", line);
                    return 42;
                }
                """;

    private void runsAndChecks(Path prog, String rootName) throws Exception {
        Path root = Files.createDirectory(dir.resolve(rootName));
        Result r = azaleaRun(root, "hello from the host\n", prog.toString(), "ARG");
        assertEquals(42, r.status(), r.out() + r.err());
        assertEquals(
                "read back: written by prog ARG\nsize 20\nentries 3\nstdin said: hello from the host\n",
                r.out(),
                r.err());
        assertEquals("written by prog ARG\n", Files.readString(root.resolve("out.txt")), "the host sees the file");
    }

    @Test
    void runsAProgramWithFilesStdinStdoutAndItsStatus() throws Exception {
        runsAndChecks(compile(PROGRAM), "root");
    }

    @Test
    void theSameOnARunningNode() throws Exception {
        Path prog = compile(PROGRAM);
        Azalea az = new Azalea(runtime);
        try {
            assertEquals(0, az.run("node", "start").status());
            runsAndChecks(prog, "root-on-service");
            Azalea.Result ps = az.run("ps", "-a");
            assertTrue(
                    ps.out().contains("prog") && ps.out().contains("EXITED 42"), "it ran on the service: " + ps.out());
            assertEquals(0, az.run("node", "stop").status());
        } finally {
            az.cleanUp();
        }
    }

    @Test
    void aCrashNamesTheFaultAndFails() throws Exception {
        Path prog = compile("int main(void){ *(volatile int *)16 = 1; return 0; }\n");
        Result r = azaleaRun(dir, "", "--root", dir.toString(), prog.toString());
        assertEquals(139, r.status(), r.err());
        assertTrue(r.err().contains("page fault") && r.err().contains("address 0x10"), r.err());
    }
}
