package org.azalea.example;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.azalea.abi.abi_h.AZ_OP_CLOSE;
import static org.azalea.abi.abi_h.AZ_OP_FSTAT;
import static org.azalea.abi.abi_h.AZ_OP_OPEN;
import static org.azalea.abi.abi_h.AZ_OP_PREAD64;
import static org.azalea.abi.abi_h.AZ_OP_STAT;
import static org.azalea.abi.abi_h.AZ_OP_WRITE;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.azalea.Version;
import org.azalea.host.ErrnoNames;
import org.azalea.host.Linux;
import org.azalea.host.LinuxLayouts;
import org.azalea.memory.GuestMemory;
import org.azalea.memory.Partition;
import org.azalea.proxy.HostSyscalls;
import org.azalea.proxy.OffloadProxy;
import org.azalea.proxy.Stdio;
import org.azalea.proxy.instance.InstanceIdentity;
import org.azalea.ring.OffloadClient;
import org.azalea.ring.Region;

/**
 * Calling the offload proxy from Java: what a unikernel does through the
 * ring, done by Java code.  A shared-memory file plays an instance's
 * partition; an offload region is formatted at its start; the full-weight
 * kernel's proxy serves it with a root directory; an {@link OffloadClient}
 * submits real calls (open, write, pread, fstat, stat, close) whose pointer
 * arguments are guest-physical addresses inside the partition, and prints
 * what each returned.  Run it with {@code bin/azalea example offload}.
 *
 * <pre>
 *   GPA BASE: | offload region (1 channel) | scratch: strings and buffers the calls point at |
 * </pre>
 */
public final class OffloadFromJava {
    /** Where the partition sits in "guest-physical" memory: any 4 KiB-aligned address; pointers are relative to it. */
    static final long BASE = 0x4000_0000L;

    static final long SIZE = 1L << 20;
    static final int RING_ENTRIES = 64;
    /** How long a sleeping proxy waits before it re-polls (a Java client rings its doorbell, so this is a safety net). */
    static final int POLL_INTERVAL_US = 100_000;

    private OffloadFromJava() {}

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("azalea-offload-example");
        System.exit(run(root, System.out));
    }

    /** Serves one partition from {@code root} and runs the calls; returns 0 when every call did what it should. */
    public static int run(Path root, PrintStream out) throws Exception {
        Path file = Files.createTempFile(Path.of("/dev/shm"), "azalea-offload-example-", ".mem");
        try (GuestMemory memory = new GuestMemory()) {
            memory.map(file, BASE, SIZE);
            Partition partition = memory.partition(BASE, SIZE);
            long regionSize = (Region.sizeFor(1, RING_ENTRIES) + 4095) & -4096L;
            Region region =
                    Region.format(partition.memory().asSlice(0, regionSize), BASE, 1, RING_ENTRIES, POLL_INTERVAL_US);
            Scratch scratch = new Scratch(partition, BASE + regionSize);

            HostSyscalls syscalls = new HostSyscalls(
                    partition, root, Stdio.discard(), new InstanceIdentity("java-example", Version.STRING));
            try (OffloadProxy proxy =
                    new OffloadProxy(region, syscalls, OffloadProxy.Options.defaults("java-example"))) {
                proxy.start();
                OffloadClient client = new OffloadClient(region, 0);
                return calls(client, scratch, root, out);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static int calls(OffloadClient c, Scratch s, Path root, PrintStream out) throws InterruptedException {
        byte[] text = "written through the offload ring\n".getBytes(UTF_8);
        long path = s.string("/hello.txt"); // in-root: the proxy resolves it under `root`, never outside
        long data = s.bytes(text);
        long back = s.alloc(text.length);
        long stat = s.alloc(LinuxLayouts.STAT_SIZE);

        long fd = show(
                out,
                "open(\"/hello.txt\", O_CREAT|O_RDWR, 0644)",
                c.call(AZ_OP_OPEN(), path, Linux.O_CREAT | Linux.O_RDWR, 0644));
        if (fd < 0) return 1;
        long wrote = show(out, "write(fd, text, " + text.length + ")", c.call(AZ_OP_WRITE(), fd, data, text.length));
        long read = show(
                out, "pread64(fd, buf, " + text.length + ", 0)", c.call(AZ_OP_PREAD64(), fd, back, text.length, 0));
        String readBack = new String(s.read(back, Math.max(0, read)), UTF_8);
        out.println("    read back: " + readBack.strip());
        long fstat = show(out, "fstat(fd, &st)", c.call(AZ_OP_FSTAT(), fd, stat));
        out.println(
                "    st_size " + s.memory(stat + LinuxLayouts.STAT_ST_SIZE, 8).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        long closed = show(out, "close(fd)", c.call(AZ_OP_CLOSE(), fd));
        long missing = show(out, "stat(\"/no/such/file\", &st)", c.call(AZ_OP_STAT(), s.string("/no/such/file"), stat));
        out.println("host file: " + root.resolve("hello.txt") + " ("
                + root.resolve("hello.txt").toFile().length() + " bytes)");
        boolean ok = wrote == text.length
                && read == text.length
                && readBack.equals(new String(text, UTF_8))
                && fstat == 0
                && closed == 0
                && missing < 0;
        out.println(ok ? "every call did what it should" : "a call did not do what it should");
        return ok ? 0 : 1;
    }

    private static long show(PrintStream out, String call, long result) {
        out.println(call + " = " + (result < 0 ? "-" + ErrnoNames.of((int) -result) : Long.toString(result)));
        return result;
    }

    /** Bump allocation of guest addresses in the partition's scratch area: where the calls' pointers point. */
    private static final class Scratch {
        private final Partition partition;
        private long next;

        Scratch(Partition partition, long first) {
            this.partition = partition;
            this.next = first;
        }

        long alloc(long bytes) {
            long gpa = next;
            next = (next + bytes + 15) & ~15L;
            memory(gpa, bytes).fill((byte) 0);
            return gpa;
        }

        long bytes(byte[] b) {
            long gpa = alloc(b.length);
            MemorySegment.copy(b, 0, memory(gpa, b.length), ValueLayout.JAVA_BYTE, 0, b.length);
            return gpa;
        }

        long string(String s) {
            return bytes((s + "\0").getBytes(UTF_8));
        }

        byte[] read(long gpa, long len) {
            return memory(gpa, len).toArray(ValueLayout.JAVA_BYTE);
        }

        MemorySegment memory(long gpa, long len) {
            return partition.memory().asSlice(gpa - partition.base(), len);
        }
    }
}
