package org.azalea.ring;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.invoke.VarHandle;
import org.azalea.abi.az_channel;
import org.azalea.abi.az_cqe;
import org.azalea.abi.az_region;
import org.azalea.abi.az_sqe;

/**
 * The ring protocol's ordered accesses: one VarHandle per word that two sides
 * hand over to each other, derived from the bindings' layouts (no offset is
 * typed here).  Each takes {@code (MemorySegment segment, long baseOffset)}:
 * the segment holding the struct and the struct's offset in it, so one handle
 * serves every entry of a ring.  Exact invocation keeps call sites free of
 * boxing; callers cast the result to {@code int}.
 *
 * <p>Use {@code getAcquire} to read what the other side published and
 * {@code setRelease} to publish; {@link VarHandle#fullFence()} where the
 * doorbell protocol asks for a full fence.
 */
public final class RingHandles {
    private RingHandles() {}

    private static VarHandle handle(GroupLayout layout, String field) {
        return layout.varHandle(groupElement(field)).withInvokeExactBehavior();
    }

    /** {@code az_sqe.seq}: the guest publishes a submission with it. */
    public static final VarHandle SQE_SEQ = handle(az_sqe.layout(), "seq");
    /** {@code az_cqe.seq}: the host publishes a completion with it. */
    public static final VarHandle CQE_SEQ = handle(az_cqe.layout(), "seq");
    /** {@code az_channel.sq_tail}: submissions published (guest). */
    public static final VarHandle SQ_TAIL = handle(az_channel.layout(), "sq_tail");
    /** {@code az_channel.sq_head}: submissions consumed (host). */
    public static final VarHandle SQ_HEAD = handle(az_channel.layout(), "sq_head");
    /** {@code az_channel.cq_tail}: completions published (host). */
    public static final VarHandle CQ_TAIL = handle(az_channel.layout(), "cq_tail");
    /** {@code az_channel.cq_head}: completions consumed (guest). */
    public static final VarHandle CQ_HEAD = handle(az_channel.layout(), "cq_head");
    /** {@code az_channel.flags}: AZ_CHANNEL_NEED_WAKEUP (host). */
    public static final VarHandle CHANNEL_FLAGS = handle(az_channel.layout(), "flags");
    /** {@code az_region.doorbell}: the futex word the proxy sleeps on. */
    public static final VarHandle DOORBELL = handle(az_region.layout(), "doorbell");
    /** {@code az_region.host_state}: AZ_HOST_* (host). */
    public static final VarHandle HOST_STATE = handle(az_region.layout(), "host_state");
}
