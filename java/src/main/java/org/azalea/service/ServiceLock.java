package org.azalea.service;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock a node service holds on its runtime directory's lock
 * file for as long as it lives.  The kernel drops it when the process dies,
 * however it dies, so "the lock is free" is the reliable test for "no service
 * here": two services cannot start at once, and a socket left behind by a
 * dead one is recognised as stale.
 */
final class ServiceLock implements AutoCloseable {
    private final FileChannel file;
    private final FileLock lock;

    private ServiceLock(FileChannel file, FileLock lock) {
        this.file = file;
        this.lock = lock;
    }

    /** The lock, or null when a service (in this process or another) holds it. */
    static ServiceLock tryAcquire(RuntimeDir dir) throws IOException {
        FileChannel f = FileChannel.open(dir.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = f.tryLock();
            if (l != null) return new ServiceLock(f, l);
        } catch (OverlappingFileLockException heldHere) {
            // a service in this very JVM holds it (azalea node start --foreground, tests)
        }
        f.close();
        return null;
    }

    @Override
    public void close() {
        try {
            lock.release();
            file.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}
