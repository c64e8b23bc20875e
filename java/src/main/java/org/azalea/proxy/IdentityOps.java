package org.azalea.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LinuxLayouts;
import org.azalea.proxy.instance.InstanceIdentity;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.ring.Request;

/** uname and gethostname: the instance's identity, not the host's. */
final class IdentityOps {
    private final InstanceState s;
    private final InstanceIdentity identity;

    IdentityOps(InstanceState s, InstanceIdentity identity) {
        this.s = s;
        this.identity = identity;
    }

    /** uname(buf): sysname "Azalea", nodename the hostname, release the version, machine x86_64. */
    long uname(Request r) throws ErrnoException {
        MemorySegment buf = s.guest().object(r.a0(), LinuxLayouts.UTSNAME_SIZE);
        String[] fields = {
            "Azalea", identity.hostname(), identity.release(), "#1 Azalea " + identity.release(), "x86_64", "(none)"
        };
        buf.fill((byte) 0);
        for (int i = 0; i < fields.length; i++) {
            byte[] b = fields[i].getBytes(UTF_8);
            int n = Math.min(b.length, LinuxLayouts.UTSNAME_FIELD - 1); // the version line may run long
            MemorySegment.copy(b, 0, buf, ValueLayout.JAVA_BYTE, (long) i * LinuxLayouts.UTSNAME_FIELD, n);
        }
        return 0;
    }

    /** gethostname(buf, len): ENAMETOOLONG when the name and its NUL do not fit, as glibc's. */
    long gethostname(Request r) throws ErrnoException {
        byte[] name = identity.hostname().getBytes(UTF_8);
        if (Long.compareUnsigned(r.a1(), name.length + 1L) < 0) {
            throw new ErrnoException(
                    Errno.ENAMETOOLONG, "gethostname buffer of " + r.a1() + " bytes for " + (name.length + 1));
        }
        MemorySegment buf = s.guest().object(r.a0(), name.length + 1L);
        MemorySegment.copy(name, 0, buf, ValueLayout.JAVA_BYTE, 0, name.length);
        buf.set(ValueLayout.JAVA_BYTE, name.length, (byte) 0);
        return 0;
    }
}
