package org.azalea.ring;

import static org.azalea.abi.abi_h.AZ_ABI_VERSION;
import static org.azalea.abi.abi_h.AZ_CACHE_LINE;
import static org.azalea.abi.abi_h.AZ_FEATURE_FUTEX_DOORBELL;
import static org.azalea.abi.abi_h.AZ_FEATURE_PORT_KICK;
import static org.azalea.abi.abi_h.AZ_FEATURE_TIMED_POLL;
import static org.azalea.abi.abi_h.AZ_HOST_STOPPED;
import static org.azalea.abi.abi_h.AZ_MAX_CHANNELS;
import static org.azalea.abi.abi_h.AZ_MAX_RING_ENTRIES;
import static org.azalea.abi.abi_h.AZ_MIN_RING_ENTRIES;
import static org.azalea.abi.abi_h.AZ_REGION_ALIGN;
import static org.azalea.abi.abi_h.AZ_REGION_MAGIC;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_cqe;
import org.azalea.abi.az_region;
import org.azalea.abi.az_sqe;

/**
 * An offload region (see the opening comment of {@code include/azalea/abi.h}):
 * created here with {@link #format}, or checked with {@link #attach}.  The
 * geometry is read from shared memory once and kept in final fields, so a
 * guest that rewrites its region header later changes nothing on the host.
 *
 * <pre>
 *   +-------------------+ 0
 *   | az_region  (256)  |
 *   +-------------------+ channel_offset
 *   | az_channel (512)  |  channel 0
 *   | sq: N x az_sqe    |  at + sizeof(az_channel)
 *   | cq: N x az_cqe    |  at + sizeof(az_channel) + N * sizeof(az_sqe)
 *   +-------------------+ channel_offset + channel_stride
 *   | channel 1 ...     |
 * </pre>
 */
public final class Region {
    /** Longest re-poll interval {@link #attach} accepts: a sleeping proxy must come back within a second. */
    public static final int MAX_POLL_INTERVAL_US = 1_000_000;

    private final MemorySegment memory;
    private final long gpa;
    private final int nchannels;
    private final int ringEntries;
    private final int pollIntervalUs;
    private final long channelOffset;
    private final long channelStride;
    private final long size;
    private final Channel[] channels;

    private Region(
            MemorySegment memory,
            long gpa,
            int nchannels,
            int ringEntries,
            int pollIntervalUs,
            long channelOffset,
            long channelStride,
            long size) {
        this.memory = memory.asSlice(0, size);
        this.gpa = gpa;
        this.nchannels = nchannels;
        this.ringEntries = ringEntries;
        this.pollIntervalUs = pollIntervalUs;
        this.channelOffset = channelOffset;
        this.channelStride = channelStride;
        this.size = size;
        this.channels = new Channel[nchannels];
        for (int i = 0; i < nchannels; i++) {
            channels[i] =
                    new Channel(i, this.memory.asSlice(channelOffset + i * channelStride, channelStride), ringEntries);
        }
    }

    /** Bytes from a channel's start to the end of its completion ring. */
    static long channelBytes(int ringEntries) {
        return az_channel.sizeof() + ringEntries * (az_sqe.sizeof() + az_cqe.sizeof());
    }

    private static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    private static long firstChannelOffset() {
        return alignUp(az_region.sizeof(), AZ_CACHE_LINE());
    }

    private static long strideFor(int ringEntries) {
        return alignUp(channelBytes(ringEntries), AZ_CACHE_LINE());
    }

    /** Bytes a region with this geometry occupies (its {@code region_size}). */
    public static long sizeFor(int nchannels, int ringEntries) {
        checkGeometry(nchannels, ringEntries);
        return firstChannelOffset() + nchannels * strideFor(ringEntries);
    }

    private static void checkGeometry(int nchannels, int ringEntries) {
        if (nchannels < 1 || nchannels > AZ_MAX_CHANNELS()) {
            throw new IllegalArgumentException(
                    "nchannels " + Integer.toUnsignedString(nchannels) + " is not in 1.." + AZ_MAX_CHANNELS());
        }
        if (ringEntries < AZ_MIN_RING_ENTRIES()
                || ringEntries > AZ_MAX_RING_ENTRIES()
                || Integer.bitCount(ringEntries) != 1) {
            throw new IllegalArgumentException("ring_entries " + Integer.toUnsignedString(ringEntries)
                    + " is not a power of two in " + AZ_MIN_RING_ENTRIES() + ".." + AZ_MAX_RING_ENTRIES());
        }
    }

