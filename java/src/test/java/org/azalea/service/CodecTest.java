package org.azalea.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.LifecycleState;
import org.azalea.sideloader.PartitionRequest;
import org.azalea.sideloader.ResourceManager.QuadrantUsage;
import org.junit.jupiter.api.Test;

/** Payloads survive the wire both ways; malformed ones are refused with a message naming what is wrong. */
class CodecTest {
    static InstanceView view() {
        return new InstanceView(
                7,
                "aim7",
                "/b/aim7",
                List.of("-n", "5"),
                2,
                new int[] {36, 37},
                0x40000000L,
                64L << 20,
                LifecycleState.RECLAIMED,
                LifecycleState.EXITED,
                0,
                "exited with status 0",
                1_700_000_000_000L,
                1234,
                567,
                42,
                1,
                List.of(
                        new OpcodeView("write", 40, 0, 640, 1000, 9000, 12000, 1500),
                        new OpcodeView("open", 2, 1, 0, 3000, 4000, 4000, 3500)),
                true,
                NetPolicy.NONE);
    }

    @Test
    void statusRoundTrips() throws Exception {
        NodeStatus s = new NodeStatus(
                99,
                "0.1.0",
                72,
                4,
                512L << 20,
                "tcg",
                "requested",
                350,
                10_000,
                true,
                List.of(
                        new QuadrantUsage(0, true, 17, 17, 480L << 20, 480L << 20, 480L << 20),
                        new QuadrantUsage(1, false, 18, 16, 512L << 20, 384L << 20, 384L << 20)),
                1,
                3,
                "/r/node/node.log",
                "/r/node.sock",
                2);
        NodeStatus back = Codec.status(new WireReader(Codec.status(s)));
        assertEquals(s, back);
        assertEquals(2, back.quarantined(), "quarantined partitions travel with the status");
        assertTrue(!s.allFree());
    }

    @Test
    void instancesRoundTrip() throws Exception {
        InstanceView v = view();
        InstanceView back = Codec.instanceOnly(new WireReader(Codec.instance(v)));
        assertArrayEquals(v.cpus(), back.cpus());
        assertEquals(v.opcodes(), back.opcodes());
        assertEquals(
                List.of(
                        v.id(),
                        v.name(),
                        v.program(),
                        v.args(),
                        v.quadrant(),
                        v.memBase(),
                        v.memSize(),
                        v.state(),
                        v.ending(),
                        v.exitStatus(),
                        v.outcome(),
                        v.startedAtMillis(),
                        v.uptimeMillis(),
                        v.reclaimMicros(),
                        v.offloads(),
                        v.offloadErrors()),
                List.of(
                        back.id(),
                        back.name(),
                        back.program(),
                        back.args(),
                        back.quadrant(),
                        back.memBase(),
                        back.memSize(),
                        back.state(),
                        back.ending(),
                        back.exitStatus(),
                        back.outcome(),
                        back.startedAtMillis(),
                        back.uptimeMillis(),
                        back.reclaimMicros(),
                        back.offloads(),
                        back.offloadErrors()));
        List<InstanceView> two = Codec.instances(new WireReader(Codec.instances(List.of(v, v))));
        assertEquals(2, two.size());
        assertEquals("36-37", two.get(1).cpuText());
        assertEquals("EXITED 0", two.get(1).stateText());
    }

    @Test
    void launchRequestsRoundTripWithoutStreams() throws Exception {
        LaunchRequest r = new LaunchRequest(
                "p",
                Path.of("/x/p"),
                List.of("a", "ü"),
                List.of("HOME=/"),
                PartitionRequest.of(2, 3, 96L << 20),
                Path.of("/root"),
                null,
                null,
                null);
        LaunchRequest back = Codec.launch(new WireReader(Codec.launch(r)));
        assertEquals(r, back);
        assertEquals(NetPolicy.LOOPBACK, back.net());
        LaunchRequest host = r.withNet(NetPolicy.HOST);
        assertEquals(
                NetPolicy.HOST, Codec.launch(new WireReader(Codec.launch(host))).net());
    }

