package org.azalea.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of a run on the node service: one thread copies the
 * service's STDOUT/STDERR frames to the caller's streams until EXIT, another
 * sends the caller's stdin within the window the service's CREDITs allow.
 */
final class RemoteRun implements InstanceHandle {
    private static final Logger log = LoggerFactory.getLogger(RemoteRun.class);

    private final FrameChannel ch;
    private final InstanceView launched;
    private final CompletableFuture<InstanceView> end = new CompletableFuture<>();
    private long window = Protocol.STDIN_WINDOW; // guarded by this

    private RemoteRun(FrameChannel ch, InstanceView launched) {
        this.ch = ch;
        this.launched = launched;
    }

    static RemoteRun start(FrameChannel ch, InstanceView launched, InputStream in, OutputStream out, OutputStream err) {
        RemoteRun r = new RemoteRun(ch, launched);
        Thread.ofPlatform().daemon().name("azalea-run-output-" + launched.id()).start(() -> r.receive(out, err));
        Thread.ofPlatform().daemon().name("azalea-run-stdin-" + launched.id()).start(() -> r.sendStdin(in));
        return r;
    }

    private void receive(OutputStream out, OutputStream err) {
        try {
            while (true) {
                Frame f = ch.read();
                if (f == null)
                    throw new IOException("the node service closed the connection before the instance ended");
                switch (f.type()) {
                    case STDOUT -> write(out, f.payload());
                    case STDERR -> write(err, f.payload());
                    case CREDIT -> {
                        WireReader r = f.reader();
                        int n = r.i32();
                        r.end();
                        if (n <= 0 || n > Protocol.STDIN_WINDOW) throw new ProtocolException("credit " + n);
                        synchronized (this) {
                            window = Math.min(Protocol.STDIN_WINDOW, window + n);
                            notifyAll();
                        }
                    }
                    case EXIT -> {
                        end.complete(Codec.instanceOnly(f.reader()));
                        return;
                    }
                    case ERROR -> throw FrameChannel.decodeError(f);
                    default -> throw new ProtocolException(f.type() + " during a run");
                }
            }
        } catch (IOException | RuntimeException e) {
            end.completeExceptionally(e);
        } finally {
            ch.close();
            synchronized (this) {
                notifyAll(); // the stdin thread stops waiting for credit
            }
        }
    }

    private static void write(OutputStream s, byte[] b) throws IOException {
        if (s == null) return;
        s.write(b);
        s.flush();
    }

    private void sendStdin(InputStream in) {
        try {
            if (in != null) {
                byte[] buf = new byte[Protocol.MAX_CHUNK];
                while (true) {
                    int room;
                    synchronized (this) {
                        while (window == 0 && !end.isDone()) wait();
                        if (end.isDone()) return;
                        room = (int) Math.min(window, buf.length);
                    }
                    int n = in.read(buf, 0, room);
                    if (n < 0) break;
                    if (n == 0) continue;
                    synchronized (this) {
                        window -= n;
                    }
                    ch.write(Protocol.Type.STDIN, java.util.Arrays.copyOf(buf, n));
                }
            }
            ch.write(Protocol.Type.STDIN_EOF);
        } catch (IOException e) {
            log.debug("stdin for instance {}: {}", launched.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long id() {
        return launched.id();
    }

    @Override
    public InstanceView launched() {
        return launched;
    }

    @Override
    public InstanceView await(Duration timeout) throws IOException, InterruptedException {
        try {
            return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        }
    }

    @Override
    public void kill() throws IOException {
        if (!end.isDone()) ch.write(Protocol.Type.KILL_RUN);
    }
}