    private static void checkMemory(MemorySegment memory, long gpa) {
        if (!memory.isNative() || memory.address() % AZ_CACHE_LINE() != 0) {
            throw new IllegalArgumentException("region memory must be native and " + AZ_CACHE_LINE()
                    + "-byte aligned (address 0x" + Long.toHexString(memory.address()) + ")");
        }
        if (gpa % AZ_REGION_ALIGN() != 0) {
            throw new IllegalArgumentException(
                    "region_gpa 0x" + Long.toHexString(gpa) + " is not " + AZ_REGION_ALIGN() + "-byte aligned");
        }
    }

    /**
     * Writes a fresh region into {@code memory} (which the guest sees at
     * {@code gpa}): every INIT field, host_state STOPPED, every channel zeroed.
     *
     * @param pollIntervalUs the longest a sleeping proxy waits before it re-polls;
     *     guests that cannot ring the futex doorbell rely on it
     */
    public static Region format(MemorySegment memory, long gpa, int nchannels, int ringEntries, int pollIntervalUs) {
        return format(memory, gpa, nchannels, ringEntries, pollIntervalUs, 0, null);
    }

    /** How a guest wakes a sleeping proxy: one byte, {@code value}, written to I/O port {@code port}. */
    public record PortKick(int port, int value) {
        public PortKick {
            if (port < 0 || port > 0xffff || value < 0 || value > 0xff) {
                throw new IllegalArgumentException(
                        "port kick 0x" + Integer.toHexString(port) + "/" + value + " out of range");
            }
        }
    }

    /** As {@link #format(MemorySegment, long, int, int, int)}, for a guest that kicks through an I/O port. */
    public static Region format(
            MemorySegment memory, long gpa, int nchannels, int ringEntries, int pollIntervalUs, PortKick kick) {
        return format(memory, gpa, nchannels, ringEntries, pollIntervalUs, 0, kick);
    }

    /**
     * As {@link #format(MemorySegment, long, int, int, int)}, with every ring's
     * free-running position starting at {@code startPosition} (tests use values
     * near 2^32 to cross the wrap of the uint32 counter).
     */
    static Region format(
            MemorySegment memory, long gpa, int nchannels, int ringEntries, int pollIntervalUs, int startPosition) {
        return format(memory, gpa, nchannels, ringEntries, pollIntervalUs, startPosition, null);
    }

    private static Region format(
            MemorySegment memory,
            long gpa,
            int nchannels,
            int ringEntries,
            int pollIntervalUs,
            int startPosition,
            PortKick kick) {
        checkGeometry(nchannels, ringEntries);
        checkMemory(memory, gpa);
        if (pollIntervalUs < 1 || pollIntervalUs > MAX_POLL_INTERVAL_US) {
            throw new IllegalArgumentException(
                    "poll_interval_us " + pollIntervalUs + " is not in 1.." + MAX_POLL_INTERVAL_US);
        }
        long size = sizeFor(nchannels, ringEntries);
        if (memory.byteSize() < size) {
            throw new IllegalArgumentException("a region of " + nchannels + " channels x " + ringEntries
                    + " entries needs " + size + " bytes; the segment has " + memory.byteSize());
        }
        MemorySegment head = memory.asSlice(0, size);
        head.fill((byte) 0);
        az_region.abi_version(head, AZ_ABI_VERSION());
        az_region.features(
                head,
                AZ_FEATURE_FUTEX_DOORBELL() | AZ_FEATURE_TIMED_POLL() | (kick != null ? AZ_FEATURE_PORT_KICK() : 0));
        if (kick != null) {
            az_region.kick_port(head, kick.port());
            az_region.kick_value(head, kick.value());
        }
        az_region.nchannels(head, nchannels);
        az_region.ring_entries(head, ringEntries);
        az_region.region_gpa(head, gpa);
        az_region.region_size(head, size);
        az_region.channel_offset(head, firstChannelOffset());
        az_region.channel_stride(head, strideFor(ringEntries));
        az_region.poll_interval_us(head, pollIntervalUs);
        az_region.host_state(head, AZ_HOST_STOPPED());
        Region region = new Region(
                memory,
                gpa,
                nchannels,
                ringEntries,
                pollIntervalUs,
                firstChannelOffset(),
                strideFor(ringEntries),
                size);
        if (startPosition != 0) {
            for (Channel ch : region.channels) ch.startAt(startPosition);
        }
        // The magic last: a reader that sees it sees a complete header.
        az_region.magic$layout().varHandle().setRelease(head, az_region.magic$offset(), AZ_REGION_MAGIC());
        return region;
    }

