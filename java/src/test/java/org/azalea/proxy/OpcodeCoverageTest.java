package org.azalea.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's handler table against abi.h's opcode list (through the generated
 * bindings): every opcode the ABI defines is served, so a new AZ_OP_* without
 * a handler fails here rather than answering ENOSYS in production.
 */
class OpcodeCoverageTest {
    @TempDir
    Path root;

    @Test
    void everyOpcodeOfTheAbiHasAHandler() throws Exception {
        try (Guest g = new Guest(root)) {
            List<String> unserved = new ArrayList<>();
            for (int op = 0; op < Opcodes.LAST; op++) {
                if (Opcodes.isKnown(op) && !g.sys.serves(op)) unserved.add(Opcodes.name(op));
            }
            assertEquals(List.of(), unserved, "opcodes of abi.h with no handler in HostSyscalls");
            assertEquals(false, g.sys.serves(Opcodes.LAST), "nothing past AZ_OP__LAST");
        }
    }
}
