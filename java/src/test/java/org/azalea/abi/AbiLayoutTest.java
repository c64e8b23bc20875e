package org.azalea.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java bindings against the C compiler: native/tools/abi-dump.c prints
 * every size, offset and constant of abi.h; each must match the Java side,
 * and no name may exist on one side only.  A third check reads the header
 * itself, with patterns of its own rather than scripts/gen-bindings.py's
 * parser (which writes both the bindings and abi-dump.c), so a field or macro
 * that parser missed cannot be missed by both sides at once.
 */
class AbiLayoutTest {
    @TempDir
    static Path tmp;

    private static Path include;
    private static Map<String, String> fromC;

    @BeforeAll
    static void runAbiDump() throws Exception {
        include = Path.of(System.getProperty("azalea.include.dir", "include")).toAbsolutePath();
        Path source = include.getParent().resolve("native/tools/abi-dump.c");
        Path binary = tmp.resolve("abi-dump");
        run(List.of(
                "gcc",
                "-std=gnu11",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-I",
                include.toString(),
                "-o",
                binary.toString(),
                source.toString()));
        fromC = new TreeMap<>();
        for (String line : run(List.of(binary.toString())).split("\n")) {
            String[] parts = line.trim().split(" ");
            assertEquals(2, parts.length, "abi-dump line: " + line);
            assertEquals(null, fromC.put(parts[0], parts[1]), "abi-dump printed " + parts[0] + " twice");
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " timed out");
        assertEquals(0, p.exitValue(), command + " failed:\n" + out);
        return out;
    }

    /** Every number Java has, named as abi-dump names it, as an unsigned decimal string. */
    private static Map<String, String> fromJava() throws ReflectiveOperationException, IOException {
        Map<String, String> java = new TreeMap<>();
        for (String name : structsInHeader()) {
            Class<?> struct;
            try {
                struct = Class.forName(abi_h.class.getPackageName() + "." + name);
            } catch (ClassNotFoundException e) {
                continue; // every name of it is then "only in C"
            }
            java.put("sizeof." + name, Long.toUnsignedString((long)
                    struct.getMethod("sizeof").invoke(null)));
            for (Method m : struct.getMethods()) {
                if (m.getName().endsWith("$offset") && m.getParameterCount() == 0) {
                    String field = m.getName().substring(0, m.getName().length() - "$offset".length());
                    java.put("offsetof." + name + "." + field, Long.toUnsignedString((long) m.invoke(null)));
                }
            }
        }
        for (Method m : abi_h.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers())
                    || !Modifier.isStatic(m.getModifiers())
                    || m.getParameterCount() != 0
                    || !m.getName().startsWith("AZ_")) {
                continue;
            }
            Object value = m.invoke(null);
            String text =
                    value instanceof Long l ? Long.toUnsignedString(l) : Integer.toUnsignedString((Integer) value);
            java.put(m.getName(), text);
        }
        return java;
    }

    @Test
    void everySizeOffsetAndConstantMatchesTheCompiler() throws Exception {
        Map<String, String> java = fromJava();
        TreeSet<String> onlyC = new TreeSet<>(fromC.keySet());
        onlyC.removeAll(java.keySet());
        TreeSet<String> onlyJava = new TreeSet<>(java.keySet());
        onlyJava.removeAll(fromC.keySet());
        List<String> differ = new ArrayList<>();
        for (var e : fromC.entrySet()) {
            String j = java.get(e.getKey());
            if (j != null && !j.equals(e.getValue())) differ.add(e.getKey() + ": C " + e.getValue() + ", Java " + j);
        }
        assertTrue(
                onlyC.isEmpty() && onlyJava.isEmpty() && differ.isEmpty(),
                "only in C: " + onlyC + "; only in Java: " + onlyJava + "; mismatches: " + differ);
        assertTrue(fromC.size() > 100, "abi-dump printed only " + fromC.size() + " names");
    }

    /** The names abi.h declares: macros, enum constants, struct sizes and fields. */
    private static TreeSet<String> declaredInHeader() throws IOException {
        String header = Files.readString(include.resolve("azalea/abi.h")).replaceAll("(?s)/\\*.*?\\*/", " ");
        TreeSet<String> names = new TreeSet<>();
        Matcher define = Pattern.compile("(?m)^\\s*#\\s*define\\s+(AZ_\\w+)").matcher(header);
        while (define.find()) names.add(define.group(1));
        Matcher enumBody =
                Pattern.compile("(?s)enum\\s+az_opcode\\s*\\{(.*?)\\}").matcher(header);
        assertTrue(enumBody.find(), "abi.h has no enum az_opcode");
        Matcher constant = Pattern.compile("(AZ_OP_\\w+)\\s*=").matcher(enumBody.group(1));
        while (constant.find()) names.add(constant.group(1));
        Matcher struct =
                Pattern.compile("(?s)struct\\s+(az_\\w+)\\s*\\{(.*?)\\};").matcher(header);
        while (struct.find()) {
            names.add("sizeof." + struct.group(1));
            Matcher field = Pattern.compile("(?m)^\\s*(?:u?int\\d+_t|char|struct\\s+\\w+)\\s+(\\w+)")
                    .matcher(struct.group(2));
            while (field.find()) names.add("offsetof." + struct.group(1) + "." + field.group(1));
        }
        return names;
    }

    /** The structs abi.h declares; each has a class of the same name. */
    private static List<String> structsInHeader() throws IOException {
        return declaredInHeader().stream()
                .filter(n -> n.startsWith("sizeof."))
                .map(n -> n.substring("sizeof.".length()))
                .toList();
    }

    @Test
    void abiDumpCoversEveryNameTheHeaderDeclares() throws IOException {
        TreeSet<String> declared = declaredInHeader();
        TreeSet<String> missing = new TreeSet<>(declared);
        missing.removeAll(fromC.keySet());
        TreeSet<String> undeclared = new TreeSet<>(fromC.keySet());
        undeclared.removeAll(declared);
        assertTrue(
                missing.isEmpty() && undeclared.isEmpty(),
                "abi-dump misses " + missing + " and prints " + undeclared + ", which abi.h does not declare");
    }

    @Test
    void arrayAccessorsIndexLikeC() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sqe = az_sqe.allocate(arena);
            az_sqe.args(sqe, 2, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, sqe.get(ValueLayout.JAVA_LONG, az_sqe.args$offset() + 2 * 8));
            assertEquals(0x1122334455667788L, az_sqe.args(sqe, 2));

            MemorySegment he = az_hostent.allocate(arena);
            az_hostent.addr(he, 3, 5, (byte) 0x7f);
            assertEquals((byte) 0x7f, he.get(ValueLayout.JAVA_BYTE, az_hostent.addr$offset() + 3 * 16 + 5));
            az_hostent.family(he, 15, (short) 10);
            assertEquals((short) 10, he.get(ValueLayout.JAVA_SHORT, az_hostent.family$offset() + 15 * 2));
            assertEquals(
                    List.of(16L, 16L),
                    List.of(az_hostent.addr$dimensions()[0], az_hostent.addr$dimensions()[1]));

            MemorySegment ring = az_cqe.allocateArray(4, arena);
            az_cqe.result(az_cqe.asSlice(ring, 3), -5);
            assertEquals(-5, ring.get(ValueLayout.JAVA_LONG, 3 * az_cqe.sizeof() + az_cqe.result$offset()));
        }
    }
}
