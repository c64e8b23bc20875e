package org.azalea.node;

import static org.azalea.abi.abi_h.AZ_ABI_VERSION;
import static org.azalea.abi.abi_h.AZ_BOOT_MAGIC;
import static org.azalea.abi.abi_h.AZ_BOOT_MAX_CPUS;
import static org.azalea.abi.abi_h.AZ_BOOT_SERIAL_STDIO;
import static org.azalea.abi.abi_h.AZ_CORE_CMD_START;
import static org.azalea.abi.abi_h.AZ_CORE_CMD_STOP;
import static org.azalea.abi.abi_h.AZ_CORE_PARKED;
import static org.azalea.abi.abi_h.AZ_FAULT_IN_KERNEL;
import static org.azalea.abi.abi_h.AZ_INSTANCE_RUNNING;
import static org.azalea.host.Errno.ESRCH;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.azalea.Version;
import org.azalea.abi.az_boot;
import org.azalea.abi.az_core_mailbox;
import org.azalea.host.ErrnoNames;
import org.azalea.memory.Partition;
import org.azalea.memory.PartitionView;
import org.azalea.proxy.HostSyscalls;
import org.azalea.proxy.OffloadProxy;
import org.azalea.proxy.instance.InstanceIdentity;
import org.azalea.ring.Doorbell;
import org.azalea.ring.Region;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unikernel instance on a node: its partition laid out (offload region,
 * boot descriptor, strings, the ELF file), its offload proxy serving, its
 * cores started through their mailboxes.  The node kernel loads and runs the
 * program; this side watches the descriptor until the instance ends.
 *
 * <pre>
 *   memGpa: | offload region | az_boot | argv, envp strings | ELF file | ... the program's memory
 * </pre>
 */
