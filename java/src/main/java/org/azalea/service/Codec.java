package org.azalea.service;

import static org.azalea.service.Protocol.MAX_LIST;
import static org.azalea.service.Protocol.MAX_STRING;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.LifecycleState;
import org.azalea.sideloader.PartitionRequest;
import org.azalea.sideloader.ResourceManager.QuadrantUsage;

/**
 * The payloads of the protocol's requests and replies, both directions in one
 * place so that an encoder and its decoder cannot drift apart.
 */
final class Codec {
    private Codec() {}

    private static final int MAX_PATH = 4096;
    private static final int MAX_QUADRANTS = 256;
    private static final int MAX_CPUS = 256;
    private static final int MAX_OPCODES = 1024;
    private static final int MAX_INSTANCES = 10_000;

    // ---- launch requests (streams stay on each side: the connection carries them)

    static byte[] launch(LaunchRequest r) {
        PartitionRequest p = r.partition();
        return new WireWriter()
                .string(r.name())
                .string(r.program().toString())
                .strings(r.args())
                .strings(r.env())
                .i32(p.quadrant())
                .bool(p.wholeQuadrant())
                .i32(p.cores())
                .i64(p.memory())
                .bool(p.allowStraddle())
                .string(r.root().toString())
                .string(r.net().label())
                .bytes();
    }

    /** A launch request without streams; paths must be absolute (the service has no client's cwd). */
    static LaunchRequest launch(WireReader r) throws ProtocolException {
        String name = r.string(MAX_PATH, "name");
        Path program = absolutePath(r.string(MAX_PATH, "program"), "program");
        List<String> args = r.strings(MAX_LIST, MAX_STRING, "args");
        List<String> env = r.strings(MAX_LIST, MAX_STRING, "env");
        PartitionRequest p;
        try {
            p = new PartitionRequest(r.i32(), r.bool(), r.i32(), r.i64(), r.bool());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("partition request: " + e.getMessage());
        }
        Path root = absolutePath(r.string(MAX_PATH, "root"), "root");
        NetPolicy net = net(r);
        r.end();
        if (name.isEmpty() || name.indexOf('\0') >= 0) throw new ProtocolException("instance name '" + name + "'");
        return new LaunchRequest(name, program, args, env, p, root, null, null, null, net);
    }

