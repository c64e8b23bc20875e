package org.azalea.proxy;

import org.azalea.host.ErrnoException;
import org.azalea.ring.Request;

/** Serves one opcode: returns the result ({@code >= 0} or {@code -errno}), or throws ErrnoException. */
@FunctionalInterface
public interface SyscallHandler {
    long handle(Request r) throws ErrnoException;
}
