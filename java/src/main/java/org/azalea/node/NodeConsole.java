package org.azalea.node;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the node's console (QEMU's serial log): the kernel prefixes every
 * line with the CPU that printed it ({@code [cpu28] start: ...}), so the
 * reason a core gave for a refusal can be found and quoted to the user.
 */
final class NodeConsole {
    /** At most this much of the console is read back: the reason is among the newest lines. */
    static final int TAIL_BYTES = 64 * 1024;

    private NodeConsole() {}

    static long size(Path console) {
        try {
            return Files.size(console);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last line from {@code cpu} written after offset {@code since}, without its prefix; "" if none. */
    static String lastLineOf(Path console, int cpu, long since) {
        String text;
        try (RandomAccessFile f = new RandomAccessFile(console.toFile(), "r")) {
            long end = f.length();
            long from = Math.max(Math.max(0, since), end - TAIL_BYTES);
            if (from >= end) return "";
            byte[] b = new byte[(int) (end - from)];
            f.seek(from);
            f.readFully(b);
            text = new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
        return lastLineOf(text, cpu);
    }

    /** The last line of {@code text} printed by {@code cpu}, without its prefix; "" if none. */
    static String lastLineOf(String text, int cpu) {
        String prefix = "[cpu" + cpu + "] ";
        String found = "";
        for (String line : text.split("\r?\n")) {
            if (line.startsWith(prefix)) found = line.substring(prefix.length()).strip();
        }
        return found;
    }
}
