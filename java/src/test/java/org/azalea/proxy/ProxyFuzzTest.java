package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.azalea.host.ErrnoException;
import org.azalea.host.Linux;
import org.azalea.memory.Partition;
import org.azalea.proxy.instance.InstanceIdentity;
import org.azalea.ring.Channel;
import org.azalea.ring.CompletionConsumer;
import org.azalea.ring.Region;
import org.azalea.ring.Request;
import org.azalea.ring.SubmissionProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded generator drives random and mutated ring entries and argument
 * blocks at a real proxy (HostSyscalls over a temporary root) serving a
 * partition with canary pages on both sides.  It checks that no exception
 * leaves the dispatcher, that nothing outside the partition is written, and
 * that every entry consumed gets exactly one completion.  `make test` runs a
 * short pass; `make fuzz` a long one ({@code -Dazalea.fuzz.entries}, {@code
 * -Dazalea.fuzz.seed}).
 */
class ProxyFuzzTest {
    private static final long BASE = 0x40_0000;
    private static final int PAGE = 4096;
    private static final int CHANNELS = 2;
    private static final int ENTRIES = 64;
    private static final long DATA = 256 * 1024;
    private static final byte CANARY = (byte) 0xA5;

    /** Calls that would reach the network or the whole host file system: not fuzzed (see docs/security.md). */
    private static final int[] EXCLUDED = {AZ_OP_SOCKET(), AZ_OP_GETHOSTBYNAME(), AZ_OP_SYNC()};

    private static final String[] PATHS = {
        "a",
        "b/c",
        "/",
        ".",
        "..",
        "../..",
        "/../etc/passwd",
        "d/",
        "a/../a",
        "dir",
        "dir/f",
        "",
        "f\u00e9",
        "x".repeat(300)
    };
    private static final long[] INTERESTING = {
        0, 1, -1, 2, 3, 7, 64, 4096, Integer.MAX_VALUE, 0x8000_0000L, 0xFFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE
    };

    @TempDir
    Path root;

    @Test
    void randomAndMutatedEntriesAreAnsweredOnceAndStayInThePartition() throws Exception {
        long entries = Long.getLong("azalea.fuzz.entries", 20_000);
        long seed = Long.getLong("azalea.fuzz.seed", 11);
        SplittableRandom rnd = new SplittableRandom(seed);
        long regionSize = (Region.sizeFor(CHANNELS, ENTRIES) + PAGE - 1) & -PAGE;
        long size = regionSize + DATA;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment all = arena.allocate(size + 2 * PAGE, PAGE);
            all.fill(CANARY);
            MemorySegment mem = all.asSlice(PAGE, size);
            mem.fill((byte) 0);
            Partition partition = Partition.of(BASE, mem);
            Region region = Region.format(mem.asSlice(0, regionSize), BASE, CHANNELS, ENTRIES, 100);
            long data = BASE + regionSize;
            ConcurrentLinkedQueue<Throwable> escaped = new ConcurrentLinkedQueue<>();
            HostSyscalls sys = new HostSyscalls(partition, root, Stdio.discard(), new InstanceIdentity("fuzz", "0"));
            Checked checked = new Checked(sys, escaped);
            Map<Long, Integer> completions = new HashMap<>();
            long t0 = System.nanoTime();
            long submitted = 0;
            try (OffloadProxy proxy = new OffloadProxy(
                    region, checked, new OffloadProxy.Options("fuzz", 4, 20_000, 64, Duration.ofSeconds(2)))) {
                proxy.start();
                SubmissionProducer[] sq = new SubmissionProducer[CHANNELS];
                CompletionConsumer[] cq = new CompletionConsumer[CHANNELS];
                for (int c = 0; c < CHANNELS; c++) {
                    Channel ch = region.channel(c);
                    sq[c] = new SubmissionProducer(ch);
                    cq[c] = new CompletionConsumer(ch);
                }
                long deadline = 0;
                long answered = 0;
                while (answered < entries) {
                    if (submitted % 512 == 0) scribble(mem.asSlice(regionSize, DATA), data, rnd);
                    for (int c = 0; c < CHANNELS && submitted < entries; c++) {
                        long[] e = entry(rnd, data);
                        if (sq[c].tryPut((int) e[0], (int) e[1], submitted + 1, e[2], e[3], e[4], e[5], e[6], e[7])) {
                            completions.put(++submitted, 0);
                            sq[c].publishTail();
                        }
                    }
                    boolean any = false;
                    for (int c = 0; c < CHANNELS; c++) {
                        while (cq[c].poll()) {
                            Integer n = completions.get(cq[c].id());
                            assertNotNull(n, "a completion for id " + cq[c].id() + ", never submitted");
                            assertEquals(0, n, "a second completion for id " + cq[c].id());
                            completions.put(cq[c].id(), 1);
                            answered++;
                            any = true;
                        }
                        cq[c].publishHead();
                    }
                    if (any) deadline = 0;
                    else if (deadline == 0) deadline = System.nanoTime() + 30_000_000_000L;
                    else if (System.nanoTime() > deadline) fail(answered + " of " + submitted + " answered in 30 s");
                    else if (submitted >= entries) Thread.onSpinWait();
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "fuzz: seed %d, %d entries, %d answered, %d escaped, %d internal errors: %.1f s (%.0f/s)%n",
                    seed, submitted, completions.size(), escaped.size(), sys.internalErrors(), secs, submitted / secs);
            assertTrue(escaped.isEmpty(), () -> "escaped the dispatcher: " + escaped.peek());
            assertEquals(0, sys.internalErrors(), "handler failures caught inside the dispatcher (logged as errors)");
            assertTrue(completions.values().stream().allMatch(n -> n == 1));
            for (long i = 0; i < PAGE; i++) {
                assertEquals(CANARY, all.get(ValueLayout.JAVA_BYTE, i), "canary below the partition at " + i);
                assertEquals(CANARY, all.get(ValueLayout.JAVA_BYTE, PAGE + size + i), "canary above at " + i);
            }
        }
    }

