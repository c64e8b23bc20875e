package org.azalea.service;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.azalea.node.ElfImage;
import org.azalea.node.Node;
import org.azalea.node.NodeBootException;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.ResourceUnavailableException;

/**
 * A node to run unikernel instances on: either one this process booted (a
 * private node, closed with the session) or the user's node service, reached
 * through its control socket (closing the session leaves the node running).
 * Both behave the same: the same sideloader allocates, launches and reclaims
 * behind either, and both throw the same exceptions.
 *
 * <pre>{@code
 * try (NodeSession node = NodeSession.attachOrBoot(Node.Config.defaults(buildDir))) {
 *     InstanceHandle h = node.launch(LaunchRequest.of(program, List.of(), PartitionRequest.of(2, 64L << 20), root));
 *     InstanceView end = h.await(Duration.ofMinutes(1));
 * }
 * }</pre>
 */
public interface NodeSession extends AutoCloseable {
    /** The user's running node service, if there is one (a stale socket is removed). */
    static Optional<NodeSession> attach() throws IOException {
        return RemoteSession.attach(RuntimeDir.standard()).map(s -> s);
    }

    /** Boots a private node; quadrants {@code fullWeightKernel} are never given to instances. */
    static NodeSession boot(Node.Config config, Set<Integer> fullWeightKernel)
            throws IOException, NodeBootException, InterruptedException {
        return LocalSession.boot(config, fullWeightKernel);
    }

    /** The running node service if there is one, else a private node booted with {@code config} (quadrant 0 the FWK's). */
    static NodeSession attachOrBoot(Node.Config config) throws IOException, NodeBootException, InterruptedException {
        Optional<NodeSession> running = attach();
        return running.isPresent() ? running.get() : boot(config, Set.of(0));
    }

    /** True for a node this session booted (it stops with the session). */
    boolean isPrivate();

    NodeStatus status() throws IOException;

    /** Every instance the node keeps: running ones, and the last ended ones. */
    List<InstanceView> instances() throws IOException;

    /** @throws ServiceException NO_SUCH_INSTANCE */
    InstanceView instance(long id) throws IOException;

    /**
     * Allocates the request's partition and starts its program there.  The
     * request's streams are the instance's stdio (null: no input; output only in
     * its log).
     *
     * @throws ResourceUnavailableException when the partition cannot be had now; the message says what is free
     * @throws ElfImage.NotRunnable when the program cannot run as an instance
     */
    InstanceHandle launch(LaunchRequest request)
            throws ResourceUnavailableException, ElfImage.NotRunnable, IOException, InterruptedException;

    /**
     * Kills an instance and waits until its resources are reclaimed.
     *
     * @throws ServiceException NO_SUCH_INSTANCE, or ENDED when it already ended
     */
    InstanceView kill(long id) throws IOException, InterruptedException;

    /** The last 64 KiB of its stdout and stderr. */
    String logs(long id) throws IOException;

    /** Private node: kills every instance and stops the node.  Attached: only lets go of it. */
    @Override
    void close();
}
