package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizeParserTest {
    @Test
    void parsesUnits() {
        assertEquals(512L << 20, SizeParser.parse("512M"));
        assertEquals(2L << 30, SizeParser.parse("2g"));
        assertEquals(64L << 10, SizeParser.parse("64KiB"));
        assertEquals(4096, SizeParser.parse("4096"));
        assertEquals("512M", SizeParser.format(512L << 20));
    }

    @Test
    void refusesNonsenseNamingTheText() {
        var e = assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("lots"));
        assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("-5M"));
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("99999999999T"));
    }
}