    /** One ring entry: opcode, flags, then six arguments; random, or a plausible call with one argument mutated. */
    private static long[] entry(SplittableRandom rnd, long data) {
        long[] e = new long[8];
        int op = rnd.nextInt(20) == 0 ? rnd.nextInt(1 << 16) : rnd.nextInt(AZ_OP__LAST());
        for (int x : EXCLUDED) if (op == x) op = AZ_OP_NOP();
        e[0] = op;
        e[1] = rnd.nextInt(50) == 0 ? rnd.nextInt(1 << 16) : 0;
        for (int i = 2; i < 8; i++) e[i] = plausible(rnd, data);
        if (rnd.nextInt(4) == 0) {
            for (int i = 2; i < 8; i++) e[i] = rnd.nextLong(); // wholly random
        } else {
            e[2 + rnd.nextInt(6)] = INTERESTING[rnd.nextInt(INTERESTING.length)]; // mutated
        }
        // Calls that could wait for ever (no peer will ever answer) wait briefly instead.
        if (op == AZ_OP_POLL()) e[4] = rnd.nextInt(3);
        if (op == AZ_OP_PPOLL()) e[4] = data; // a timespec scribble() keeps short
        if (op == AZ_OP_FCNTL() && (e[3] == Linux.F_SETLKW || e[3] == Linux.F_OFD_SETLKW)) e[3]--;
        if (op == AZ_OP_EPOLL_PWAIT()) e[5] = rnd.nextInt(3);
        if (op == AZ_OP_SELECT()) {
            e[6] = data; // the short timespec, read as one
            e[7] = 0;
        }
        // Pipes, eventfds, socketpairs and timerfds no one will ever write to: the guest's
        // fds stay non-blocking, so a read of one answers EAGAIN rather than waiting for ever.
        if (op == AZ_OP_PIPE2() || op == AZ_OP_SOCKETPAIR() || op == AZ_OP_TIMERFD_CREATE()) e[3] |= Linux.O_NONBLOCK;
        if (op == AZ_OP_EVENTFD2()) e[3] |= Linux.EFD_NONBLOCK;
        if (op == AZ_OP_FCNTL() && e[3] == Linux.F_SETFL) e[4] |= Linux.O_NONBLOCK;
        if (op == AZ_OP_IOCTL() && e[3] == Linux.FIONBIO) e[3] = Linux.FIONREAD;
        return e;
    }

    /** A value a program might pass: a small fd, a pointer into (or just past) its data, a size, a flag word. */
    private static long plausible(SplittableRandom rnd, long data) {
        return switch (rnd.nextInt(5)) {
            case 0 -> rnd.nextInt(12) - 1;
            case 1 -> data + 64 + rnd.nextLong(DATA - 64);
            case 2 -> data + DATA - rnd.nextInt(16);
            case 3 -> rnd.nextInt(1 << 12);
            default -> data + 64 + 512L * rnd.nextInt(16); // a path slot
        };
    }

    /** Refills the argument area: random bytes, paths in the slots, a short timespec at its start. */
    private static void scribble(MemorySegment area, long data, SplittableRandom rnd) {
        byte[] noise = new byte[(int) area.byteSize()];
        rnd.nextBytes(noise);
        MemorySegment.copy(noise, 0, area, ValueLayout.JAVA_BYTE, 0, noise.length);
        area.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0);
        area.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, rnd.nextInt(2_000_000));
        for (int slot = 0; slot < 16; slot++) {
            if (rnd.nextInt(4) == 0) continue; // some slots stay unterminated noise
            byte[] p = PATHS[rnd.nextInt(PATHS.length)].getBytes(StandardCharsets.UTF_8);
            MemorySegment s = area.asSlice(64 + 512L * slot, 512);
            MemorySegment.copy(p, 0, s, ValueLayout.JAVA_BYTE, 0, Math.min(p.length, 511));
            s.set(ValueLayout.JAVA_BYTE, Math.min(p.length, 511), (byte) 0);
        }
    }

    /** The real dispatcher, with whatever it throws recorded (the proxy would turn it into EIO and go on). */
    private record Checked(HostSyscalls sys, ConcurrentLinkedQueue<Throwable> escaped) implements SyscallDispatcher {
        @Override
        public long dispatch(Request r) {
            try {
                return sys.dispatch(r);
            } catch (Throwable t) {
                escaped.add(t);
                throw t;
            }
        }

        @Override
        public Request prepare(Request r) throws ErrnoException {
            try {
                return sys.prepare(r);
            } catch (ErrnoException e) {
                throw e;
            } catch (Throwable t) {
                escaped.add(t);
                throw t;
            }
        }

        @Override
        public boolean mayBlock(Request r) {
            try {
                return sys.mayBlock(r);
            } catch (Throwable t) {
                escaped.add(t);
                throw t;
            }
        }

        @Override
        public void close() {
            sys.close();
        }
    }
}
