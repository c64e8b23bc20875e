package org.azalea.proxy;

import java.io.OutputStream;
import org.azalea.host.ErrnoException;
import org.azalea.host.ErrnoNames;
import org.azalea.host.LibcIo;
import org.azalea.host.Linux;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.OpenFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The guest fd entries for each kind of {@link Stdio} binding. */
final class StdioFds {
    private static final Logger log = LoggerFactory.getLogger(StdioFds.class);

    private StdioFds() {}

    /** A dup of the caller's host fd, marked foreign (its flags are the caller's); null if it is not open. */
    static GuestFd dupForeign(int hostFd, int guestFd) throws ErrnoException {
        long dup = LibcIo.fcntl(hostFd, Linux.F_DUPFD_CLOEXEC, 0);
        if (dup < 0) {
            log.warn(
                    "stdio host fd {} for guest fd {} is unusable ({}): guest fd {} stays closed",
                    hostFd,
                    guestFd,
                    ErrnoNames.of((int) -dup),
                    guestFd);
            return null;
        }
        try {
            return new GuestFd((int) dup, OpenFile.foreign(OpenFile.kindOf((int) dup)), false);
        } catch (ErrnoException e) {
            LibcIo.close((int) dup);
            throw e;
        }
    }

    /** A Java output stream (already close-shielded by {@link Stdio.Output}). */
    static GuestFd output(OutputStream out) {
        return new GuestFd(-1, OpenFile.outputStream(out), false);
    }

    /** The read end of a {@link StdinPump}'s pipe; the entry owns it. */
    static GuestFd pumped(int readFd) {
        return new GuestFd(readFd, OpenFile.pipe(), false);
    }
}
