package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.azalea.host.Errno;
import org.azalea.host.LinuxLayouts;
import org.azalea.host.LinuxNet;
import org.azalea.proxy.instance.InstanceIdentity;
import org.azalea.proxy.net.NameLookup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** uname, gethostname and gethostbyname answer with the instance's identity and the host's resolver. */
class IdentityTest {
    private static final long HOSTENT_SIZE = NameLookup.HOSTENT.byteSize();
    private static final long FAMILY = NameLookup.FAMILY;
    private static final long ADDR = NameLookup.ADDR;

    @TempDir
    Path root;

    Guest g;

    @BeforeEach
    void start() throws Exception {
        g = new Guest(root, Stdio.discard(), "node-7");
    }

    @AfterEach
    void stop() {
        g.close();
    }

    @Test
    void unameIsAzaleas() {
        long buf = g.alloc(LinuxLayouts.UTSNAME_SIZE);
        assertEquals(0, g.call(AZ_OP_UNAME(), buf));
        int f = LinuxLayouts.UTSNAME_FIELD;
        assertEquals("Azalea", g.cString(buf));
        assertEquals("node-7", g.cString(buf + f));
        assertEquals("0.1.0-test", g.cString(buf + 2L * f));
        assertTrue(g.cString(buf + 3L * f).contains("Azalea"));
        assertEquals("x86_64", g.cString(buf + 4L * f));
        assertEquals(-Errno.EFAULT, g.call(AZ_OP_UNAME(), Guest.BASE + Guest.SIZE - 100));
    }

    @Test
    void gethostnameFitsOrFails() {
        long buf = g.alloc(16);
        assertEquals(0, g.call(AZ_OP_GETHOSTNAME(), buf, 16));
        assertEquals("node-7", g.cString(buf));
        assertEquals(0, g.call(AZ_OP_GETHOSTNAME(), buf, 7), "exactly the name and its NUL");
        assertEquals(-Errno.ENAMETOOLONG, g.call(AZ_OP_GETHOSTNAME(), buf, 6));
        assertEquals(-Errno.ENAMETOOLONG, g.call(AZ_OP_GETHOSTNAME(), buf, 0));
    }

    @Test
    void identityFieldsMustFitUtsname() {
        assertThrows(IllegalArgumentException.class, () -> new InstanceIdentity("x".repeat(65), "1"));
        assertThrows(IllegalArgumentException.class, () -> new InstanceIdentity("a\0b", "1"));
        assertThrows(IllegalArgumentException.class, () -> new InstanceIdentity("", "1"));
    }

    @Test
    void gethostbynameResolvesOnTheHost() {
        long out = g.alloc(HOSTENT_SIZE);
        long n = g.call(AZ_OP_GETHOSTBYNAME(), g.str("localhost"), LinuxNet.AF_INET, out, HOSTENT_SIZE);
        assertTrue(n >= 1, "count " + n);
        assertEquals(n, g.getInt(out));
        assertEquals(LinuxNet.AF_INET, g.getShort(out + FAMILY));
        assertArrayEquals(new byte[] {127, 0, 0, 1}, g.read(out + ADDR, 4));

        assertEquals(1, g.call(AZ_OP_GETHOSTBYNAME(), g.str("::1"), LinuxNet.AF_UNSPEC, out, HOSTENT_SIZE));
        assertEquals(LinuxNet.AF_INET6, g.getShort(out + FAMILY));
        byte[] v6 = new byte[16];
        v6[15] = 1;
        assertArrayEquals(v6, g.read(out + ADDR, 16));

        assertEquals(
                -Errno.ENOENT,
                g.call(AZ_OP_GETHOSTBYNAME(), g.str("::1"), LinuxNet.AF_INET, out, HOSTENT_SIZE),
                "no address of that family");
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_GETHOSTBYNAME(), g.str("no-such-host.invalid"), 0, out, HOSTENT_SIZE));
        assertEquals(-Errno.ENOENT, g.call(AZ_OP_GETHOSTBYNAME(), g.str(""), 0, out, HOSTENT_SIZE));
        assertEquals(-Errno.EAFNOSUPPORT, g.call(AZ_OP_GETHOSTBYNAME(), g.str("localhost"), 99, out, HOSTENT_SIZE));
    }

    @Test
    void gethostbynameWritesAtMostTheGivenLength() {
        long out = g.alloc(HOSTENT_SIZE + 8);
        g.at(out, HOSTENT_SIZE + 8).fill((byte) 0x5A);
        assertEquals(1, g.call(AZ_OP_GETHOSTBYNAME(), g.str("127.0.0.1"), 0, out, ADDR + 16), "one address fits");
        assertEquals(1, g.getInt(out));
        assertArrayEquals(new byte[] {127, 0, 0, 1}, g.read(out + ADDR, 4));
        assertEquals(0x5A, g.read(out + ADDR + 16, 1)[0], "nothing written past the length");

        assertEquals(0, g.call(AZ_OP_GETHOSTBYNAME(), g.str("127.0.0.1"), 0, out, 8), "only the count fits");
        assertEquals(-Errno.EINVAL, g.call(AZ_OP_GETHOSTBYNAME(), g.str("127.0.0.1"), 0, out, 4));
        assertEquals(
                -Errno.EFAULT,
                g.call(AZ_OP_GETHOSTBYNAME(), g.str("127.0.0.1"), 0, Guest.BASE + Guest.SIZE - 8, HOSTENT_SIZE));
        assertEquals(1, g.call(AZ_OP_GETHOSTBYNAME(), g.str("127.0.0.1"), 0, out, -1L), "a huge length is capped");
    }
}
