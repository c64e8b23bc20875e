package org.azalea.service;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.azalea.Version;
import org.azalea.node.ElfImage;
import org.azalea.node.Node;
import org.azalea.node.NodeBootException;
import org.azalea.node.NodeShape;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.LifecycleState;
import org.azalea.sideloader.ManagedInstance;
import org.azalea.sideloader.ResourceUnavailableException;
import org.azalea.sideloader.Sideloader;

/**
 * A node in this process: the sideloader and its node.  The node service
 * serves one of these over its socket; `azalea run` without a service uses
 * one directly.
 */
public final class LocalSession implements NodeSession {
    /** How long a kill may take to end an instance and reclaim it. */
    static final Duration KILL_WAIT = Duration.ofSeconds(20);

    private final Sideloader sideloader;
    private final long readyNanos = System.nanoTime();
    private volatile String socket = "";

    public LocalSession(Sideloader sideloader) {
        this.sideloader = sideloader;
    }

    /** Boots a node and manages it; quadrants {@code fwk} stay the full-weight kernel's. */
    public static LocalSession boot(Node.Config config, Set<Integer> fwk)
            throws IOException, NodeBootException, InterruptedException {
        return new LocalSession(new Sideloader(Node.boot(config), fwk));
    }

    /** Reports {@code socketPath} as where a service serves this node. */
    void servedOn(Path socketPath) {
        this.socket = socketPath.toString();
    }

    public Sideloader sideloader() {
        return sideloader;
    }

    @Override
    public boolean isPrivate() {
        return true;
    }

    @Override
    public NodeStatus status() {
        Node node = sideloader.node();
        NodeShape s = node.shape();
        List<ManagedInstance> all = sideloader.instances();
        int running = (int) all.stream().filter(m -> !m.state().ended()).count();
        int quarantined = (int) all.stream()
                .filter(m -> m.state() == LifecycleState.QUARANTINED)
                .count();
        return new NodeStatus(
                ProcessHandle.current().pid(),
                Version.STRING,
                s.cpus(),
                s.quadrants(),
                s.memoryPerQuadrant(),
                node.config().accel().accelerator().name().toLowerCase(Locale.ROOT),
                node.config().accel().reason(),
                node.bootTime().toMillis(),
                (System.nanoTime() - readyNanos) / 1_000_000,
                node.isAlive(),
                sideloader.resources().usage(),
                running,
                all.size(),
                node.consoleLog().toString(),
                socket,
                quarantined);
    }

    @Override
    public List<InstanceView> instances() {
        return sideloader.instances().stream().map(Views::of).toList();
    }

    @Override
    public InstanceView instance(long id) throws ServiceException {
        return Views.of(managed(id));
    }

    ManagedInstance managed(long id) throws ServiceException {
        return sideloader
                .instance(id)
                .orElseThrow(() -> new ServiceException(
                        Protocol.ErrorCode.NO_SUCH_INSTANCE, "no instance " + id + " (see azalea ps -a)"));
    }

    @Override
    public InstanceHandle launch(LaunchRequest request)
            throws ResourceUnavailableException, ElfImage.NotRunnable, IOException, InterruptedException {
        ManagedInstance mi;
        try {
            mi = sideloader.launch(request);
        } catch (IllegalStateException e) { // the sideloader is closed, or the node's cores are not as expected
            throw new ServiceException(
                    sideloader.node().isAlive() ? Protocol.ErrorCode.INTERNAL : Protocol.ErrorCode.NODE_DOWN,
                    e.getMessage());
        } catch (ServiceException e) {
            throw e;
        } catch (IOException e) {
            throw new ServiceException(
                    sideloader.node().isAlive() ? Protocol.ErrorCode.INTERNAL : Protocol.ErrorCode.NODE_DOWN,
                    e.getMessage());
        }
        InstanceView launched = Views.of(mi);
        return new InstanceHandle() {
            @Override
            public long id() {
                return mi.id();
            }

            @Override
            public InstanceView launched() {
                return launched;
            }

            @Override
            public InstanceView await(Duration timeout) throws InterruptedException {
                return mi.awaitReclaimed(timeout) == null && !mi.state().settled() ? null : Views.of(mi);
            }

            @Override
            public void kill() throws IOException {
                try {
                    sideloader.kill(mi.id());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while killing " + mi, e);
                }
            }
        };
    }

    @Override
    public InstanceView kill(long id) throws IOException, InterruptedException {
        ManagedInstance mi = managed(id);
        if (mi.state().ended()) {
            throw new ServiceException(
                    Protocol.ErrorCode.ENDED,
                    "instance " + id + " (" + mi.name() + ") already ended: "
                            + (mi.outcome() == null
                                    ? mi.state().name().toLowerCase(Locale.ROOT)
                                    : mi.outcome().describe()));
        }
        sideloader.kill(id);
        if (mi.awaitReclaimed(KILL_WAIT) == null && !mi.state().settled()) {
            throw new ServiceException(
                    Protocol.ErrorCode.INTERNAL,
                    "instance " + id + " not reclaimed " + KILL_WAIT.toSeconds() + " s after the kill");
        }
        return Views.of(mi);
    }

    @Override
    public String logs(long id) throws ServiceException {
        return managed(id).console();
    }

    @Override
    public void close() {
        sideloader.close();
    }
}
