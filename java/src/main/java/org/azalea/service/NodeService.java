package org.azalea.service;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.azalea.node.Node;
import org.azalea.node.NodeBootException;
import org.azalea.sideloader.Sideloader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node as a service: one booted node and its sideloader, served to the
 * user's commands over a Unix domain socket ({@link Protocol}).  One service
 * per runtime directory, guaranteed by {@link ServiceLock}.
 *
 * <p>Stopping (a STOP request, SIGTERM/SIGINT through the shutdown hook, or the
 * node going down by itself) closes the socket to new commands, kills every
 * instance, lets each run connection deliver its EXIT, stops QEMU, removes the
 * node's shared-memory files, the socket, and releases the lock.
 */
public final class NodeService {
    private static final Logger log = LoggerFactory.getLogger(NodeService.class);
    private static final Duration RUNS_DRAIN = Duration.ofSeconds(5);

    /** Another service holds the runtime directory. */
    public static final class AlreadyRunning extends Exception {
        AlreadyRunning(String message) {
            super(message);
        }
    }

    private final RuntimeDir dir;
    private final ServiceLock lock;
    private final LocalSession session;
    private final ServerSocketChannel server;
    private final Set<ServedRun> runs = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch stopAnswered = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean stopping;
    private volatile boolean nodeFailed;

    private NodeService(RuntimeDir dir, ServiceLock lock, LocalSession session, ServerSocketChannel server) {
        this.dir = dir;
        this.lock = lock;
        this.session = session;
        this.server = server;
    }

    /**
     * Takes the runtime directory, boots a node and starts serving it.  The
     * socket appears only once the node is ready, so a client that can connect
     * can use it.
     *
     * @throws AlreadyRunning when a service already holds the directory
     */
    public static NodeService start(RuntimeDir dir, Node.Config config, Set<Integer> fwk)
            throws AlreadyRunning, IOException, NodeBootException, InterruptedException {
        dir.create();
        ServiceLock lock = ServiceLock.tryAcquire(dir);
        if (lock == null) throw new AlreadyRunning("a node is already running (socket " + dir.socket() + ")");
        LocalSession session = null;
        try {
            // We hold the lock: a socket, a QEMU or shared memory of an earlier service here are a dead one's.
            Leftovers.cleanUp(dir);
            Leftovers.record(dir);
            session = new LocalSession(new Sideloader(Node.boot(config), fwk));
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(dir.socket()));
            session.servedOn(dir.socket());
            NodeService s = new NodeService(dir, lock, session, server);
            Thread.ofPlatform().name("azalea-service-accept").daemon().start(s::acceptLoop);
            Thread.ofVirtual().name("azalea-service-watchdog").start(s::watchNode);
            log.info("serving the node on {}", dir.socket());
            return s;
        } catch (IOException | NodeBootException | InterruptedException | RuntimeException e) {
            if (session != null) session.close();
            Files.deleteIfExists(dir.socket());
            Leftovers.forget(dir);
            lock.close();
            throw e;
        }
    }

    public LocalSession session() {
        return session;
    }

    public RuntimeDir dir() {
        return dir;
    }

    boolean stopping() {
        return stopping;
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) return;
                log.warn("accept failed: {}", e.toString());
                continue;
            }
            Thread.ofVirtual().name("azalea-service-conn").start(new ServedConnection(this, new FrameChannel(c)));
        }
    }

    /** The node can die under us (QEMU killed, a node panic): then the service ends, leaving nothing behind. */
    private void watchNode() {
        Node node = session.sideloader().node();
        try {
            while (!stopping) {
                if (!node.isAlive()) {
                    log.error("the node went down (QEMU exited; console: {}); stopping the service", node.consoleLog());
                    nodeFailed = true;
                    stop("the node went down");
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void runStarted(ServedRun r) {
        runs.add(r);
    }

    void runEnded(ServedRun r) {
        synchronized (runs) {
            runs.remove(r);
            runs.notifyAll();
        }
    }

    /**
     * Stops everything this service holds; idempotent (a second caller waits
     * for the first to finish).  Returns a one-line summary.
     */
    public synchronized String stop(String why) {
        if (stopped.getCount() == 0) return "already stopped";
        stopping = true;
        log.info("stopping: {}", why);
        int running = session.status().running();
        try {
            server.close();
        } catch (IOException e) {
            log.warn("closing the socket: {}", e.toString());
        }
        session.close(); // kills every instance, waits for their reclaim, stops QEMU, removes its files
        drainRuns();
        try {
            Files.deleteIfExists(dir.socket());
        } catch (IOException e) {
            log.warn("could not remove {}: {}", dir.socket(), e.toString());
        }
        Leftovers.forget(dir);
        lock.close();
        stopped.countDown();
        String summary =
                "node stopped (" + why + "): " + running + " running instance" + (running == 1 ? "" : "s") + " killed";
        log.info(summary);
        return summary;
    }

    /** Gives each run connection a moment to send its instance's EXIT. */
    private void drainRuns() {
        long deadline = System.nanoTime() + RUNS_DRAIN.toNanos();
        synchronized (runs) {
            try {
                while (!runs.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        log.warn("{} run connection(s) still open after {} s", runs.size(), RUNS_DRAIN.toSeconds());
                        break;
                    }
                    runs.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ServedRun r : runs) r.abort();
    }

    /** A client's STOP: stops, and lets {@link #awaitStopped} wait until the client has its answer. */
    String stopRequested() {
        stopRequested = true;
        return stop("requested");
    }

    void stopAnswered() {
        stopAnswered.countDown();
    }

    /** Blocks until the service stopped; returns the process status it should exit with. */
    public int awaitStopped() throws InterruptedException {
        stopped.await();
        if (stopRequested) stopAnswered.await(2, TimeUnit.SECONDS);
        return nodeFailed ? 1 : 0;
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }
}
