package org.azalea.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * scripts/gen-bindings.py on headers of its own: one that needs every kind of
 * padding C inserts (which abi.h happens not to), checked against gcc like
 * AbiLayoutTest checks abi.h; and headers outside the subset, which it must
 * refuse, naming the line, without writing anything.
 */
class GenBindingsTest {
    private static final String PADDED = """
            #ifndef FIX_H
            #define FIX_H
            #include <stddef.h>
            #include <stdint.h>
            #define FIX_N 3
            #define FIX_ALL 0xFFFFFFFFFFFFFFFFULL
            #define FIX_TOP (1U << 31)
            #define FIX_WIDE (1ULL << 40)
            #define FIX_UNSIGNED 4000000000U
            /* Needs 3 bytes of tail padding. */
            struct fix_inner {
                uint32_t a; /* first */
                uint8_t b;  /* then a byte */
            };
            struct fix_outer {
                uint8_t tag;                   /* 7 bytes of padding follow */
                uint64_t wide;
                uint16_t pair[FIX_N][2];       /* 12 bytes */
                char c;                        /* then 3 bytes of padding */
                struct fix_inner inner[FIX_N];
                int8_t odd;                    /* then 3 bytes of padding */
                struct fix_inner one;
                int16_t last;                  /* then 2 bytes of tail padding */
            };
            enum fix_e { FIX_A = 0, FIX_B = 7, };
            _Static_assert(sizeof(struct fix_outer) == 72, "fix_outer size");
            _Static_assert(offsetof(struct fix_outer, inner) == 32, "fix_outer.inner");
            #endif
            """;

    @TempDir
    Path tmp;

    @Test
    void paddedLayoutMatchesTheCompiler() throws Exception {
        Path header = Files.writeString(tmp.resolve("fix.h"), PADDED);
        Path out = tmp.resolve("out");
        GenBindings.Result r =
                GenBindings.run("--header", header.toString(), "--out", out.toString(), "--package", "fixture.abi");
        assertEquals(0, r.exit(), r.output());

        Map<String, String> fromC = new TreeMap<>();
        Path dump = tmp.resolve("dump");
        run(
                "gcc",
                "-std=gnu11",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-I",
                tmp.toString(),
                "-o",
                dump.toString(),
                out.resolve("native/tools/abi-dump.c").toString());
        for (String line : run(dump.toString()).split("\n")) {
            String[] parts = line.split(" ");
            fromC.put(parts[0], parts[1]);
        }

        try (URLClassLoader loader = compile(out.resolve("java/src/main/java"), tmp.resolve("classes"));
                Arena arena = Arena.ofConfined()) {
            Map<String, String> fromJava = new TreeMap<>();
            for (String struct : List.of("fix_inner", "fix_outer")) {
                Class<?> c = loader.loadClass("fixture.abi." + struct);
                fromJava.put(
                        "sizeof." + struct, String.valueOf(c.getMethod("sizeof").invoke(null)));
                for (Method m : c.getMethods()) {
                    String name = m.getName();
                    if (name.endsWith("$offset")) {
                        fromJava.put(
                                "offsetof." + struct + "." + name.substring(0, name.length() - 7),
                                String.valueOf(m.invoke(null)));
                    }
                }
            }
            Class<?> constants = loader.loadClass("fixture.abi.abi_h");
            for (Method m : constants.getDeclaredMethods()) {
                Object v = m.invoke(null);
                fromJava.put(
                        m.getName(),
                        v instanceof Long l ? Long.toUnsignedString(l) : Integer.toUnsignedString((Integer) v));
            }
            assertEquals(fromC, fromJava);
            assertEquals("72", fromC.get("sizeof.fix_outer"), "the fixture pads as its comments say");

            Class<?> outer = loader.loadClass("fixture.abi.fix_outer");
            MemorySegment s = (MemorySegment) outer.getMethod("allocate", java.lang.foreign.SegmentAllocator.class)
                    .invoke(null, arena);
            Method element = outer.getMethod("inner", MemorySegment.class, long.class);
            MemorySegment third = (MemorySegment) element.invoke(null, s, 2L);
            assertEquals(s.address() + 32 + 2 * 8, third.address());
            assertEquals(8, third.byteSize());
            InvocationTargetException past =
                    assertThrows(InvocationTargetException.class, () -> element.invoke(null, s, 3L));
            assertTrue(
                    past.getCause() instanceof IndexOutOfBoundsException,
                    past.getCause().toString());

            outer.getMethod("pair", MemorySegment.class, long.class, long.class, short.class)
                    .invoke(null, s, 2L, 1L, (short) 0x1234);
            assertEquals((short) 0x1234, s.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 16 + (2 * 2 + 1) * 2));
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("struct s { uint32_t *p; };", "unsupported field"),
                Arguments.of("struct s { uint32_t a : 3; };", "unsupported field"),
                Arguments.of("struct s { uint32_t a, b; };", "unsupported field"),
                Arguments.of("struct s { const uint32_t a; };", "unsupported field"),
                Arguments.of("struct s { int a; };", "not a fixed-width type"),
                Arguments.of("struct s { uint32_t d[]; };", "flexible array"),
                Arguments.of("struct s { uint32_t d[NOPE]; };", "not a #define above"),
                Arguments.of("struct s { struct t x; };", "not declared above"),
                Arguments.of("struct s { uint32_t class; };", "clashes with Java"),
                Arguments.of("struct s { struct t { uint8_t a; } x; };", "nested"),
                Arguments.of("struct s { uint8_t a; } __attribute__((packed));", "expected '};'"),
                Arguments.of("union u { uint32_t a; };", "unsupported declaration"),
                Arguments.of("typedef uint32_t u32;", "unsupported declaration"),
                Arguments.of("#define F(x) (x)", "function-like"),
                Arguments.of("#define A 1\n#define B (A + 1)", "not an integer literal"),
                Arguments.of("#define O 017", "not an integer literal"),
                Arguments.of("#define S (1 << 31)", "overflows"),
                Arguments.of("#ifdef X\n#endif", "unsupported directive"),
                Arguments.of("#include <stdio.h>", "unsupported directive"),
                Arguments.of("enum e { A, B };", "explicit value"),
                Arguments.of("#define A 1\nenum e { A = 2 };", "defined twice"),
                Arguments.of(
                        "struct s { uint32_t a; uint8_t b; };\n_Static_assert(sizeof(struct s) == 5, \"s\");",
                        "does not hold"));
    }

    @ParameterizedTest
    @MethodSource
    void refused(String declarations, String why) throws Exception {
        String text = "#include <stdint.h>\n\n" + declarations + "\n";
        Path header = Files.writeString(tmp.resolve("bad.h"), text);
        Path out = tmp.resolve("out");
        GenBindings.Result r = GenBindings.run("--header", header.toString(), "--out", out.toString());
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("refused: bad.h:"), r.output());
        assertTrue(r.output().contains(why), "expected \"" + why + "\" in: " + r.output());
        assertFalse(Files.exists(out), "a refused header must write nothing");
    }

    private static URLClassLoader compile(Path sources, Path classes) throws Exception {
        List<String> args = new ArrayList<>(List.of("-d", classes.toString()));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, GenBindingsTest.class.getClassLoader());
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), List.of(command) + " timed out");
        assertEquals(0, p.exitValue(), List.of(command) + " failed:\n" + out);
        return out;
    }
}
