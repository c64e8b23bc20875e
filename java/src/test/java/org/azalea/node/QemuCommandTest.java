package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one source of the machine's options: the node's command line is the machine's plus its kernel. */
class QemuCommandTest {
    private static final List<Path> FILES =
            List.of(Path.of("/dev/shm/q0"), Path.of("/dev/shm/q1"), Path.of("/dev/shm/q2"), Path.of("/dev/shm/q3"));

    @Test
    void nodeIsTheMachinePlusItsKernel() {
        List<String> machine = QemuCommand.machine("qemu", NodeShape.KNL_SNC4, Accelerator.TCG, FILES);
        List<String> node = QemuCommand.build("qemu", NodeShape.KNL_SNC4, Accelerator.TCG, Path.of("k"), FILES, 5);
        assertEquals(machine, node.subList(0, machine.size()));
        assertEquals(
                List.of("-serial", "stdio", "-kernel", "k", "-append", "azalea.nonce=5"),
                node.subList(machine.size(), node.size()));
    }

    @Test
    void machineIsThePapersNode() {
        List<String> m = QemuCommand.machine("qemu", NodeShape.KNL_SNC4, Accelerator.TCG, FILES);
        assertEquals("72", after(m, "-smp"));
        assertEquals("2048M", after(m, "-m"));
        assertEquals("tcg,thread=multi,tb-size=64", after(m, "-accel"));
        assertEquals("max", after(m, "-cpu"));
        assertEquals(4, Collections.frequency(m, "-numa"));
        assertTrue(m.contains("node,nodeid=3,cpus=54-71,memdev=m3"), m.toString());
        assertTrue(m.contains("memory-backend-file,id=m1,size=512M,share=on,mem-path=/dev/shm/q1"), m.toString());
        assertFalse(m.contains("-icount"));
    }

    @Test
    void icountIsSingleThreadedTcgWithExactTime() {
        NodeShape one = NodeShape.of(1, 1, 256L << 20);
        List<String> m = QemuCommand.machine("qemu", one, Accelerator.TCG_ICOUNT, List.of(Path.of("/dev/shm/x")));
        assertEquals("shift=0", after(m, "-icount"));
        assertEquals("tcg,thread=single,tb-size=64", after(m, "-accel"));
        assertEquals("max", after(m, "-cpu"));
    }

    @Test
    void refusesAFileCountThatIsNotTheQuadrants() {
        assertThrows(
                IllegalArgumentException.class,
                () -> QemuCommand.machine("qemu", NodeShape.KNL_SNC4, Accelerator.TCG, FILES.subList(0, 2)));
    }

    private static String after(List<String> args, String option) {
        int i = args.indexOf(option);
        assertTrue(i >= 0 && i + 1 < args.size(), option + " missing in " + args);
        return args.get(i + 1);
    }
}
