package org.azalea.service;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.azalea.node.ElfImage;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.ResourceUnavailableException;

/**
 * The user's node service, reached through its control socket: one
 * connection per request (Unix sockets are cheap), each with a deadline so a
 * service that stopped answering fails a command instead of hanging it.
 */
public final class RemoteSession implements NodeSession {
    private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = LocalSession.KILL_WAIT.plusSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);

    private final RuntimeDir dir;
    private final long pid;
    private final String version;

    private RemoteSession(RuntimeDir dir, long pid, String version) {
        this.dir = dir;
        this.pid = pid;
        this.version = version;
    }

    /**
     * The service of {@code dir}, if one answers.  A socket whose service is
     * dead (its lock free) is removed.
     */
    public static Optional<RemoteSession> attach(RuntimeDir dir) throws IOException {
        if (!Files.exists(dir.socket())) return Optional.empty();
        FrameChannel ch;
        try {
            ch = FrameChannel.connect(dir.socket());
        } catch (SocketException e) { // ECONNREFUSED: nobody listens
            removeStaleSocket(dir);
            return Optional.empty();
        }
        try (ch) {
            Frame welcome = hello(ch);
            WireReader r = welcome.reader();
            r.u8();
            r.u8();
            long pid = r.i64();
            String version = r.string(Protocol.MAX_STRING, "version");
            r.end();
            return Optional.of(new RemoteSession(dir, pid, version));
        }
    }

    private static void removeStaleSocket(RuntimeDir dir) throws IOException {
        try (ServiceLock lock = ServiceLock.tryAcquire(dir)) {
            // Lock free: no service lives, the socket is a dead one's.  Held: one is starting or stopping.
            if (lock != null) Leftovers.cleanUp(dir);
        }
    }

    private static Frame hello(FrameChannel ch) throws IOException {
        try (Deadline d = Deadline.closeAfter(ch, HELLO_TIMEOUT)) {
            ch.write(
                    Protocol.Type.HELLO,
                    new WireWriter()
                            .i32(Protocol.MAGIC)
                            .u8(Protocol.VERSION >> 8)
                            .u8(Protocol.VERSION)
                            .bytes());
            return expect(read(ch, d, HELLO_TIMEOUT), Protocol.Type.WELCOME);
        }
    }

    private static Frame read(FrameChannel ch, Deadline d, Duration timeout) throws IOException {
        Frame f;
        try {
            f = ch.read();
        } catch (ClosedChannelException e) {
            if (d.fired())
                throw new IOException("the node service did not answer within " + timeout.toSeconds() + " s");
            throw e;
        }
        if (f == null) throw new IOException("the node service closed the connection");
        return f;
    }

    /** The frame, or the service's ERROR as an exception. */
    static Frame expect(Frame f, Protocol.Type type) throws IOException {
        if (f.type() == Protocol.Type.ERROR) throw FrameChannel.decodeError(f);
        return f.expect(type);
    }

    private FrameChannel open() throws IOException {
        FrameChannel ch;
        try {
            ch = FrameChannel.connect(dir.socket());
        } catch (SocketException e) {
            throw new ServiceException(
                    Protocol.ErrorCode.NODE_DOWN, "the node service is gone (" + e.getMessage() + ")");
        }
        try {
            hello(ch);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private Frame call(Protocol.Type request, byte[] payload, Protocol.Type reply, Duration timeout)
            throws IOException {
        try (FrameChannel ch = open();
                Deadline d = Deadline.closeAfter(ch, timeout)) {
            ch.write(request, payload);
            return expect(read(ch, d, timeout), reply);
        }
    }

    /** The service's process id. */
    public long pid() {
        return pid;
    }

    public String serviceVersion() {
        return version;
    }

    @Override
    public boolean isPrivate() {
        return false;
    }

    @Override
    public NodeStatus status() throws IOException {
        return Codec.status(call(Protocol.Type.STATUS, new byte[0], Protocol.Type.NODE_STATUS, REQUEST_TIMEOUT)
                .reader());
    }

    @Override
    public List<InstanceView> instances() throws IOException {
        return Codec.instances(call(Protocol.Type.LIST, new byte[0], Protocol.Type.INSTANCES, REQUEST_TIMEOUT)
                .reader());
    }

    @Override
    public InstanceView instance(long id) throws IOException {
        return Codec.instanceOnly(call(Protocol.Type.INSPECT, Codec.id(id), Protocol.Type.INSTANCE, REQUEST_TIMEOUT)
                .reader());
    }

    @Override
    public InstanceView kill(long id) throws IOException {
        return Codec.instanceOnly(call(Protocol.Type.KILL, Codec.id(id), Protocol.Type.INSTANCE, KILL_TIMEOUT)
                .reader());
    }

    @Override
    public String logs(long id) throws IOException {
        WireReader r = call(Protocol.Type.LOGS, Codec.id(id), Protocol.Type.LOG, REQUEST_TIMEOUT)
                .reader();
        String text = r.string(Protocol.Type.LOG.maxPayload, "log");
        r.end();
        return text;
    }

    /**
     * Stops the service: every instance killed, QEMU stopped, its files and the
     * socket removed; returns once the service process has exited.
     */
    public String stopService() throws IOException, InterruptedException {
        WireReader r = call(Protocol.Type.STOP, new byte[0], Protocol.Type.STOPPED, STOP_TIMEOUT)
                .reader();
        String summary = r.string(Protocol.MAX_STRING, "summary");
        r.end();
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isPresent()) {
            try {
                p.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException(
                        "the node service (pid " + pid + ") stopped its node but did not exit within 30 s");
            }
        }
        return summary;
    }

    @Override
    public InstanceHandle launch(LaunchRequest request)
            throws ResourceUnavailableException, ElfImage.NotRunnable, IOException, InterruptedException {
        // The service has no working directory of ours: paths go absolute.
        LaunchRequest abs = new LaunchRequest(
                request.name(),
                request.program().toAbsolutePath(),
                request.args(),
                request.env(),
                request.partition(),
                request.root().toAbsolutePath(),
                null,
                null,
                null,
                request.net());
        FrameChannel ch = open();
        try {
            Frame started;
            try (Deadline d = Deadline.closeAfter(ch, REQUEST_TIMEOUT)) {
                ch.write(Protocol.Type.RUN, Codec.launch(abs));
                started = read(ch, d, REQUEST_TIMEOUT);
            }
            if (started.type() == Protocol.Type.ERROR) {
                ServiceException e = FrameChannel.decodeError(started);
                switch (e.code()) {
                    case BUSY -> throw new ResourceUnavailableException(e.getMessage());
                    case NOT_RUNNABLE -> throw new ElfImage.NotRunnable(e.getMessage());
                    default -> throw e;
                }
            }
            InstanceView v =
                    Codec.instanceOnly(started.expect(Protocol.Type.STARTED).reader());
            return RemoteRun.start(ch, v, request.stdin(), request.stdout(), request.stderr());
        } catch (IOException | ResourceUnavailableException | ElfImage.NotRunnable | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void close() {
        // Nothing held between requests; the node keeps running.
    }
}