    @Test
    void theNetworkPolicyTravelsAndAnUnknownOneIsRefused() throws Exception {
        assertEquals(
                NetPolicy.NONE,
                Codec.instanceOnly(new WireReader(Codec.instance(view()))).net());
        LaunchRequest r = LaunchRequest.of(Path.of("/x/p"), List.of(), PartitionRequest.of(1, 64L << 20), Path.of("/r"))
                .withNet(NetPolicy.NONE);
        byte[] good = Codec.launch(r);
        // The policy is the payload's last string: "none" becomes "nope", which no end accepts.
        byte[] bad = good.clone();
        bad[bad.length - 2] = 'p';
        bad[bad.length - 1] = 'e';
        ProtocolException e = assertThrows(ProtocolException.class, () -> Codec.launch(new WireReader(bad)));
        assertTrue(e.getMessage().contains("network policy 'nope'"), e.getMessage());
    }

    @Test
    void malformedPayloadsAreRefused() {
        byte[] good = Codec.instance(view());
        // Truncated anywhere: an error, never an exception of another kind.
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThrows(ProtocolException.class, () -> Codec.instanceOnly(new WireReader(cut)), "cut at " + n);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        ProtocolException trailing =
                assertThrows(ProtocolException.class, () -> Codec.instanceOnly(new WireReader(longer)));
        assertTrue(trailing.getMessage().contains("1 unexpected bytes"), trailing.getMessage());

        byte[] hugeCount = new WireWriter().i32(Integer.MAX_VALUE).bytes();
        assertThrows(ProtocolException.class, () -> Codec.instances(new WireReader(hugeCount)));
        byte[] negative = new WireWriter().i32(-5).bytes();
        assertThrows(ProtocolException.class, () -> new WireReader(negative).string(100, "s"));
        byte[] badUtf8 = new WireWriter().i32(2).u8(0xc3).u8(0x28).bytes();
        ProtocolException utf =
                assertThrows(ProtocolException.class, () -> new WireReader(badUtf8).string(100, "name"));
        assertEquals("name: not UTF-8", utf.getMessage());
        byte[] badBool = new WireWriter().u8(2).bytes();
        assertThrows(ProtocolException.class, () -> new WireReader(badBool).bool());
    }

    @Test
    void launchRequestsNeedAbsolutePathsAndAValidPartition() {
        byte[] relative = new WireWriter()
                .string("x")
                .string("prog")
                .strings(List.of())
                .strings(List.of())
                .i32(-1)
                .bool(false)
                .i32(1)
                .i64(64L << 20)
                .bool(false)
                .string("/")
                .bytes();
        ProtocolException e = assertThrows(ProtocolException.class, () -> Codec.launch(new WireReader(relative)));
        assertTrue(e.getMessage().contains("not absolute"), e.getMessage());
        byte[] noCores = new WireWriter()
                .string("x")
                .string("/prog")
                .strings(List.of())
                .strings(List.of())
                .i32(-1)
                .bool(false)
                .i32(0)
                .i64(64L << 20)
                .bool(false)
                .string("/")
                .bytes();
        e = assertThrows(ProtocolException.class, () -> Codec.launch(new WireReader(noCores)));
        assertTrue(e.getMessage().contains("cores must be at least 1"), e.getMessage());
        byte[] badState = Codec.instance(view());
        String text =
                new String(badState, java.nio.charset.StandardCharsets.ISO_8859_1).replace("RECLAIMED", "RECLAIMXX");
        byte[] mangled = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        e = assertThrows(ProtocolException.class, () -> Codec.instanceOnly(new WireReader(mangled)));
        assertTrue(e.getMessage().contains("unknown instance state 'RECLAIMXX'"), e.getMessage());
    }
}
