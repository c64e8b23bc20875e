package org.azalea.service;

import java.io.IOException;
import java.time.Duration;
import org.azalea.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's side of one control connection: the handshake, one request,
 * its reply (or, for RUN, the instance's stdio stream).  The peer is another
 * process: every frame is checked ({@link FrameChannel}, {@link WireReader}),
 * and one that has said nothing useful within {@link #REQUEST_TIMEOUT} is
 * dropped.
 */
final class ServedConnection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ServedConnection.class);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final NodeService service;
    private final FrameChannel ch;

    ServedConnection(NodeService service, FrameChannel ch) {
        this.service = service;
        this.ch = ch;
    }

    @Override
    public void run() {
        try {
            Frame request;
            Deadline deadline = Deadline.closeAfter(ch, REQUEST_TIMEOUT); // a peer that says nothing is dropped
            try {
                if (!handshake()) return;
                request = ch.read();
                if (request == null) return;
            } finally {
                deadline.close();
            }
            serve(request);
        } catch (ProtocolException e) {
            log.warn("control connection: {}", e.getMessage());
            answerError(Protocol.ErrorCode.PROTOCOL, e.getMessage());
        } catch (ServiceException e) {
            answerError(e.code(), e.getMessage());
        } catch (IOException e) {
            log.debug("control connection ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("control request failed", e);
            answerError(Protocol.ErrorCode.INTERNAL, e.toString());
        } finally {
            ch.close(); // after a RUN: its instance ended and was reported, or its client is gone
        }
    }

    private boolean handshake() throws IOException {
        Frame hello = ch.read();
        if (hello == null) return false;
        WireReader r = hello.expect(Protocol.Type.HELLO).reader();
        int magic = r.i32();
        int version = r.u8() << 8 | r.u8();
        r.end();
        if (magic != Protocol.MAGIC) throw new ProtocolException("bad magic 0x" + Integer.toHexString(magic));
        if (version != Protocol.VERSION) {
            throw new ServiceException(
                    Protocol.ErrorCode.VERSION,
                    "this node service speaks protocol " + Protocol.VERSION + ", the command " + version
                            + ": stop the node and start it with this azalea");
        }
        ch.write(
                Protocol.Type.WELCOME,
                new WireWriter()
                        .u8(Protocol.VERSION >> 8)
                        .u8(Protocol.VERSION)
                        .i64(ProcessHandle.current().pid())
                        .string(Version.STRING)
                        .bytes());
        return true;
    }

    private void serve(Frame f) throws IOException, InterruptedException {
        LocalSession s = service.session();
        switch (f.type()) {
            case STATUS -> {
                f.reader().end();
                ch.write(Protocol.Type.NODE_STATUS, Codec.status(s.status()));
            }
            case LIST -> {
                f.reader().end();
                ch.write(Protocol.Type.INSTANCES, Codec.instances(s.instances()));
            }
            case INSPECT -> ch.write(Protocol.Type.INSTANCE, Codec.instance(s.instance(Codec.id(f.reader()))));
            case LOGS -> {
                String text = s.logs(Codec.id(f.reader()));
                ch.write(Protocol.Type.LOG, new WireWriter().string(text).bytes());
            }
            case KILL -> {
                long id = Codec.id(f.reader());
                refuseWhileStopping();
                ch.write(Protocol.Type.INSTANCE, Codec.instance(s.kill(id)));
            }
            case STOP -> {
                f.reader().end();
                String summary = service.stopRequested();
                try {
                    ch.write(
                            Protocol.Type.STOPPED,
                            new WireWriter().string(summary).bytes());
                } finally {
                    service.stopAnswered();
                }
            }
            case RUN -> {
                refuseWhileStopping();
                new ServedRun(service, ch, Codec.launch(f.reader())).run();
            }
            default -> throw new ProtocolException(f.type() + " is not a request");
        }
    }

    private void refuseWhileStopping() throws ServiceException {
        if (service.stopping()) throw new ServiceException(Protocol.ErrorCode.NODE_DOWN, "the node is stopping");
    }

    private void answerError(Protocol.ErrorCode code, String message) {
        try {
            if (ch.isOpen()) ch.error(code, message);
        } catch (IOException e) {
            log.debug("could not send an error: {}", e.toString());
        }
        ch.drainAndClose();
    }
}
