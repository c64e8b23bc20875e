package org.azalea.node;

import static org.azalea.abi.abi_h.AZ_NODE_INFO_GPA;
import static org.azalea.abi.abi_h.AZ_NODE_INFO_SIZE;
import static org.azalea.abi.abi_h.AZ_NODE_MAILBOX_OFFSET;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The mailbox geometry a node publishes is checked once, before any address is computed from it. */
class NodeInfoTest {
    static final long MAILBOXES = AZ_NODE_INFO_GPA() + AZ_NODE_MAILBOX_OFFSET();

    @Test
    void theKernelsOwnGeometryPasses() {
        assertDoesNotThrow(() -> NodeInfo.checkMailboxes(MAILBOXES, (int) org.azalea.abi.az_core_mailbox.sizeof(), 72));
        assertDoesNotThrow(() -> NodeInfo.checkMailboxes(MAILBOXES, 256, 256));
    }

    @Test
    void mailboxesOutsideTheInfoAreaOrOverlappingAreRefused() {
        long end = AZ_NODE_INFO_GPA() + AZ_NODE_INFO_SIZE();
        for (long gpa : new long[] {0, AZ_NODE_INFO_GPA(), end, end - 256, Long.MAX_VALUE, -4096}) {
            var e = assertThrows(IllegalStateException.class, () -> NodeInfo.checkMailboxes(gpa, 256, 72));
            assertTrue(e.getMessage().contains("0x" + Long.toHexString(gpa)), e.getMessage());
        }
        assertThrows(
                IllegalStateException.class, () -> NodeInfo.checkMailboxes(MAILBOXES, 8, 72), "smaller than a mailbox");
        assertThrows(IllegalStateException.class, () -> NodeInfo.checkMailboxes(MAILBOXES, 0, 72));
        assertThrows(IllegalStateException.class, () -> NodeInfo.checkMailboxes(MAILBOXES, -256, 72));
        assertThrows(
                IllegalStateException.class,
                () -> NodeInfo.checkMailboxes(MAILBOXES, 1 << 20, 72),
                "runs past the area");
    }
}
