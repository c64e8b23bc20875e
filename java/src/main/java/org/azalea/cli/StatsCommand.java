package org.azalea.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.azalea.service.InstanceView;
import org.azalea.service.NodeStatus;
import org.azalea.service.OpcodeView;
import org.azalea.service.RemoteSession;
import org.azalea.sideloader.ResourceManager.QuadrantUsage;

/** {@code azalea stats [--json]}: offload statistics and core occupancy. */
final class StatsCommand implements Command {
    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String summary() {
        return "offload counts and latencies per instance and opcode; occupancy per quadrant";
    }

    @Override
    public String help() {
        return """
                usage: azalea stats [--json] [ID...]

                For each instance the running node keeps (or the IDs given): its partition,
                state, offloaded calls served and failed, and per opcode the count, errors
                and the host-side service latency (p50, p99, max); then each quadrant's
                core and memory occupancy.

                  --json   one JSON object for scripts: {"node": {...}, "quadrants": [...],
                           "instances": [{..., "opcodes": [{"name", "count", "errors",
                           "p50_ns", "p99_ns", "max_ns", "mean_ns"}]}]}

                Exit status: 0; 1 when an ID does not exist; 3 when no node is running.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        boolean json = false;
        Options o = new Options(args);
        for (String opt; (opt = o.nextOption()) != null; ) {
            switch (opt) {
                case "--json" -> json = true;
                default -> throw new UsageException("unknown option '" + opt + "' (see azalea stats --help)");
            }
        }
        List<Long> ids = new ArrayList<>();
        for (String a : o.rest()) ids.add(Nodes.id(a));
        RemoteSession node = Nodes.require();
        NodeStatus status = node.status();
        List<InstanceView> list;
        if (ids.isEmpty()) {
            list = node.instances();
        } else {
            list = new ArrayList<>();
            for (long id : ids) list.add(node.instance(id));
        }
        if (json) {
            out.println(json(status, list));
            return 0;
        }
        for (InstanceView v : list) out.print(Render.offloads(v));
        if (list.isEmpty()) out.println("no instances yet");
        out.println();
        out.print(Render.quadrants(status.usage()));
        return 0;
    }

    static String json(NodeStatus s, List<InstanceView> list) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("node")
                .beginObject()
                .field("pid", s.pid())
                .field("version", s.version())
                .field("cpus", s.cpus())
                .field("quadrants", s.quadrants())
                .field("memory_per_quadrant", s.memoryPerQuadrant())
                .field("accelerator", s.accelerator())
                .field("boot_ms", s.bootMillis())
                .field("uptime_ms", s.uptimeMillis())
                .field("alive", s.alive())
                .field("running", s.running())
                .field("quarantined", s.quarantined())
                .endObject();
        w.name("quadrants").beginArray();
        for (QuadrantUsage u : s.usage()) {
            w.beginObject()
                    .field("quadrant", u.quadrant())
                    .field("full_weight_kernel", u.fullWeightKernel())
                    .field("cores_total", u.coresTotal())
                    .field("cores_free", u.coresFree())
                    .field("memory_total", u.memoryTotal())
                    .field("memory_free", u.memoryFree())
                    .field("largest_free_block", u.largestFreeBlock())
                    .endObject();
        }
        w.endArray();
        w.name("instances").beginArray();
        for (InstanceView v : list) instance(w, v);
        return w.endArray().endObject().toString();
    }

    static void instance(JsonWriter w, InstanceView v) {
        w.beginObject().field("id", v.id()).field("name", v.name()).field("program", v.program());
        w.name("args").beginArray();
        for (String a : v.args()) w.value(a);
        w.endArray().field("quadrant", v.quadrant());
        w.name("cpus").beginArray();
        for (int c : v.cpus()) w.value(c);
        w.endArray()
                .field("mem_base", v.memBase())
                .field("mem_size", v.memSize())
                .field("net", v.net().label())
                .field("state", v.state().name())
                .field("ending", v.ending() == null ? null : v.ending().name())
                .field("exit_status", v.exitStatus())
                .field("outcome", v.outcome())
                .field("started_at_ms", v.startedAtMillis())
                .field("uptime_ms", v.uptimeMillis())
                .field("reclaim_us", v.reclaimMicros())
                .field("offloads", v.offloads())
                .field("offload_errors", v.offloadErrors());
        w.name("opcodes").beginArray();
        for (OpcodeView op : v.opcodes()) {
            w.beginObject()
                    .field("name", op.name())
                    .field("count", op.count())
                    .field("errors", op.errors())
                    .field("bytes", op.bytes())
                    .field("p50_ns", op.p50Nanos())
                    .field("p99_ns", op.p99Nanos())
                    .field("max_ns", op.maxNanos())
                    .field("mean_ns", op.meanNanos())
                    .endObject();
        }
        w.endArray().endObject();
    }
}
