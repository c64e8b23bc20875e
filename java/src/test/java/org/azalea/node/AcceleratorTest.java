package org.azalea.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorTest {
    @TempDir
    Path dir;

    private Path fakeSys(String... modules) throws Exception {
        Path sys = Files.createDirectories(dir.resolve("module"));
        for (String m : modules) Files.createDirectories(sys.resolve(m));
        return sys;
    }

    @Test
    void pvmHostGetsTcg() throws Exception {
        Path kvm = Files.createFile(dir.resolve("kvm"));
        var c = Accelerator.detect(kvm, fakeSys("kvm", "kvm_pvm"));
        assertEquals(Accelerator.TCG, c.accelerator());
        assertTrue(c.reason().contains("PVM"), c.reason());
    }

    @Test
    void hardwareKvmIsUsed() throws Exception {
        Path kvm = Files.createFile(dir.resolve("kvm"));
        assertEquals(
                Accelerator.KVM,
                Accelerator.detect(kvm, fakeSys("kvm", "kvm_intel")).accelerator());
    }

    @Test
    void noDeviceMeansTcg() throws Exception {
        assertEquals(
                Accelerator.TCG,
                Accelerator.detect(dir.resolve("absent"), fakeSys()).accelerator());
    }

    @Test
    void thisMachineChoosesSomethingAndExplains() {
        var c = Accelerator.detect();
        assertTrue(!c.reason().isEmpty());
        if (Files.isDirectory(Path.of("/sys/module/kvm_pvm"))) assertEquals(Accelerator.TCG, c.accelerator());
    }

    @Test
    void parsesUserChoice() {
        assertEquals(Accelerator.TCG, Accelerator.parse("tcg").accelerator());
        assertEquals("tcg,thread=multi", Accelerator.TCG.qemuAccel());
        assertEquals(Accelerator.TCG_ICOUNT, Accelerator.parse("icount").accelerator());
        assertEquals("tcg,thread=single", Accelerator.TCG_ICOUNT.qemuAccel());
        assertThrows(IllegalArgumentException.class, () -> Accelerator.parse("hvf"));
    }
}
