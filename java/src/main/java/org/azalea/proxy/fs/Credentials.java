package org.azalea.proxy.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.Linux;
import org.azalea.proxy.instance.GuestFd;

/**
 * What a program may do to ownership and privilege on the host: nothing the
 * service's own user could not have granted it.  A program never makes a
 * set-id file (the bits are dropped from every mode it passes, as a nosuid
 * mount would make them meaningless), never gives a file to another owner (a
 * root service would otherwise chown as root), and never changes the
 * caller's own stdio files, which are the service's, not the instance's.
 */
public final class Credentials {
    static final int S_ISUID = 04000;
    static final int S_ISGID = 02000;

    /** The service's effective uid and gid: /proc/self belongs to them (no libc binding needed). */
    private static final int OWN_UID = attribute("unix:uid");

    private static final int OWN_GID = attribute("unix:gid");

    private Credentials() {}

    /** A guest mode as the host call gets it: permission and sticky bits, never set-uid or set-gid. */
    public static int mode(long guestMode) {
        return (int) guestMode & Linux.S_IALLUGO & ~(S_ISUID | S_ISGID);
    }

    /** EPERM unless each of uid and gid is -1 (unchanged) or the service's own. */
    public static void checkOwner(int uid, int gid) throws ErrnoException {
        if (uid != -1 && uid != OWN_UID || gid != -1 && gid != OWN_GID) {
            throw new ErrnoException(
                    Errno.EPERM,
                    "chown to " + uid + ":" + gid + " (only the service's " + OWN_UID + ":" + OWN_GID + ")");
        }
    }

    /** EPERM for an fd the caller handed in (stdio): its file is the caller's to change, not the program's. */
    public static void checkOwnFile(GuestFd f, String call) throws ErrnoException {
        if (f.file().foreign()) {
            throw new ErrnoException(Errno.EPERM, call + " of a stdio fd bound to the caller's host fd");
        }
    }

    public static int ownUid() {
        return OWN_UID;
    }

    public static int ownGid() {
        return OWN_GID;
    }

    private static int attribute(String name) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), name);
        } catch (IOException e) {
            throw new UncheckedIOException("the service's own " + name, e);
        }
    }
}
