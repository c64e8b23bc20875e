package org.azalea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void nestsEscapesAndSeparates() {
        String json = new JsonWriter()
                .beginObject()
                .field("a", 1)
                .field("s", "q\"\\\n\u0001é")
                .name("list")
                .beginArray()
                .value(1)
                .value(true)
                .value((String) null)
                .beginObject()
                .endObject()
                .beginArray()
                .endArray()
                .endArray()
                .field("b", false)
                .endObject()
                .toString();
        assertEquals("""
                {
                  "a": 1,
                  "s": "q\\"\\\\\\n\\u0001é",
                  "list": [
                    1,
                    true,
                    null,
                    {},
                    []
                  ],
                  "b": false
                }""", json);
    }
}
