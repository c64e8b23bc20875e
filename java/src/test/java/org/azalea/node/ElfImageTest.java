package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real executables from the real compilers: what a user would hand to {@code azalea run}. */
class ElfImageTest {
    @TempDir
    Path dir;

    private Path compile(String compiler, String... flags) throws Exception {
        Path src = dir.resolve("p.c");
        Files.writeString(src, "int main(void){return 3;}\n");
        Path out = dir.resolve("p" + Math.abs((compiler + String.join("", flags)).hashCode()));
        var cmd = new java.util.ArrayList<String>();
        cmd.add(compiler);
        cmd.addAll(java.util.List.of(flags));
        cmd.addAll(java.util.List.of("-o", out.toString(), src.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String log = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) throw new AssertionError(compiler + " failed: " + log);
        return out;
    }

    @Test
    void acceptsMuslStaticAndStaticPie() throws Exception {
        ElfImage plain = ElfImage.load(compile("musl-gcc", "-static", "-no-pie"));
        assertFalse(plain.positionIndependent());
        ElfImage pie = ElfImage.load(
                compile(Path.of("scripts/musl-static-pie").toAbsolutePath().toString(), "-O1"));
        assertTrue(pie.positionIndependent());
    }

    @Test
    void refusesDynamicallyLinked() throws Exception {
        Path dyn = compile("gcc");
        var e = assertThrows(ElfImage.NotRunnable.class, () -> ElfImage.load(dyn));
        assertTrue(e.getMessage().contains("dynamically linked"), e.getMessage());
    }

    @Test
    void refusesMissingNonElfAndTruncated() throws Exception {
        var e = assertThrows(ElfImage.NotRunnable.class, () -> ElfImage.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        Path text = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        e = assertThrows(ElfImage.NotRunnable.class, () -> ElfImage.load(text));
        assertTrue(e.getMessage().contains("not an ELF"), e.getMessage());
        byte[] good = Files.readAllBytes(compile("musl-gcc", "-static"));
        Path cut = Files.write(dir.resolve("cut"), java.util.Arrays.copyOf(good, 80));
        assertThrows(ElfImage.NotRunnable.class, () -> ElfImage.load(cut));
    }
}
