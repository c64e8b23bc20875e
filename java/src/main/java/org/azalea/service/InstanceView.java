package org.azalea.service;

import java.util.Arrays;
import java.util.List;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.sideloader.LifecycleState;

/**
 * A snapshot of one instance, as `azalea ps` and `azalea stats` show it and
 * as the API reports it, whether the node runs in this process or behind a
 * service's socket.
 *
 * @param state where it is in its life now (RECLAIMED once its resources are free again)
 * @param ending how it ended: EXITED, CRASHED or KILLED; null while it runs
 * @param exitStatus the status a shell would see (128 + signal style for crashes and kills); -1 while it runs
 * @param outcome one line on how it ended; "" while it runs
 * @param uptimeMillis since launch, or its whole life once ended
 * @param reclaimMicros from its end to its resources being free again; -1 before
 * @param offloads system calls its proxy served; {@code opcodes} splits them by opcode
 * @param hung a core of it has not answered the node's heartbeat pings for seconds (interrupts off, or stuck)
 * @param net the network policy its proxy enforces
 */
public record InstanceView(
        long id,
        String name,
        String program,
        List<String> args,
        int quadrant,
        int[] cpus,
        long memBase,
        long memSize,
        LifecycleState state,
        LifecycleState ending,
        int exitStatus,
        String outcome,
        long startedAtMillis,
        long uptimeMillis,
        long reclaimMicros,
        long offloads,
        long offloadErrors,
        List<OpcodeView> opcodes,
        boolean hung,
        NetPolicy net) {
    public InstanceView {
        java.util.Objects.requireNonNull(net, "net");
        args = List.copyOf(args);
        cpus = cpus.clone();
        opcodes = List.copyOf(opcodes);
    }

    @Override
    public int[] cpus() {
        return cpus.clone();
    }

    public boolean ended() {
        return ending != null;
    }

    /** "RUNNING", "EXITED 0", "KILLED", "CRASHED"... as a column shows it. */
    public String stateText() {
        if (ending == null) return hung ? state.name() + " HUNG" : state.name();
        String s = ending == LifecycleState.EXITED ? "EXITED " + exitStatus : ending.name();
        if (state == LifecycleState.QUARANTINED) return s + " QUARANTINED";
        return state == LifecycleState.RECLAIMED ? s : s + " (reclaiming)";
    }

    /** The cpus as ranges: "18-35", "19,21". */
    public String cpuText() {
        StringBuilder b = new StringBuilder();
        int[] c = cpus.clone();
        Arrays.sort(c);
        for (int i = 0; i < c.length; ) {
            int j = i;
            while (j + 1 < c.length && c[j + 1] == c[j] + 1) j++;
            if (b.length() > 0) b.append(',');
            b.append(c[i]);
            if (j > i) b.append('-').append(c[j]);
            i = j + 1;
        }
        return b.toString();
    }
}