public final class Instance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Instance.class);
    /** Entries per ring: a core has at most one request in flight per thread. */
    static final int RING_ENTRIES = 64;
    /**
     * A sleeping proxy re-polls this often even without a kick: a safety net
     * only (guests kick through an I/O port), so it may be long.
     */
    static final int GUEST_POLL_INTERVAL_US = 100_000;

    private static final long PAGE = 4096;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    /** How long each step of confirming the cores parked waits (they normally are at once). */
    private static final Duration PARK_WAIT = Duration.ofSeconds(1);
    /**
     * How long the end waits for a host call still holding the proxy's view of
     * the partition (after the proxy's own bounded wait for its workers).
     */
    private static final Duration VIEW_CLOSE_WAIT = Duration.ofSeconds(1);

    private final Node node;
    private final InstanceSpec spec;
    private final PartitionView view;
    private final OffloadProxy proxy;
    private final MemorySegment boot;
    private final long launchNanos;
    private final int kickValue;
    /** Doorbell kicks the guest sent through the I/O port (each one a VM exit). */
    private final AtomicLong guestKicks;
    /** {@link #shortSpins()} as the instance ended; -1 while it runs. */
    private volatile long shortSpinsAtEnd = -1;

    private volatile InstanceOutcome outcome;
    private volatile long endSeenNanos;
    private volatile boolean coresParked;
    private volatile boolean viewClosed;

    private Instance(
            Node node,
            InstanceSpec spec,
            PartitionView view,
            OffloadProxy proxy,
            MemorySegment boot,
            long launchNanos,
            int kickValue,
            AtomicLong guestKicks) {
        this.kickValue = kickValue;
        this.guestKicks = guestKicks;
        this.node = node;
        this.spec = spec;
        this.view = view;
        this.proxy = proxy;
        this.boot = boot;
        this.launchNanos = launchNanos;
    }

    /** Lays out the partition, starts the proxy and the cores; returns once every core has taken the command. */
    public static Instance launch(Node node, InstanceSpec spec) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        int[] cpus = spec.cpus();
        if (cpus.length > AZ_BOOT_MAX_CPUS())
            throw new IllegalArgumentException(cpus.length + " cpus, at most " + AZ_BOOT_MAX_CPUS());
        for (int c : cpus) {
            MemorySegment mb = node.mailbox(c);
            if (node.info().cpus().get(c).isMonitor())
                throw new IllegalArgumentException("cpu " + c + " is the node's monitor");
            int state = (int) NodeHandles.MAILBOX_STATE.getAcquire(mb, 0L);
            int ack = (int) NodeHandles.MAILBOX_ACK_SEQ.getAcquire(mb, 0L);
            int cmd = (int) NodeHandles.MAILBOX_CMD_SEQ.getAcquire(mb, 0L);
            if (state != AZ_CORE_PARKED() || ack != cmd) {
                throw new IllegalStateException("cpu " + c + " is not parked and idle (mailbox state " + state
                        + ", cmd_seq " + cmd + ", ack_seq " + ack + ")");
            }
        }
        // The host's own reads (az_boot, after the end too) go through the node's mapping; the
        // proxy gets a view of its own that the end closes, so a late host call cannot write here.
        MemorySegment nodeMem =
                node.memory().partition(spec.memGpa(), spec.memSize()).memory();
        PartitionView view = node.memory().view(spec.memGpa(), spec.memSize());
        Partition p = view.partition();
        long regionSize = align(Region.sizeFor(cpus.length, RING_ENTRIES), PAGE);
        long bootOffset = regionSize;
        long stringsOffset = bootOffset + align(az_boot.sizeof(), PAGE);
        byte[] strings = strings(spec);
        long elfOffset = align(stringsOffset + strings.length, PAGE);
        byte[] elf = spec.program().bytes();
        long used = align(elfOffset + elf.length, PAGE);
        if (used + (2L << 20) > spec.memSize()) {
            view.close();
            throw new IllegalArgumentException("partition of " + SizeParser.format(spec.memSize())
                    + " is too small for " + spec.program().path() + " (" + elf.length + " bytes) and its memory");
        }
        MemorySegment mem = p.memory();
        mem.asSlice(0, used).fill((byte) 0);
        // The region must exist before its doorbell, and the kick value before the region: claim
        // the value with a doorbell bound late (the kick thread never rings a half-made region).
        var bell = new java.util.concurrent.atomic.AtomicReference<Doorbell>();
        AtomicLong guestKicks = new AtomicLong();
        int kickValue = node.kicks().claim(() -> {
            guestKicks.incrementAndGet();
            Doorbell d = bell.get();
            try {
                if (d != null) d.ring();
            } catch (IllegalStateException viewClosed) {
                // A kick that raced the end: the proxy it would wake is gone.
            }
        });
        if (kickValue < 0) {
            view.close();
            throw new IllegalStateException("no kick value left: " + GuestKicks.MAX_REGIONS + " instances run");
        }
        OffloadProxy proxy = null;
        try {
            Region region = Region.format(
                    mem.asSlice(0, regionSize),
                    spec.memGpa(),
                    cpus.length,
                    RING_ENTRIES,
                    GUEST_POLL_INTERVAL_US,
                    new Region.PortKick(GuestKicks.PORT, kickValue));
            bell.set(new Doorbell(region));
            MemorySegment.copy(strings, 0, mem, ValueLayout.JAVA_BYTE, stringsOffset, strings.length);
            MemorySegment.copy(elf, 0, mem, ValueLayout.JAVA_BYTE, elfOffset, elf.length);

            MemorySegment b = nodeMem.asSlice(bootOffset, az_boot.sizeof());
            az_boot.magic(b, AZ_BOOT_MAGIC());
            az_boot.abi_version(b, AZ_ABI_VERSION());
            az_boot.flags(b, spec.stdio().isNodeConsole() ? AZ_BOOT_SERIAL_STDIO() : 0);
            az_boot.instance_id(b, spec.id());
            az_boot.mem_gpa(b, spec.memGpa());
            az_boot.mem_size(b, spec.memSize());
            az_boot.region_gpa(b, spec.memGpa());
            az_boot.region_size(b, regionSize);
            az_boot.elf_gpa(b, spec.memGpa() + elfOffset);
            az_boot.elf_size(b, elf.length);
            az_boot.strings_gpa(b, spec.memGpa() + stringsOffset);
            az_boot.strings_size(b, strings.length);
            az_boot.spin_cores(b, node.config().spinCores());
            az_boot.argc(b, spec.argv().size());
            az_boot.envc(b, spec.env().size());
            az_boot.stack_size(b, 0);
            az_boot.realtime_ns(b, System.currentTimeMillis() * 1_000_000L);
            az_boot.ncpus(b, cpus.length);
            for (int i = 0; i < cpus.length; i++) az_boot.cpus(b, i, cpus[i]);

            HostSyscalls syscalls = new HostSyscalls(
                    p, spec.root(), spec.stdio(), new InstanceIdentity(spec.name(), Version.STRING), spec.net());
            proxy = new OffloadProxy(region, syscalls, OffloadProxy.Options.defaults(spec.name()));
            proxy.start();
            Instance inst = new Instance(node, spec, view, proxy, b, t0, kickValue, guestKicks);
            inst.start(spec.memGpa() + bootOffset, cpus);
            node.instanceLaunched();
            return inst;
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (proxy != null) proxy.close();
            node.kicks().unregister(kickValue); // nothing stays held by a failed launch
            view.close();
            throw e;
        }
    }

    /**
     * Starts the cores: the members first, the lead only once every member has
     * acknowledged.  A member copies the descriptor when it takes START and then
     * waits for the lead, so none can read it late: under load a vCPU can be
     * descheduled for longer than the lead waits for its members, and a late
     * member once read a descriptor the lead's instance had already ended and
     * the host had scrubbed.  If a member refuses, the others are released.
     */
    private void start(long bootGpa, int[] cpus) throws IOException, InterruptedException {
        int[] members = java.util.Arrays.copyOfRange(cpus, 1, cpus.length);
        if (members.length > 0) {
            try {
                command(AZ_CORE_CMD_START(), bootGpa, members);
            } catch (IOException | RuntimeException e) {
                releaseMembers(members);
                throw e;
            }
        }
        try {
            command(AZ_CORE_CMD_START(), bootGpa, new int[] {cpus[0]});
        } catch (IOException | RuntimeException e) {
            releaseMembers(members);
            throw e;
        }
    }

    /**
     * STOP to a member releases that core alone (whatever it answers, it must
     * not stay waiting); a member that refused START is parked already and
     * answers ESRCH.
     */
    private void releaseMembers(int[] members) throws InterruptedException {
        try {
            int[] results = send(AZ_CORE_CMD_STOP(), 0, members, node.consoleSize());
            for (int i = 0; i < members.length; i++) {
                if (results[i] != 0 && results[i] != -ESRCH) {
                    log.warn("{}: cpu {} answered STOP with errno {}", spec.name(), members[i], -results[i]);
                }
            }
        } catch (IOException e) {
            log.warn("{}: members not released: {}", spec.name(), e.getMessage());
        }
    }

    /** Sends {@code cmd} to each core and waits for every acknowledgement; a refusal is an exception. */
    private void command(int cmd, long arg, int[] cpus) throws IOException, InterruptedException {
        long consoleMark = node.consoleSize();
        int[] results = send(cmd, arg, cpus, consoleMark);
        for (int i = 0; i < cpus.length; i++) {
            if (results[i] != 0) {
                throw refusal(
                        cpus[i], "refused " + commandName(cmd) + " (" + ErrnoNames.of(-results[i]) + ")", consoleMark);
            }
        }
    }

    /** Posts {@code cmd} to each core's mailbox; returns each core's result once all have acknowledged. */
    private int[] send(int cmd, long arg, int[] cpus, long consoleMark) throws IOException, InterruptedException {
        int[] seqs = new int[cpus.length];
        for (int i = 0; i < cpus.length; i++) {
            MemorySegment mb = node.mailbox(cpus[i]);
            az_core_mailbox.arg(mb, arg);
            az_core_mailbox.cmd(mb, cmd);
            seqs[i] = (int) NodeHandles.MAILBOX_CMD_SEQ.getAcquire(mb, 0L) + 1;
            NodeHandles.MAILBOX_CMD_SEQ.setRelease(mb, 0L, seqs[i]);
        }
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        int[] results = new int[cpus.length];
        for (int i = 0; i < cpus.length; i++) {
            MemorySegment mb = node.mailbox(cpus[i]);
            while ((int) NodeHandles.MAILBOX_ACK_SEQ.getAcquire(mb, 0L) != seqs[i]) {
                if (!node.isAlive()) throw new IOException("the node went down");
                if (System.nanoTime() > deadline) {
                    throw refusal(
                            cpus[i],
                            "did not take " + commandName(cmd) + " in " + ACK_TIMEOUT.toSeconds() + " s",
                            consoleMark);
                }
                Thread.sleep(0, 100_000);
            }
            results[i] = az_core_mailbox.result(mb);
        }
        return results;
    }

    /**
     * A core's refusal, with the kernel's own reason (the line that core
     * printed on the console since {@code consoleMark}); the node's logs are
     * kept for it.
     */
    private IOException refusal(int cpu, String what, long consoleMark) throws InterruptedException {
        node.keepLogsFor(spec.name());
        // The kernel prints before it acknowledges, but QEMU writes the serial log on its own time.
        String reason = node.consoleLineOf(cpu, consoleMark);
        for (int tries = 0; reason.isEmpty() && tries < 20; tries++) {
            Thread.sleep(10);
            reason = node.consoleLineOf(cpu, consoleMark);
        }
        return new IOException("cpu " + cpu + " " + what + (reason.isEmpty() ? "" : ": " + reason)
                + " (node console kept: " + node.consoleLog() + ")");
    }

    private static String commandName(int cmd) {
        if (cmd == AZ_CORE_CMD_START()) return "START";
        if (cmd == AZ_CORE_CMD_STOP()) return "STOP";
        return "command " + cmd;
    }

    /**
     * Waits until the program has started (or already ended); returns the time
     * from the launch request until this side saw it running, or null on timeout.
     */
    public Duration awaitStarted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int state = (int) NodeHandles.BOOT_STATE.getAcquire(boot, 0L);
            if (state >= AZ_INSTANCE_RUNNING()) return Duration.ofNanos(System.nanoTime() - launchNanos);
            if (!node.isAlive() || System.nanoTime() > deadline) return null;
            Thread.onSpinWait();
        }
    }

    /** Waits until the instance ends (or the timeout passes: null). */
    public InstanceOutcome waitFor(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 50_000;
        while (outcome == null) {
            int state = (int) NodeHandles.BOOT_STATE.getAcquire(boot, 0L);
            InstanceOutcome.State s = InstanceOutcome.fromAbi(state);
            if (s != null) {
                finish(read(s));
            } else if (!node.isAlive()) {
                finish(new InstanceOutcome(InstanceOutcome.State.NODE_DOWN, 0, 0, 0, 0, 0, 0, 0, false, ""));
            } else {
                if (System.nanoTime() > deadline) return null;
                TimeUnit.NANOSECONDS.sleep(pause);
                pause = Math.min(pause * 2, 10_000_000); // an ended instance is seen within 10 ms
            }
        }
        return outcome;
    }

    private synchronized void finish(InstanceOutcome o) throws InterruptedException {
        if (outcome != null) return;
        endSeenNanos = System.nanoTime();
        node.instanceEnded();
        if (o.state() != InstanceOutcome.State.EXITED && o.state() != InstanceOutcome.State.KILLED)
            node.keepLogsFor(spec.name());
        coresParked = confirmCoresParked();
        shortSpinsAtEnd = az_boot.short_spins(boot); // before the scrub takes the descriptor
        boolean workersLeft = proxy.stop();
        node.kicks().unregister(kickValue);
        log.info("{}: {} doorbell kicks from the guest", spec.name(), guestKicks.get());
        viewClosed = view.close(VIEW_CLOSE_WAIT);
        if (!viewClosed) {
            node.keepLogsFor(spec.name());
            log.error(
                    "{}: a proxy worker is still inside a host call on the partition's memory ({} after the"
                            + " stop): the partition must not be reused",
                    spec.name(),
                    workersLeft ? "none running, yet held" : "not woken");
        }
        outcome = o;
        log.info("{}: {}", spec.name(), o.describe());
    }

    private InstanceOutcome read(InstanceOutcome.State s) {
        return new InstanceOutcome(
                s,
                az_boot.exit_status(boot),
                az_boot.error(boot),
                az_boot.fault_vector(boot),
                az_boot.fault_cpu(boot),
                az_boot.fault_address(boot),
                az_boot.fault_rip(boot),
                az_boot.fault_rsp(boot),
                (az_boot.fault_flags(boot) & AZ_FAULT_IN_KERNEL()) != 0,
                Node.cString(az_boot.message(boot)));
    }

    /**
     * Whether every core of the instance is confirmed parked, which alone
     * makes its partition safe to scrub and reuse.  The kernel reports the end
     * only once its cores have left, so they are normally parked already;
     * a core that is not gets STOP (through its lead), then RESET through the
     * node's monitor (an NMI, then INIT-SIPI), each wait bounded.  False: a
     * core still may write the partition, which must be quarantined.
     */
    private boolean confirmCoresParked() throws InterruptedException {
        if (awaitParked(PARK_WAIT)) return true;
        int lead = spec.cpus()[0];
        if (!parked(lead)) {
            log.warn("{}: cores not parked after the end: STOP to cpu {}", spec.name(), lead);
            postStop(lead);
            if (awaitParked(PARK_WAIT)) return true;
        }
        for (int c : spec.cpus()) {
            if (parked(c) || !node.isAlive()) continue;
            int r = node.resetCore(c);
            log.warn(
                    "{}: cpu {} not parked: RESET through the monitor {}",
                    spec.name(),
                    c,
                    r == 0 ? "parked it" : "failed (" + ErrnoNames.of(-r) + ")");
        }
        if (awaitParked(Duration.ofMillis(100))) return true;
        node.keepLogsFor(spec.name());
        return false;
    }

    private boolean parked(int cpu) {
        return (int) NodeHandles.MAILBOX_STATE.getAcquire(node.mailbox(cpu), 0L) == AZ_CORE_PARKED();
    }

    /** Every core parked within {@code timeout} (trivially once the node is down: nothing runs). */
    private boolean awaitParked(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int c : spec.cpus()) {
            while (!parked(c) && node.isAlive()) {
                if (System.nanoTime() > deadline) return false;
                Thread.sleep(0, 200_000);
            }
        }
        return true;
    }

    /** STOP to {@code cpu} without waiting for its answer (a wedged core may never give one). */
    private void postStop(int cpu) {
        MemorySegment mb = node.mailbox(cpu);
        az_core_mailbox.arg(mb, 0);
        az_core_mailbox.cmd(mb, AZ_CORE_CMD_STOP());
        int seq = (int) NodeHandles.MAILBOX_CMD_SEQ.getAcquire(mb, 0L) + 1;
        NodeHandles.MAILBOX_CMD_SEQ.setRelease(mb, 0L, seq);
    }

    /**
     * After the end: true when a core of the instance could not be confirmed
     * parked, or the proxy's view of its memory could not be closed (a host call
     * still holds it), so its partition must never be scrubbed or reused.
     */
    public boolean quarantined() {
        return outcome != null && (!coresParked || !viewClosed);
    }

    /** Why {@link #quarantined()} is true (empty when it is not). */
    public String quarantineReason() {
        if (!quarantined()) return "";
        if (!coresParked) return "a core could not be parked (STOP, NMI, INIT)";
        return "a proxy worker still holds the partition's memory in a host call";
    }

    /** Ends the instance (its lead core gets STOP; the node forces cores that ignore it). */
    public void kill() throws IOException, InterruptedException {
        if (outcome != null) return;
        int lead = spec.cpus()[0];
        long mark = node.consoleSize();
        int result = send(AZ_CORE_CMD_STOP(), 0, new int[] {lead}, mark)[0];
        // ESRCH: the lead is parked, the instance ended on its own meanwhile (its outcome says how).
        if (result != 0 && result != -ESRCH) {
            throw refusal(lead, "refused STOP (" + ErrnoNames.of(-result) + ")", mark);
        }
    }

    public boolean isRunning() {
        return outcome == null && (int) NodeHandles.BOOT_STATE.getAcquire(boot, 0L) == AZ_INSTANCE_RUNNING();
    }

    /**
     * Whether the program reached its first instruction, even if it has ended
     * since: the instance kernel stamps {@code tsc_entry} then, in az_boot,
     * which the program cannot write.
     */
    public boolean programEntered() {
        return az_boot.tsc_entry(boot) != 0;
    }

    /** Milliseconds from the launch request to the program's first instruction (node TSC), or NaN. */
    public double launchMillis() {
        long hz = node.info().tscHz();
        long start = az_boot.tsc_start(boot), entry = az_boot.tsc_entry(boot);
        if (hz == 0 || start == 0 || entry == 0) return Double.NaN;
        return (entry - start) * 1000.0 / hz;
    }

    /** Each core's heartbeat counter, in the order of the spec's cpus (the node bumps them while it can ping the core). */
    public long[] heartbeats() {
        int[] cpus = spec.cpus();
        long[] beats = new long[cpus.length];
        for (int i = 0; i < cpus.length; i++)
            beats[i] = (long) NodeHandles.MAILBOX_HEARTBEAT.getAcquire(node.mailbox(cpus[i]), 0L);
        return beats;
    }

    /** System.nanoTime() when this side first saw the instance ended (0 before): reclaim is timed from here. */
    public long endSeenNanos() {
        return endSeenNanos;
    }

    public OffloadProxy proxy() {
        return proxy;
    }

    /**
     * Offloaded calls so far whose core found the instance's spin budget taken
     * ({@link Node.Config#spinCores}) and halted sooner instead of spinning.
     */
    public long shortSpins() {
        long atEnd = shortSpinsAtEnd;
        return atEnd >= 0 ? atEnd : az_boot.short_spins(boot);
    }

    /**
     * Doorbell kicks received from the guest so far: each is a VM exit its
     * vCPU paid because the proxy was asleep (the kernel batches them, one
     * per core's burst of requests; see native/kernel/inst/offload.c).
     */
    public long guestKicks() {
        return guestKicks.get();
    }

    public InstanceSpec spec() {
        return spec;
    }

    /** The proxy's view of the partition (closed once the instance has ended). */
    public Partition partition() {
        return view.partition();
    }

    /** Kills the instance if it still runs, and stops its proxy. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (outcome == null && node.isAlive()) {
            kill();
            if (waitFor(Duration.ofSeconds(10)) == null) log.warn("{}: did not end after STOP", spec.name());
        }
        proxy.close();
        if (outcome == null) view.close(); // ended: finish() closed it, or kept it held on purpose
    }

    private static byte[] strings(InstanceSpec spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : spec.argv()) putCString(out, s);
        for (String s : spec.env()) putCString(out, s);
        return out.toByteArray();
    }

    private static void putCString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) if (x == 0) throw new IllegalArgumentException("argument or variable contains a NUL: " + s);
        out.writeBytes(b);
        out.write(0);
    }

    private static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }
}
