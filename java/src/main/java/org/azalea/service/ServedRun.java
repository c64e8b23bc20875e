package org.azalea.service;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.azalea.node.ElfImage;
import org.azalea.sideloader.LaunchRequest;
import org.azalea.sideloader.ResourceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's side of `azalea run` on a running node: launches the
 * instance with its stdio bound to the connection, relays stdin (within the
 * client's window) and kills, and reports the instance's end once its
 * resources are reclaimed.  A client that goes away first takes its instance
 * with it.
 */
final class ServedRun {
    private static final Logger log = LoggerFactory.getLogger(ServedRun.class);

    private final NodeService service;
    private final FrameChannel ch;
    private final LaunchRequest request;
    private volatile InstanceHandle handle;
    private volatile boolean exitSent;
    /** Output the instance writes before STARTED is on the wire waits here: the client expects STARTED first. */
    private final java.util.concurrent.CountDownLatch startedSent = new java.util.concurrent.CountDownLatch(1);

    ServedRun(NodeService service, FrameChannel ch, LaunchRequest request) {
        this.service = service;
        this.ch = ch;
        this.request = request;
    }

    /** Runs on the connection's thread until the connection ends. */
    void run() throws IOException, InterruptedException {
        StdinBuffer stdin = new StdinBuffer(Protocol.STDIN_WINDOW, this::credit);
        LaunchRequest r = new LaunchRequest(
                request.name(),
                request.program(),
                request.args(),
                request.env(),
                request.partition(),
                request.root(),
                stdin,
                new FrameOutput(Protocol.Type.STDOUT),
                new FrameOutput(Protocol.Type.STDERR),
                request.net());
        try {
            handle = service.session().launch(r);
        } catch (ResourceUnavailableException e) {
            throw new ServiceException(Protocol.ErrorCode.BUSY, e.getMessage());
        } catch (ElfImage.NotRunnable | IllegalArgumentException e) {
            throw new ServiceException(Protocol.ErrorCode.NOT_RUNNABLE, e.getMessage());
        }
        service.runStarted(this);
        try {
            try {
                ch.write(Protocol.Type.STARTED, Codec.instance(handle.launched()));
            } catch (IOException e) {
                service.runEnded(this); // no EXIT to deliver: the client is gone (its instance is killed below)
                throw e;
            } finally {
                startedSent.countDown();
            }
            Thread.ofVirtual().name("azalea-run-exit-" + handle.id()).start(this::reportExit);
            relayClientFrames(stdin);
        } catch (ProtocolException e) {
            log.warn("instance {}: {}; killing it", handle.id(), e.getMessage());
            throw e; // answered by the connection
        } catch (IOException e) {
            log.debug("run connection of instance {}: {}", handle.id(), e.toString());
        } finally {
            startedSent.countDown();
            stdin.end();
            if (!exitSent) killQuietly("its client went away");
        }
    }

    private void relayClientFrames(StdinBuffer stdin) throws IOException {
        while (true) {
            Frame f = ch.read();
            if (f == null) return;
            switch (f.type()) {
                case STDIN -> {
                    if (!stdin.offer(f.payload())) {
                        throw protocolError(
                                "stdin beyond the " + Protocol.STDIN_WINDOW + "-byte window, or after its end");
                    }
                }
                case STDIN_EOF -> {
                    f.reader().end();
                    stdin.end();
                }
                case KILL_RUN -> {
                    f.reader().end();
                    killQuietly("its client asked");
                }
                default -> throw protocolError(f.type() + " during a run");
            }
        }
    }

    private static ProtocolException protocolError(String why) {
        return new ProtocolException(why);
    }

    private void reportExit() {
        try {
            InstanceView end = handle.await(Duration.ofDays(3650));
            ch.write(Protocol.Type.EXIT, Codec.instance(end));
            exitSent = true;
        } catch (IOException e) {
            log.debug("instance {}: its client did not get the exit: {}", handle.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            service.runEnded(this);
            ch.close(); // ends the relay loop
        }
    }

    private void credit(int n) {
        try {
            ch.write(Protocol.Type.CREDIT, new WireWriter().i32(n).bytes());
        } catch (IOException e) {
            // the client is gone; the relay loop sees it too
        }
    }

    private void killQuietly(String why) {
        InstanceHandle h = handle;
        if (h == null) return;
        try {
            log.info("killing instance {}: {}", h.id(), why);
            h.kill();
        } catch (IOException | RuntimeException e) {
            log.debug("instance {}: kill: {}", h.id(), e.toString());
        }
    }

    /** The service stops and this connection did not finish in time. */
    void abort() {
        ch.close();
    }

    /**
     * An instance's stdout or stderr as frames.  A client that is gone must
     * not fail the instance's writes (its console log still gets them): output
     * to a closed connection is dropped.
     */
    private final class FrameOutput extends OutputStream {
        private final Protocol.Type type;
        private volatile boolean broken;

        FrameOutput(Protocol.Type type) {
            this.type = type;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                if (!startedSent.await(30, java.util.concurrent.TimeUnit.SECONDS)) broken = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                broken = true;
            }
            for (int done = 0; done < len && !broken; ) {
                int n = Math.min(len - done, Protocol.MAX_CHUNK);
                byte[] chunk = new byte[n];
                System.arraycopy(b, off + done, chunk, 0, n);
                try {
                    ch.write(type, chunk);
                } catch (IOException e) {
                    broken = true;
                }
                done += n;
            }
        }
    }
}
