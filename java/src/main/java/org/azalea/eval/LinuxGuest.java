package org.azalea.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azalea.node.Accelerator;
import org.azalea.node.NodeShape;
import org.azalea.node.QemuCommand;

/**
 * One boot of Debian's Linux kernel on the node's machine
 * ({@link QemuCommand#machine}: same CPUs, NUMA quadrants on /dev/shm files,
 * qboot, accelerator) with the evaluation's initramfs, which runs a whole plan
 * of points and powers off.  The console is the only channel back; it is the
 * guest's output, read as untrusted text: a line is a marker only when it
 * matches one exactly, and a point without its end marker failed.
 */
final class LinuxGuest {
    private static final Pattern LINUX = Pattern.compile("^azalea-init: linux (\\S+) cpus (\\d+)$");
    private static final Pattern BEGIN = Pattern.compile("^azalea-init: begin (\\S+)$");
    private static final Pattern END = Pattern.compile("^azalea-init: end (\\S+) status (-?\\d+) ms (\\d+)$");

    /** A point's console output between its markers, and its exit status (-1: no end marker). */
    record Output(String id, int status, String text) {}

    /** What a boot gave: the kernel's release, how long until init ran, each point's output. */
    record Boot(
            String release, int cpus, Duration bootTime, Map<String, Output> outputs, String console, String error) {}

    /** One line of a plan: the point's id, the CPUs it is pinned to, its time limit, the program and arguments. */
    record Line(String id, int cpus, int timeoutSeconds, String program, List<String> args) {
        String text() {
            return id + " " + cpus + " " + timeoutSeconds + " /eval/bin/" + program
                    + (args.isEmpty() ? "" : " " + String.join(" ", args));
        }
    }

    private LinuxGuest() {}

    /**
     * Boots, runs {@code plan}, returns when the guest powered off, or its init did not start within
     * {@code bootLimit}, or {@code limit} passed (then QEMU is killed and the points without an end marker
     * are failures).  {@code onLine} sees every console line as it comes.
     */
    static Boot run(
            Path kernel,
            Path init,
            Map<String, Path> programs,
            List<Line> plan,
            NodeShape shape,
            Accelerator accel,
            Path work,
            Duration bootLimit,
            Duration limit,
            Consumer<String> onLine)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        StringBuilder planText = new StringBuilder();
        for (Line l : plan) planText.append(l.text()).append('\n');
        Path initrd = work.resolve("initramfs.cpio");
        Initramfs.write(initrd, init, programs, planText.toString());
        Path console = work.resolve("console.log");
        Files.deleteIfExists(console);
        String tag = "azalea-linux-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
        List<Path> files = new ArrayList<>();
        for (int q = 0; q < shape.quadrants(); q++) files.add(Path.of("/dev/shm", tag + "-node" + q));
        List<String> cmd = QemuCommand.machine("qemu-system-x86_64", shape, accel, files);
        cmd.addAll(List.of(
                "-serial",
                "file:" + console,
                "-kernel",
                kernel.toString(),
                "-initrd",
                initrd.toString(),
                "-append",
                // quiet: the console carries the points' output; no watchdogs that TCG's slowness would trip.
                "console=ttyS0 quiet loglevel=3 panic=-1 nmi_watchdog=0 nowatchdog tsc=reliable azalea.plan="
                        + Initramfs.PLAN));
        long t0 = System.nanoTime();
        Process qemu = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("qemu.log").toFile())
                .start();
        long bootNanos = -1;
        int consumed = 0;
        StringBuilder partial = new StringBuilder();
        String error = null;
        try {
            long deadline = t0 + limit.toNanos(), bootDeadline = t0 + bootLimit.toNanos();
            while (true) {
                boolean exited = qemu.waitFor(250, TimeUnit.MILLISECONDS);
                String text = Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
                if (text.length() > consumed) {
                    partial.append(text, consumed, text.length());
                    consumed = text.length();
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, nl).replace("\r", "");
                        partial.delete(0, nl + 1);
                        if (bootNanos < 0 && LINUX.matcher(line).matches()) bootNanos = System.nanoTime() - t0;
                        onLine.accept(line);
                    }
                }
                if (exited) break;
                if (bootNanos < 0 && System.nanoTime() > bootDeadline) {
                    error = "the Linux guest's init did not run within " + bootLimit.toSeconds() + " s: killed";
                    break;
                }
                if (System.nanoTime() > deadline) {
                    error = "the Linux guest did not power off within " + limit.toSeconds() + " s: killed";
                    break;
                }
            }
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor(10, TimeUnit.SECONDS);
            for (Path f : files) Files.deleteIfExists(f);
        }
        String text = Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
        if (error == null && qemu.exitValue() != 0)
            error = "QEMU exited with status " + qemu.exitValue() + " (" + work.resolve("qemu.log") + ")";
        return parse(text, bootNanos < 0 ? null : Duration.ofNanos(bootNanos), error);
    }

    /** Splits a console log into the points' outputs. */
    static Boot parse(String console, Duration bootTime, String error) {
        String release = null;
        int cpus = 0;
        Map<String, Output> outputs = new LinkedHashMap<>();
        String current = null;
        StringBuilder out = new StringBuilder();
        for (String raw : console.split("\n", -1)) {
            String line = raw.replace("\r", "");
            Matcher m;
            if ((m = LINUX.matcher(line)).matches() && release == null) {
                release = m.group(1);
                cpus = Integer.parseInt(m.group(2));
            } else if ((m = BEGIN.matcher(line)).matches()) {
                if (current != null) outputs.put(current, new Output(current, -1, out.toString()));
                current = m.group(1);
                out.setLength(0);
            } else if ((m = END.matcher(line)).matches() && m.group(1).equals(current)) {
                outputs.put(current, new Output(current, Integer.parseInt(m.group(2)), out.toString()));
                current = null;
            } else if (current != null) {
                out.append(line).append('\n');
            }
        }
        if (current != null) outputs.put(current, new Output(current, -1, out.toString()));
        if (release == null && error == null) error = "the guest's init never ran (see its console)";
        return new Boot(release, cpus, bootTime, outputs, console, error);
    }
}
