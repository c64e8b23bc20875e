package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NodeShapeTest {
    @Test
    void knlSnc4IsFourQuadrantsOf18() {
        NodeShape s = NodeShape.KNL_SNC4;
        assertEquals(18, s.cpusPerQuadrant());
        assertEquals(0, s.quadrantOf(17));
        assertEquals(1, s.quadrantOf(18));
        assertEquals(3, s.quadrantOf(71));
        assertEquals(54, s.firstCpu(3));
        assertEquals(3L * (512L << 20), s.memoryBase(3));
    }

    @Test
    void refusesUnevenOrOversizedShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NodeShape(70, 4, 512L << 20));
        assertTrue(e.getMessage().contains("70"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NodeShape(72, 4, 1L << 30));
        assertThrows(IllegalArgumentException.class, () -> new NodeShape(0, 1, 512L << 20));
        assertThrows(IllegalArgumentException.class, () -> new NodeShape(4, 4, 1000));
    }
}
