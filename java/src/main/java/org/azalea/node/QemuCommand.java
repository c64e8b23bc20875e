package org.azalea.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU command lines of the emulated node: the paper's KNL in SNC-4 mode
 * by default, each NUMA quadrant's memory a shared file in /dev/shm (see the
 * node section of {@code include/azalea/abi.h} and
 * {@code native/kernel/README.md}).  {@link #machine} is the one source of the
 * machine's configuration: the Azalea node ({@link #build}) and the
 * evaluation's Linux guest ({@code org.azalea.eval.LinuxGuest}) both start
 * from it, so the two kernels are compared on the same emulated hardware.
 */
public final class QemuCommand {
    /** qboot gets a PVH kernel running in a third of SeaBIOS's time (measured: 313-356 ms vs ~470 ms, 72 CPUs). */
    static final Path QBOOT = Path.of("/usr/share/qemu/qboot.rom");

    private QemuCommand() {}

    /**
     * The machine: pc, the accelerator (TCG: {@code -cpu max}, a 64 MiB
     * translation cache; icount: one guest nanosecond per instruction), the
     * CPUs, one NUMA node per quadrant backed by its file, qboot, no devices,
     * no display, no reboot.  Kernel, console and boot arguments are the caller's.
     *
     * @param nodeFiles one shared file per quadrant (QEMU creates missing ones)
     */
    public static List<String> machine(String qemu, NodeShape shape, Accelerator accel, List<Path> nodeFiles) {
        if (nodeFiles.size() != shape.quadrants()) {
            throw new IllegalArgumentException(
                    nodeFiles.size() + " memory files for " + shape.quadrants() + " quadrants");
        }
        long mib = shape.memoryPerQuadrant() >> 20;
        List<String> a = new ArrayList<>(List.of(
                qemu,
                "-M",
                "pc",
                "-accel",
                accel.isTcg() ? accel.qemuAccel() + ",tb-size=64" : accel.qemuAccel(),
                "-cpu",
                accel == Accelerator.KVM ? "host" : "max",
                "-smp",
                Integer.toString(shape.cpus()),
                "-m",
                (mib * shape.quadrants()) + "M",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-monitor",
                "none",
                "-no-reboot"));
        if (accel == Accelerator.TCG_ICOUNT) a.addAll(List.of("-icount", "shift=0"));
        if (Files.isReadable(QBOOT)) a.addAll(List.of("-bios", QBOOT.toString()));
        for (int q = 0; q < shape.quadrants(); q++) {
            int first = shape.firstCpu(q);
            a.addAll(List.of(
                    "-object",
                            "memory-backend-file,id=m" + q + ",size=" + mib + "M,share=on,mem-path=" + nodeFiles.get(q),
                    "-numa",
                            "node,nodeid=" + q + ",cpus=" + first + "-" + (first + shape.cpusPerQuadrant() - 1)
                                    + ",memdev=m" + q));
        }
        return a;
    }

    /**
     * The Azalea node: the machine, its console on QEMU's stdout (the host copies it
     * into node.log under a cap, see {@code ConsoleCapture}), the node kernel.
     *
     * @param nodeFiles one shared file per quadrant, already created and sized
     * @param nonce echoed by the kernel in az_node_info.boot_nonce: tells this boot from a stale file
     */
    public static List<String> build(
            String qemu, NodeShape shape, Accelerator accel, Path kernel, List<Path> nodeFiles, long nonce) {
        List<String> a = machine(qemu, shape, accel, nodeFiles);
        a.addAll(List.of(
                "-serial",
                "stdio",
                "-kernel",
                kernel.toString(),
                "-append",
                "azalea.nonce=" + Long.toUnsignedString(nonce)));
        return a;
    }
}
