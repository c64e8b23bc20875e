package org.azalea.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where the figures were measured: the host, its load, QEMU, the guest kernel, this checkout's commit. */
final class Environment {
    private Environment() {}

    static Map<String, Object> capture(Path home, LinuxKernel kernel, String accel) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("date", Instant.now().toString());
        e.put("host_cpus", Runtime.getRuntime().availableProcessors());
        e.put("host_cpu_model", cpuModel());
        e.put("host_load_average_start", HostLoad.now());
        e.put("host_memory_gib", memoryGib());
        e.put("qemu", firstLine("qemu-system-x86_64", "--version"));
        e.put("accelerator", accel);
        e.put("linux_kernel_package", kernel.version());
        e.put("linux_kernel_image", kernel.vmlinuz().getFileName().toString());
        e.put("git_commit", commit(home));
        e.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return e;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name"))
                    return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException e) {
            // below
        }
        return "unknown";
    }

    private static double memoryGib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo")))
                if (line.startsWith("MemTotal:"))
                    return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1048576.0 * 10) / 10.0;
        } catch (IOException | RuntimeException e) {
            // below
        }
        return -1;
    }

    private static String commit(Path home) {
        String c = firstLine("git", "-C", home.toString(), "rev-parse", "HEAD");
        String dirty = firstLine("git", "-C", home.toString(), "status", "--porcelain", "--untracked-files=no");
        return c.equals("unknown") ? c : c + (dirty.isEmpty() || dirty.equals("unknown") ? "" : " (modified)");
    }

    static String firstLine(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return "unknown";
            String[] lines = out.strip().split("\n");
            return lines.length == 0 ? "" : lines[0].strip();
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }
}
