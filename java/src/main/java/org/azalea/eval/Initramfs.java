package org.azalea.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Linux guest's initramfs: the evaluation's init as /init, the programs
 * it runs under /eval/bin, the plan of points as /eval/plan, and a console
 * node (init's stdio before /dev is mounted).
 */
final class Initramfs {
    static final String PLAN = "/eval/plan";

    private Initramfs() {}

    /**
     * @param programs name in /eval/bin to host file (static executables)
     * @param plan the plan's text (eval/linux/init.c: "ID CPUS TIMEOUT PROGRAM ARGS..." a line)
     */
    static void write(Path archive, Path init, Map<String, Path> programs, String plan) throws IOException {
        try (OutputStream os = Files.newOutputStream(archive);
                CpioWriter cpio = new CpioWriter(new java.io.BufferedOutputStream(os))) {
            cpio.directory("dev", 0755);
            cpio.charDevice("dev/console", 0600, 5, 1);
            cpio.directory("eval", 0755);
            cpio.directory("eval/bin", 0755);
            cpio.directory("tmp", 01777);
            cpio.file("init", 0755, Files.readAllBytes(init));
            for (Map.Entry<String, Path> p : programs.entrySet())
                cpio.file("eval/bin/" + p.getKey(), 0755, Files.readAllBytes(p.getValue()));
            cpio.file(PLAN.substring(1), 0644, plan.getBytes(StandardCharsets.UTF_8));
        }
    }
}
