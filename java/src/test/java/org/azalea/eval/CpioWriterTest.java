package org.azalea.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The newc archive, byte for byte where the format fixes it, and read back by
 * a reader written from the format's description (not from the writer).
 */
class CpioWriterTest {
    record Entry(String name, int mode, long size, int rdevMajor, int rdevMinor, byte[] data) {}

    @Test
    void firstHeaderIsExactlyTheFormats() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(bytes)) {
            w.file("init", 0755, "abcde".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] a = bytes.toByteArray();
        String header = new String(a, 0, 110, StandardCharsets.US_ASCII);
        assertEquals(
                "070701" + "00000001" + "000081ed" + "00000000" + "00000000" + "00000001" + "00000000" + "00000005"
                        + "00000000" + "00000000" + "00000000" + "00000000" + "00000005" + "00000000",
                header);
        // 110 + "init\0" = 115, padded to 116; then 5 data bytes padded to 8.
        assertEquals("init\0", new String(a, 110, 5, StandardCharsets.US_ASCII));
        assertEquals(0, a[115]);
        assertEquals("abcde", new String(a, 116, 5, StandardCharsets.US_ASCII));
        assertEquals(124, indexOf(a, "070701", 1));
        assertEquals(0, a.length % 4);
    }

    @Test
    void readsBackEveryEntryAndTheTrailer() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] big = new byte[4099];
        Arrays.fill(big, (byte) 7);
        try (CpioWriter w = new CpioWriter(bytes)) {
            w.directory("dev", 0755);
            w.charDevice("dev/console", 0600, 5, 1);
            w.directory("eval", 0755);
            w.file("eval/plan", 0644, "1 1 60 /x\n".getBytes(StandardCharsets.UTF_8));
            w.file("eval/big", 0755, big);
            w.file("empty", 0644, new byte[0]);
        }
        List<Entry> e = read(bytes.toByteArray());
        assertEquals(
                List.of("dev", "dev/console", "eval", "eval/plan", "eval/big", "empty", "TRAILER!!!"),
                e.stream().map(Entry::name).toList());
        assertEquals(CpioWriter.DIRECTORY | 0755, e.get(0).mode());
        assertEquals(CpioWriter.CHAR_DEVICE | 0600, e.get(1).mode());
        assertEquals(5, e.get(1).rdevMajor());
        assertEquals(1, e.get(1).rdevMinor());
        assertEquals("1 1 60 /x\n", new String(e.get(3).data(), StandardCharsets.UTF_8));
        assertArrayEquals(big, e.get(4).data());
        assertEquals(0, e.get(5).size());
    }

    @Test
    void refusesBadNamesAndDuplicates() throws IOException {
        try (CpioWriter w = new CpioWriter(new ByteArrayOutputStream())) {
            assertThrows(IllegalArgumentException.class, () -> w.file("/abs", 0644, new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> w.file("", 0644, new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> w.file("TRAILER!!!", 0644, new byte[0]));
            w.file("a", 0644, new byte[0]);
            assertThrows(IllegalArgumentException.class, () -> w.file("a", 0644, new byte[0]));
            w.finish();
            assertThrows(IllegalStateException.class, () -> w.file("b", 0644, new byte[0]));
        }
    }

    /** newc, read: header fields at fixed offsets, name and data each padded to 4 bytes. */
    private static List<Entry> read(byte[] a) {
        List<Entry> out = new ArrayList<>();
        int p = 0;
        while (true) {
            assertEquals("070701", new String(a, p, 6, StandardCharsets.US_ASCII));
            long[] f = new long[13];
            for (int i = 0; i < 13; i++)
                f[i] = Long.parseLong(new String(a, p + 6 + 8 * i, 8, StandardCharsets.US_ASCII), 16);
            int nameSize = (int) f[11];
            String name = new String(a, p + 110, nameSize - 1, StandardCharsets.UTF_8);
            assertEquals(0, a[p + 110 + nameSize - 1]);
            int data = align(p + 110 + nameSize);
            byte[] d = Arrays.copyOfRange(a, data, data + (int) f[6]);
            out.add(new Entry(name, (int) f[1], f[6], (int) f[9], (int) f[10], d));
            p = align(data + (int) f[6]);
            if (name.equals("TRAILER!!!")) {
                assertEquals(a.length, p);
                return out;
            }
        }
    }

    private static int align(int x) {
        return (x + 3) & ~3;
    }

    private static int indexOf(byte[] a, String s, int from) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = from; i <= a.length - b.length; i++) {
            for (int j = 0; j < b.length; j++) if (a[i + j] != b[j]) continue outer;
            return i;
        }
        return -1;
    }
}
