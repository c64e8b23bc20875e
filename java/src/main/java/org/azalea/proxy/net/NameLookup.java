package org.azalea.proxy.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.azalea.abi.abi_h;
import org.azalea.abi.az_hostent;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LinuxNet;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.ring.Request;

/**
 * gethostbyname(name, family, out, outlen): the host resolves the name
 * (InetAddress: the JVM's resolver and cache) and writes a struct az_hostent,
 * at most {@code outlen} bytes of it.  Only addresses that fit whole in
 * {@code outlen} are counted.  A name that does not resolve, or has no address
 * of the family, is ENOENT.  The lookup may block on DNS, and close() cannot
 * interrupt it (it ends with the resolver's own timeout): it holds no guest
 * memory meanwhile (the answer is built in a private buffer and copied through
 * the checked path afterwards), so the instance's end can still close its memory
 * view, and a late answer then throws instead of landing in a reused partition.  Under network policy
 * none there are no lookups (EACCES): a query the host sends for a program is
 * network traffic too.
 */
public final class NameLookup {
    /** NI_MAXHOST: the longest host name, with its NUL. */
    private static final int MAX_NAME = 1025;
    /** Bytes of one address slot in az_hostent.addr. */
    private static final int ADDR_BYTES = 16;

    /** struct az_hostent of abi.h, from the bindings (checked against gcc by AbiLayoutTest). */
    public static final GroupLayout HOSTENT = az_hostent.layout();

    public static final long COUNT = az_hostent.count$offset();
    public static final long FAMILY = az_hostent.family$offset();
    public static final long ADDR = az_hostent.addr$offset();

    private final InstanceState s;

    public NameLookup(InstanceState s) {
        this.s = s;
    }

    /** gethostbyname(name, family, out, outlen): returns the number of addresses written. */
    public long gethostbyname(Request r) throws ErrnoException {
        if (s.net() == NetPolicy.NONE) {
            throw new ErrnoException(Errno.EACCES, "network policy none: no name lookups");
        }
        int family = (int) r.a1();
        if (family != LinuxNet.AF_UNSPEC && family != LinuxNet.AF_INET && family != LinuxNet.AF_INET6) {
            throw new ErrnoException(Errno.EAFNOSUPPORT, "gethostbyname family " + family);
        }
        if (Long.compareUnsigned(r.a3(), FAMILY) < 0) { // not even count and reserved fit
            throw new ErrnoException(Errno.EINVAL, "az_hostent buffer of " + r.a3() + " bytes");
        }
        long size = Long.compareUnsigned(r.a3(), HOSTENT.byteSize()) > 0 ? HOSTENT.byteSize() : r.a3();
        MemorySegment out = s.guest().object(r.a2(), size);
        String name = s.guest().string(r.a0(), MAX_NAME);
        if (name.isEmpty()) throw new ErrnoException(Errno.ENOENT, "empty host name");
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new ErrnoException(Errno.ENOENT, "host " + name + " does not resolve");
        }
        int fit = (int) Math.min(abi_h.AZ_HOSTENT_MAX_ADDRS(), Math.max(0, (size - ADDR) / ADDR_BYTES));
        MemorySegment answer = MemorySegment.ofArray(new byte[(int) HOSTENT.byteSize()]);
        int count = 0;
        boolean any = false;
        for (InetAddress a : all) {
            int f = a instanceof Inet4Address ? LinuxNet.AF_INET : a instanceof Inet6Address ? LinuxNet.AF_INET6 : -1;
            if (family != LinuxNet.AF_UNSPEC && f != family) continue;
            any = true;
            if (count == fit) break;
            byte[] bytes = a.getAddress(); // network byte order
            answer.set(ValueLayout.JAVA_SHORT_UNALIGNED, FAMILY + 2L * count, (short) f);
            MemorySegment.copy(bytes, 0, answer, JAVA_BYTE, ADDR + (long) ADDR_BYTES * count, bytes.length);
            count++;
        }
        if (!any) throw new ErrnoException(Errno.ENOENT, "host " + name + " has no address of family " + family);
        answer.set(ValueLayout.JAVA_INT_UNALIGNED, COUNT, count);
        MemorySegment.copy(answer, 0, out, 0, size);
        return count;
    }
}
