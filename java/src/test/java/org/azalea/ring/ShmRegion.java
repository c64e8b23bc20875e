package org.azalea.ring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.azalea.memory.GuestMemory;

/**
 * Test fixture: an offload region in a real shared file in /dev/shm, mapped
 * through {@link GuestMemory} as the proxy maps a guest's memory.  Deletes
 * the file on close.
 */
public final class ShmRegion implements AutoCloseable {
    /** Where the region lives in guest-physical memory. */
    public static final long GPA = 0x20_0000;

    public final GuestMemory memory;
    public final Region region;

    private ShmRegion(GuestMemory memory, Region region) {
        this.memory = memory;
        this.region = region;
    }

    /** A fresh region of {@code nchannels} x {@code entries}, re-polling every {@code pollUs}. */
    public static ShmRegion create(int nchannels, int entries, int pollUs) {
        return create(nchannels, entries, pollUs, 0);
    }

    static ShmRegion create(int nchannels, int entries, int pollUs, int startPosition) {
        GuestMemory memory = new GuestMemory();
        try {
            Path file = Files.createTempFile(Path.of("/dev/shm"), "azalea-ring-test-", ".mem");
            long size = (Region.sizeFor(nchannels, entries) + 4095) & -4096L;
            GuestMemory.Range range = memory.map(file, GPA, size);
            Region region = Region.format(range.segment(), GPA, nchannels, entries, pollUs, startPosition);
            return new ShmRegion(memory, region);
        } catch (IOException e) {
            memory.close();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        memory.close();
        try {
            memory.deleteFiles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
