package org.azalea.node;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.invoke.VarHandle;
import org.azalea.abi.az_boot;
import org.azalea.abi.az_core_mailbox;
import org.azalea.abi.az_node_info;

/**
 * Acquire/release access to the node words the host and the node kernel hand
 * over to each other, derived from the bindings' layouts (never typed offsets).
 * Coordinates: (struct segment, 0L).
 */
final class NodeHandles {
    private NodeHandles() {}

    static final VarHandle NODE_STATE = handle(az_node_info.layout(), "state");
    static final VarHandle MAILBOX_CMD_SEQ = handle(az_core_mailbox.layout(), "cmd_seq");
    static final VarHandle MAILBOX_ACK_SEQ = handle(az_core_mailbox.layout(), "ack_seq");
    static final VarHandle MAILBOX_STATE = handle(az_core_mailbox.layout(), "state");
    static final VarHandle MAILBOX_HEARTBEAT = handle(az_core_mailbox.layout(), "heartbeat");
    static final VarHandle BOOT_STATE = handle(az_boot.layout(), "state");

    private static VarHandle handle(GroupLayout layout, String field) {
        return layout.varHandle(groupElement(field)).withInvokeExactBehavior();
    }
}
