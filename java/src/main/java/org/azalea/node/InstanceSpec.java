package org.azalea.node;

import java.nio.file.Path;
import java.util.List;
import org.azalea.proxy.Stdio;
import org.azalea.proxy.instance.NetPolicy;

/**
 * What to run and where: a program with its arguments and environment, on a
 * set of node CPUs and a partition of guest-physical memory, with a root
 * directory, stdio and network policy for its offloaded calls.
 *
 * @param id the instance's number, as the sideloader and {@code azalea ps} show it; the node kernel logs it too
 * @param cpus node CPU indices; cpus[0] leads; channel i of the offload region serves cpus[i]
 * @param memGpa partition base (4 KiB aligned)
 * @param memSize partition bytes (a multiple of 4 KiB, at least 2 MiB more than the program needs)
 */
public record InstanceSpec(
        long id,
        String name,
        ElfImage program,
        List<String> argv,
        List<String> env,
        int[] cpus,
        long memGpa,
        long memSize,
        Path root,
        Stdio stdio,
        NetPolicy net) {
    /** A spec under the default network policy. */
    public InstanceSpec(
            long id,
            String name,
            ElfImage program,
            List<String> argv,
            List<String> env,
            int[] cpus,
            long memGpa,
            long memSize,
            Path root,
            Stdio stdio) {
        this(id, name, program, argv, env, cpus, memGpa, memSize, root, stdio, NetPolicy.DEFAULT);
    }

    public InstanceSpec {
        if (net == null) net = NetPolicy.DEFAULT;
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        cpus = cpus.clone();
        if (id < 0) throw new IllegalArgumentException("instance id " + id);
        if (argv.isEmpty()) throw new IllegalArgumentException("argv needs at least the program name");
        if (cpus.length == 0) throw new IllegalArgumentException("an instance needs at least one cpu");
        if ((memGpa & 0xfff) != 0 || (memSize & 0xfff) != 0 || memSize <= 0) {
            throw new IllegalArgumentException("partition 0x" + Long.toHexString(memGpa) + "+0x"
                    + Long.toHexString(memSize) + " is not 4 KiB aligned");
        }
    }

    @Override
    public int[] cpus() {
        return cpus.clone();
    }
}
