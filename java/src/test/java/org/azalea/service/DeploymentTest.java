package org.azalea.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.azalea.node.NodeShape;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.sideloader.PartitionRequest;
import org.junit.jupiter.api.Test;

/** The deployment file format: the shipped file, and every kind of mistake named with its line. */
class DeploymentTest {
    static final Path BUILD = Path.of("/b");
    static final Path FILE = Path.of("/d/x.deploy");

    static Deployment parse(String text) throws Deployment.Invalid {
        return Deployment.parse(FILE, text.lines().toList(), BUILD);
    }

    static void invalid(String expected, String text) {
        Deployment.Invalid e = assertThrows(Deployment.Invalid.class, () -> parse(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void theShippedDeploymentIsThePapers() throws Exception {
        Path file = Path.of(System.getProperty("azalea.build.dir", "build"))
                .toAbsolutePath()
                .getParent()
                .resolve("deploy/knl-snc4.deploy");
        Deployment d = Deployment.read(file, BUILD);
        assertEquals(NodeShape.KNL_SNC4, d.shape());
        assertEquals(Set.of(0), d.fullWeightKernel());
        assertEquals(3, d.entries().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(PartitionRequest.quadrant(i + 1), d.entries().get(i).partition(), "whole quadrant " + (i + 1));
            assertTrue(d.entries().get(i).program().startsWith(BUILD.resolve("deploy")));
        }
    }

    @Test
    void fieldsAndPaths() throws Exception {
        Deployment d = parse("""
                # comment
                node 16 4 256M   # trailing comment
                fwk 1
                run a any 2 64M prog x y
                run b 2 all 128M $BUILD/deploy/aim7
                run c 3 all all /abs/p
                run d 2 1 64M net=none prog z
                """);
        assertEquals(new NodeShape(16, 4, 256L << 20), d.shape());
        assertEquals(Set.of(1), d.fullWeightKernel());
        Deployment.Entry a = d.entries().get(0);
        assertEquals(PartitionRequest.of(2, 64L << 20), a.partition());
        assertEquals(Path.of("/d/prog"), a.program());
        assertEquals(List.of("x", "y"), a.args());
        assertEquals(4, a.line());
        assertEquals(
                new PartitionRequest(2, true, 0, 128L << 20, false),
                d.entries().get(1).partition());
        assertEquals(Path.of("/b/deploy/aim7"), d.entries().get(1).program());
        assertEquals(PartitionRequest.quadrant(3), d.entries().get(2).partition());
        assertEquals(NetPolicy.LOOPBACK, a.net());
        Deployment.Entry n = d.entries().get(3);
        assertEquals(NetPolicy.NONE, n.net());
        assertEquals(Path.of("/d/prog"), n.program());
        assertEquals(List.of("z"), n.args());
    }

    @Test
    void mistakesNameTheirLine() {
        invalid("x.deploy: no run line", "# nothing\n");
        invalid("x.deploy:1: unknown directive 'rn'", "rn a 1 1 64M p\n");
        invalid("x.deploy:1: run needs NAME", "run a 1 1 64M\n");
        invalid("x.deploy:1: network policy 'wide'", "run a 1 1 64M net=wide p\n");
        invalid("x.deploy:1: run needs a PROGRAM after net=host", "run a 1 1 64M net=host\n");
        invalid("x.deploy:2: instance name 'a' used twice", "run a 1 1 64M p\nrun a 2 1 64M p\n");
        invalid("x.deploy:1: instance name '-a'", "run -a 1 1 64M p\n");
        invalid("x.deploy:1: quadrant: 'one' is not a number", "run a one 1 64M p\n");
        invalid("x.deploy:1: cores: 'x' is not a number", "run a 1 x 64M p\n");
        invalid("x.deploy:1: not a size: 'lots'", "run a 1 1 lots p\n");
        invalid("x.deploy:1: memory all needs cores all", "run a 1 1 all p\n");
        invalid("x.deploy:1: cores all needs a quadrant", "run a any all all p\n");
        invalid("x.deploy:2: quadrant 1 is given whole twice", "run a 1 all all p\nrun b 1 all 64M p\n");
        invalid("x.deploy:1: quadrant 0 is the full-weight kernel's", "run a 0 1 64M p\n");
        invalid("x.deploy:2: quadrant 4: the node has quadrants 0..3", "node 8 4 64M\nrun a 4 1 64M p\n");
        invalid("x.deploy:1: 7 cpus cannot be split evenly", "node 7 4 64M\nrun a 1 1 64M p\n");
        invalid("x.deploy:1: fwk needs one QUADRANT", "fwk\nrun a 1 1 64M p\n");
        invalid("cores must be at least 1", "run a 1 0 64M p\n");
    }

    @Test
    void withoutAFullWeightKernelQuadrantZeroIsUsable() throws Exception {
        assertEquals(
                0,
                parse("fwk none\nrun a 0 1 64M p\n")
                        .entries()
                        .getFirst()
                        .partition()
                        .quadrant());
        assertEquals(
                Set.of(),
                parse("node 4 1 64M\nrun a 0 1 16M p\n").fullWeightKernel(),
                "one quadrant: no FWK by default");
    }
}
