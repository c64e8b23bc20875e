package org.azalea.cli;

import java.io.IOException;
import java.util.Optional;
import org.azalea.service.RemoteSession;
import org.azalea.service.RuntimeDir;

/** Finding the user's node service. */
final class Nodes {
    private Nodes() {}

    /** The running service, if any (a stale socket is removed on the way). */
    static Optional<RemoteSession> running() throws IOException {
        return RemoteSession.attach(RuntimeDir.standard());
    }

    static RemoteSession require() throws IOException, NoNodeException {
        return running().orElseThrow(NoNodeException::new);
    }

    /** An instance id operand. */
    static long id(String text) throws UsageException {
        try {
            long id = Long.parseLong(text);
            if (id < 1) throw new NumberFormatException();
            return id;
        } catch (NumberFormatException e) {
            throw new UsageException("'" + text + "' is not an instance id (see azalea ps)");
        }
    }
}
