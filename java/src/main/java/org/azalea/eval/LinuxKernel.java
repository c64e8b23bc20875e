package org.azalea.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's kernel for the Linux guest, fetched into the cache by
 * scripts/linux-guest.sh (the one place that knows how): its vmlinuz and
 * the package's version.
 */
record LinuxKernel(Path vmlinuz, String version) {
    static LinuxKernel fetch(Path home) throws IOException, InterruptedException {
        Path script = home.resolve("scripts/linux-guest.sh");
        Process p = new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0)
            throw new IOException(script + " failed: the Linux guest's kernel could not be fetched");
        Path kernel = null;
        String version = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("KERNEL=")) kernel = Path.of(line.substring(7).trim());
            if (line.startsWith("VERSION=")) version = line.substring(8).trim();
        }
        if (kernel == null || version == null || !Files.isReadable(kernel))
            throw new IOException(script + " printed no readable KERNEL= and VERSION=: " + out.strip());
        return new LinuxKernel(kernel, version);
    }
}
