package org.azalea.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.azalea.node.InstanceOutcome;
import org.azalea.proxy.LatencyHistogram;
import org.azalea.proxy.Opcodes;
import org.azalea.proxy.ProxyStats;
import org.azalea.sideloader.Allocation;
import org.azalea.sideloader.LifecycleState;
import org.azalea.sideloader.ManagedInstance;

/** Snapshots of the sideloader's live objects as the API's plain records. */
final class Views {
    private Views() {}

    static InstanceView of(ManagedInstance mi) {
        List<ManagedInstance.Transition> ts = mi.transitions();
        LifecycleState state = ts.getLast().state();
        LifecycleState ending = null;
        for (ManagedInstance.Transition t : ts) {
            if (t.state().ended() && !t.state().settled()) ending = t.state();
        }
        InstanceOutcome o = mi.outcome();
        if (ending == null && o != null)
            ending = LifecycleState.endingOf(o); // its outcome is set a moment before its state
        Allocation a = mi.allocation();
        ProxyStats stats = mi.stats();
        List<OpcodeView> ops = stats == null ? List.of() : opcodes(stats);
        Instant started = ts.getFirst().at();
        return new InstanceView(
                mi.id(),
                mi.name(),
                mi.request().program().toString(),
                mi.request().args(),
                a.quadrant(),
                a.cpus(),
                a.memBase(),
                a.memSize(),
                state,
                ending,
                o == null ? -1 : o.processStatus(),
                o == null ? "" : o.describe(),
                started.toEpochMilli(),
                mi.uptime().toMillis(),
                mi.reclaimTime() == null ? -1 : mi.reclaimTime().toNanos() / 1000,
                stats == null ? 0 : stats.total(),
                stats == null ? 0 : stats.totalErrors(),
                ops,
                mi.isHung(),
                mi.request().net());
    }

    static List<OpcodeView> opcodes(ProxyStats s) {
        List<OpcodeView> out = new ArrayList<>();
        for (int op = 0; op <= Opcodes.LAST; op++) {
            long n = s.count(op);
            if (n == 0) continue;
            LatencyHistogram h = s.latency(op);
            out.add(new OpcodeView(
                    op < Opcodes.LAST ? Opcodes.name(op) : "(undefined)",
                    n,
                    s.errors(op),
                    s.bytes(op),
                    h.p50(),
                    h.p99(),
                    h.max(),
                    Math.round(h.mean())));
        }
        return out;
    }
}
