package org.azalea.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How QEMU runs the node: hardware KVM where the host has it, TCG otherwise.
 *
 * <p>{@code /dev/kvm} is not proof of hardware virtualisation: on PVM hosts
 * (module {@code kvm_pvm}, paravirtualised KVM inside a cloud VM) guest ring-0
 * code runs about 200 times slower than under TCG and SeaBIOS alone takes ~3 s,
 * and a unikernel is all ring 0.  {@code auto} therefore picks TCG there.
 */
public enum Accelerator {
    KVM("kvm"),
    TCG("tcg,thread=multi"),
    /**
     * TCG with {@code -icount shift=0}: guest time advances one nanosecond per
     * instruction, so timings repeat exactly and host load does not show in the
     * guest (the evaluation's noise probe).  Single-threaded TCG (icount
     * requires it); a Linux guest boots under it with one CPU only.
     */
    TCG_ICOUNT("tcg,thread=single");

    private final String qemuAccel;

    Accelerator(String qemuAccel) {
        this.qemuAccel = qemuAccel;
    }

    /** The value of QEMU's {@code -accel}. */
    public String qemuAccel() {
        return qemuAccel;
    }

    /** Suffix of benchmark metrics measured under this accelerator. */
    public String metricSuffix() {
        return "_" + name().toLowerCase(Locale.ROOT);
    }

    /** What {@code --accel auto} chooses on this host, and why. */
    public record Choice(Accelerator accelerator, String reason) {}

    public static Choice detect() {
        return detect(Path.of("/dev/kvm"), Path.of("/sys/module"));
    }

    static Choice detect(Path devKvm, Path sysModule) {
        if (!Files.exists(devKvm)) return new Choice(TCG, "no /dev/kvm");
        if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
            return new Choice(TCG, devKvm + " is not accessible to this user");
        }
        if (Files.isDirectory(sysModule.resolve("kvm_pvm"))) {
            return new Choice(TCG, "/dev/kvm is PVM (kvm_pvm), which runs guest ring-0 code far slower than TCG");
        }
        if (Files.isDirectory(sysModule.resolve("kvm_intel")) || Files.isDirectory(sysModule.resolve("kvm_amd"))) {
            return new Choice(KVM, "hardware KVM");
        }
        return new Choice(TCG, "/dev/kvm has no kvm_intel or kvm_amd module behind it");
    }

    /** True for the TCG modes (QEMU's own code generator, no hardware virtualisation). */
    public boolean isTcg() {
        return this != KVM;
    }

    /** Parses {@code auto|kvm|tcg|icount}. */
    public static Choice parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "auto" -> detect();
            case "kvm" -> new Choice(KVM, "requested");
            case "tcg" -> new Choice(TCG, "requested");
            case "icount" -> new Choice(TCG_ICOUNT, "requested");
            default ->
                throw new IllegalArgumentException("unknown accelerator '" + text + "' (auto, kvm, tcg or icount)");
        };
    }
}