    private static NetPolicy net(WireReader r) throws ProtocolException {
        String s = r.string(16, "network policy");
        try {
            return NetPolicy.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    private static Path absolutePath(String s, String what) throws ProtocolException {
        try {
            Path p = Path.of(s);
            if (!p.isAbsolute()) throw new ProtocolException(what + " path '" + s + "' is not absolute");
            return p;
        } catch (InvalidPathException e) {
            throw new ProtocolException(what + " path: " + e.getMessage());
        }
    }

    // ---- node status

    static byte[] status(NodeStatus s) {
        WireWriter w = new WireWriter()
                .i64(s.pid())
                .string(s.version())
                .i32(s.cpus())
                .i32(s.quadrants())
                .i64(s.memoryPerQuadrant())
                .string(s.accelerator())
                .string(s.acceleratorReason())
                .i64(s.bootMillis())
                .i64(s.uptimeMillis())
                .bool(s.alive())
                .i32(s.usage().size());
        for (QuadrantUsage u : s.usage()) {
            w.i32(u.quadrant())
                    .bool(u.fullWeightKernel())
                    .i32(u.coresTotal())
                    .i32(u.coresFree())
                    .i64(u.memoryTotal())
                    .i64(u.memoryFree())
                    .i64(u.largestFreeBlock());
        }
        return w.i32(s.running())
                .i32(s.kept())
                .string(s.consoleLog())
                .string(s.socket())
                .i32(s.quarantined())
                .bytes();
    }

    static NodeStatus status(WireReader r) throws ProtocolException {
        long pid = r.i64();
        String version = r.string(MAX_STRING, "version");
        int cpus = r.i32(), quadrants = r.i32();
        long memPerQuadrant = r.i64();
        String accel = r.string(MAX_STRING, "accelerator"), reason = r.string(MAX_STRING, "reason");
        long boot = r.i64(), uptime = r.i64();
        boolean alive = r.bool();
        int n = r.count(MAX_QUADRANTS, 37, "quadrants");
        List<QuadrantUsage> usage = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            usage.add(new QuadrantUsage(r.i32(), r.bool(), r.i32(), r.i32(), r.i64(), r.i64(), r.i64()));
        }
        NodeStatus s = new NodeStatus(
                pid,
                version,
                cpus,
                quadrants,
                memPerQuadrant,
                accel,
                reason,
                boot,
                uptime,
                alive,
                usage,
                r.i32(),
                r.i32(),
                r.string(MAX_PATH, "console log"),
                r.string(MAX_PATH, "socket"),
                r.i32());
        r.end();
        return s;
    }

    // ---- instances

    static void instance(WireWriter w, InstanceView v) {
        w.i64(v.id())
                .string(v.name())
                .string(v.program())
                .strings(v.args())
                .i32(v.quadrant())
                .ints(v.cpus())
                .i64(v.memBase())
                .i64(v.memSize())
                .string(v.state().name())
                .string(v.ending() == null ? "" : v.ending().name())
                .i32(v.exitStatus())
                .string(v.outcome())
                .i64(v.startedAtMillis())
                .i64(v.uptimeMillis())
                .i64(v.reclaimMicros())
                .i64(v.offloads())
                .i64(v.offloadErrors())
                .bool(v.hung())
                .string(v.net().label())
                .i32(v.opcodes().size());
        for (OpcodeView o : v.opcodes()) {
            w.string(o.name())
                    .i64(o.count())
                    .i64(o.errors())
                    .i64(o.bytes())
                    .i64(o.p50Nanos())
                    .i64(o.p99Nanos())
                    .i64(o.maxNanos())
                    .i64(o.meanNanos());
        }
    }

    static InstanceView instance(WireReader r) throws ProtocolException {
        long id = r.i64();
        String name = r.string(MAX_PATH, "name"), program = r.string(MAX_PATH, "program");
        List<String> args = r.strings(MAX_LIST, MAX_STRING, "args");
        int quadrant = r.i32();
        int[] cpus = r.ints(MAX_CPUS, "cpus");
        long base = r.i64(), size = r.i64();
        LifecycleState state = state(r.string(32, "state"));
        String ending = r.string(32, "ending");
        int exit = r.i32();
        String outcome = r.string(MAX_STRING, "outcome");
        long started = r.i64(), uptime = r.i64(), reclaim = r.i64(), offloads = r.i64(), errors = r.i64();
        boolean hung = r.bool();
        NetPolicy net = net(r);
        int n = r.count(MAX_OPCODES, 60, "opcodes");
        List<OpcodeView> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ops.add(new OpcodeView(
                    r.string(64, "opcode"), r.i64(), r.i64(), r.i64(), r.i64(), r.i64(), r.i64(), r.i64()));
        }
        return new InstanceView(
                id,
                name,
                program,
                args,
                quadrant,
                cpus,
                base,
                size,
                state,
                ending.isEmpty() ? null : state(ending),
                exit,
                outcome,
                started,
                uptime,
                reclaim,
                offloads,
                errors,
                ops,
                hung,
                net);
    }

    private static LifecycleState state(String s) throws ProtocolException {
        try {
            return LifecycleState.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("unknown instance state '" + s + "'");
        }
    }

    static byte[] instance(InstanceView v) {
        WireWriter w = new WireWriter();
        instance(w, v);
        return w.bytes();
    }

    static InstanceView instanceOnly(WireReader r) throws ProtocolException {
        InstanceView v = instance(r);
        r.end();
        return v;
    }

    static byte[] instances(List<InstanceView> list) {
        WireWriter w = new WireWriter().i32(list.size());
        for (InstanceView v : list) instance(w, v);
        return w.bytes();
    }

    static List<InstanceView> instances(WireReader r) throws ProtocolException {
        int n = r.count(MAX_INSTANCES, 8, "instances");
        List<InstanceView> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(instance(r));
        r.end();
        return out;
    }

    static byte[] id(long id) {
        return new WireWriter().i64(id).bytes();
    }

    static long id(WireReader r) throws ProtocolException {
        long id = r.i64();
        r.end();
        return id;
    }
}