    /**
     * Checks the region header in {@code memory} and returns a view with the
     * geometry copied out once.
     *
     * @param expectedGpa where the region must say it lives
     * @throws IllegalArgumentException naming the offending value when the header
     *     is not one this side can serve without reaching outside {@code memory}
     */
    public static Region attach(MemorySegment memory, long expectedGpa) {
        checkMemory(memory, expectedGpa);
        if (memory.byteSize() < az_region.sizeof()) {
            throw new IllegalArgumentException(
                    "segment of " + memory.byteSize() + " bytes cannot hold a region header");
        }
        long magic = (long) az_region.magic$layout().varHandle().getAcquire(memory, az_region.magic$offset());
        if (magic != AZ_REGION_MAGIC()) {
            throw new IllegalArgumentException("bad region magic 0x" + Long.toHexString(magic));
        }
        int version = az_region.abi_version(memory);
        if (version != AZ_ABI_VERSION()) {
            throw new IllegalArgumentException("region abi_version " + Integer.toUnsignedString(version)
                    + ", this side speaks " + AZ_ABI_VERSION());
        }
        int nchannels = az_region.nchannels(memory);
        int ringEntries = az_region.ring_entries(memory);
        checkGeometry(nchannels, ringEntries);
        long gpa = az_region.region_gpa(memory);
        if (gpa != expectedGpa) {
            throw new IllegalArgumentException(
                    "region_gpa 0x" + Long.toHexString(gpa) + ", expected 0x" + Long.toHexString(expectedGpa));
        }
        int pollIntervalUs = az_region.poll_interval_us(memory);
        if (pollIntervalUs < 1 || pollIntervalUs > MAX_POLL_INTERVAL_US) {
            throw new IllegalArgumentException("poll_interval_us " + Integer.toUnsignedString(pollIntervalUs)
                    + " is not in 1.." + MAX_POLL_INTERVAL_US);
        }
        long offset = az_region.channel_offset(memory);
        long stride = az_region.channel_stride(memory);
        long declaredSize = az_region.region_size(memory);
        // Unsigned 64-bit values from shared memory: compare as unsigned, multiply without overflow.
        if (Long.compareUnsigned(offset, az_region.sizeof()) < 0
                || offset % AZ_CACHE_LINE() != 0
                || Long.compareUnsigned(offset, memory.byteSize()) > 0) {
            throw new IllegalArgumentException("channel_offset " + Long.toUnsignedString(offset) + " is not a "
                    + AZ_CACHE_LINE() + "-byte aligned offset in " + az_region.sizeof() + ".." + memory.byteSize());
        }
        if (Long.compareUnsigned(stride, channelBytes(ringEntries)) < 0 || stride % AZ_CACHE_LINE() != 0) {
            throw new IllegalArgumentException("channel_stride " + Long.toUnsignedString(stride) + " is not a "
                    + AZ_CACHE_LINE() + "-byte multiple of at least " + channelBytes(ringEntries));
        }
        // Division, not multiplication: a huge stride must not wrap around to a small end.
        if (Long.compareUnsigned(stride, (memory.byteSize() - offset) / nchannels) > 0) {
            throw new IllegalArgumentException(nchannels + " channels of stride " + Long.toUnsignedString(stride)
                    + " at offset " + offset + " run past the segment's " + memory.byteSize() + " bytes");
        }
        long end = offset + nchannels * stride;
        if (declaredSize != end) {
            throw new IllegalArgumentException(
                    "region_size " + Long.toUnsignedString(declaredSize) + " does not match the geometry's " + end);
        }
        return new Region(memory, gpa, nchannels, ringEntries, pollIntervalUs, offset, stride, end);
    }

    /** The region's bytes, [gpa, gpa + size()). */
    public MemorySegment memory() {
        return memory;
    }

    public long gpa() {
        return gpa;
    }

    public long size() {
        return size;
    }

    public int nchannels() {
        return nchannels;
    }

    public int ringEntries() {
        return ringEntries;
    }

    public int pollIntervalUs() {
        return pollIntervalUs;
    }

    public long channelOffset() {
        return channelOffset;
    }

    public long channelStride() {
        return channelStride;
    }

    public Channel channel(int index) {
        return channels[index];
    }

    /** The 4-byte futex word {@code az_region.doorbell}. */
    public MemorySegment doorbellWord() {
        return memory.asSlice(az_region.doorbell$offset(), ValueLayout.JAVA_INT.byteSize());
    }

    /** AZ_HOST_* as last published. */
    public int hostState() {
        return (int) RingHandles.HOST_STATE.getAcquire(memory, 0L);
    }

    /** Publishes AZ_HOST_* (the proxy does this on start and stop). */
    public void hostState(int state) {
        RingHandles.HOST_STATE.setRelease(memory, 0L, state);
    }
}
