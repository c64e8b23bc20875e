package org.azalea.proxy;

import static org.azalea.abi.abi_h.AZ_OP_OPEN;
import static org.azalea.abi.abi_h.AZ_OP_PREAD64;
import static org.azalea.abi.abi_h.AZ_OP_READ;
import static org.azalea.abi.abi_h.AZ_OP_WRITEV;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Bytes per opcode: the results of data-moving calls add up; errors and fd numbers do not. */
class ProxyStatsBytesTest {
    @Test
    void countsBytesOnlyForDataMovingOpcodes() {
        ProxyStats s = new ProxyStats();
        s.record(AZ_OP_READ(), 100, 1000);
        s.record(AZ_OP_READ(), -14, 1000);
        s.recordByPoller(AZ_OP_READ(), 28, 1000);
        s.record(AZ_OP_PREAD64(), 4096, 1000);
        s.record(AZ_OP_WRITEV(), 0, 1000);
        s.record(AZ_OP_OPEN(), 3, 1000);
        assertEquals(128, s.bytes(AZ_OP_READ()));
        assertEquals(4096, s.bytes(AZ_OP_PREAD64()));
        assertEquals(0, s.bytes(AZ_OP_WRITEV()));
        assertEquals(0, s.bytes(AZ_OP_OPEN()), "an fd number is not a byte count");
        assertEquals(3, s.count(AZ_OP_READ()));
        assertEquals(1, s.errors(AZ_OP_READ()));
    }
}
