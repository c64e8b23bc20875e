package org.azalea.stub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.azalea.BuildPaths;
import org.azalea.Version;
import org.azalea.memory.GuestMemory;
import org.azalea.memory.Partition;
import org.azalea.proxy.HostSyscalls;
import org.azalea.proxy.OffloadProxy;
import org.azalea.proxy.Stdio;
import org.azalea.proxy.instance.InstanceIdentity;
import org.azalea.ring.Region;

/**
 * The offload channel end to end on the host, before any guest boots: a
 * shared file in /dev/shm plays the guest's memory, the Java proxy serves a
 * region in it, and {@code build/native/azalea-stub} (the unikernel's offload
 * client compiled for a host process) submits requests.  Used by the
 * integration tests, the demo and the benchmarks.
 */
public final class HostStubSession implements AutoCloseable {
    /** Deliberately not 0, so a confusion of offsets with guest-physical addresses shows. */
    public static final long GPA_BASE = 0x1_0000_0000L;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Path shmFile;
    private final GuestMemory memory = new GuestMemory();
    private final Region region;
    private final OffloadProxy proxy;
    private final Path stubBinary;

    /**
     * @param root the instance's root directory (nothing outside it is reachable)
     * @param channels channels in the region: one per stub thread
     * @param pollIntervalUs longest a sleeping proxy waits before re-polling (the stub rings the futex doorbell)
     */
    public HostStubSession(Path root, int channels, int ringEntries, int pollIntervalUs, Stdio stdio)
            throws IOException {
        stubBinary = BuildPaths.dir().resolve("native/azalea-stub");
        if (!Files.isExecutable(stubBinary)) {
            throw new IOException(stubBinary + " is missing: run `make native` first");
        }
        shmFile = org.azalea.memory.MemoryFiles.create(
                "azalea-stub-" + ProcessHandle.current().pid() + "-", "-" + SEQUENCE.incrementAndGet());
        // The region, then 1 MiB of buffer arena per stub thread, with room to spare.
        long size = align(Region.sizeFor(channels, ringEntries), 1 << 20) + (long) (channels + 4) * (1 << 20);
        try {
            var range = memory.map(shmFile, GPA_BASE, size);
            Partition partition = memory.partition(GPA_BASE, size);
            region = Region.format(range.segment(), GPA_BASE, channels, ringEntries, pollIntervalUs);
            HostSyscalls syscalls =
                    new HostSyscalls(partition, root, stdio, new InstanceIdentity("azalea-stub", Version.STRING));
            proxy = new OffloadProxy(region, syscalls, OffloadProxy.Options.defaults("stub-" + SEQUENCE.get()));
            proxy.start();
        } catch (IOException | RuntimeException e) {
            closeMemory();
            throw e;
        }
    }

    public OffloadProxy proxy() {
        return proxy;
    }

    public Region region() {
        return region;
    }

    /** The arguments that point a stub process at this session's region. */
    public List<String> stubArgs(int channel, int threads) {
        List<String> args = new ArrayList<>();
        args.add(stubBinary.toString());
        args.addAll(List.of(
                "--shm",
                shmFile.toString(),
                "--gpa-base",
                "0x" + Long.toHexString(GPA_BASE),
                "--channel",
                Integer.toString(channel),
                "--threads",
                Integer.toString(threads)));
        return args;
    }

    public Path stubBinary() {
        return stubBinary;
    }

    /** Stops the proxy, unmaps the memory and deletes the shared file. */
    @Override
    public void close() {
        try {
            proxy.close();
        } finally {
            closeMemory();
        }
    }

    private void closeMemory() {
        memory.close();
        try {
            Files.deleteIfExists(shmFile);
        } catch (IOException ignored) {
            // best effort: the name is unique to this JVM, a leftover harms nothing else
        }
    }

    private static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }
}
