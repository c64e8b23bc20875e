package org.azalea.proxy;

import static org.azalea.abi.abi_h.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.ErrnoNames;
import org.azalea.host.Linux;
import org.azalea.memory.Partition;
import org.azalea.proxy.fs.FdOps;
import org.azalea.proxy.fs.FileIo;
import org.azalea.proxy.fs.FileMaps;
import org.azalea.proxy.fs.PathAttrs;
import org.azalea.proxy.fs.PathOps;
import org.azalea.proxy.fs.PollOps;
import org.azalea.proxy.fs.SelectOps;
import org.azalea.proxy.instance.Blocking;
import org.azalea.proxy.instance.FdTable;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceIdentity;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.MapHandles;
import org.azalea.proxy.instance.NetPolicy;
import org.azalea.proxy.instance.PathResolver;
import org.azalea.proxy.instance.Waiter;
import org.azalea.proxy.ipc.EpollOps;
import org.azalea.proxy.ipc.PipeOps;
import org.azalea.proxy.ipc.TimerOps;
import org.azalea.proxy.net.NameLookup;
import org.azalea.proxy.net.SockOpts;
import org.azalea.proxy.net.SocketIo;
import org.azalea.proxy.net.Sockets;
import org.azalea.ring.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one instance's offloaded system calls on the host: a dispatch table
 * from opcode to handler, over the instance's memory (a {@link Partition}),
 * fd table, root directory, stdio and identity.
 *
 * <p>Thread-safe: the proxy may call {@link #dispatch} from its polling thread
 * and from workers at once (requests for which {@link #mayBlock} is true should
 * go to a worker).  Nothing a guest sends makes dispatch throw: every failure is
 * a {@code -errno} result, logged at debug level with the values involved.
 * After {@link #close()}, requests in flight that were waiting end with -EINTR
 * and new ones get -ECANCELED.
 */
public final class HostSyscalls implements SyscallDispatcher {
    private static final Logger log = LoggerFactory.getLogger(HostSyscalls.class);
    /** Set in {@link #inFlight} once closed; the low bits count requests being served. */
    private static final int CLOSED = 1 << 30;

    // How mayBlock classifies an opcode.
    private static final byte NEVER = 0;
    private static final byte ALWAYS = 1;
    private static final byte ON_FD0 = 2;
    private static final byte ON_FD0_OR_FD1 = 3;
    private static final byte POLL_TIMEOUT = 4;
    private static final byte PPOLL_TIMEOUT = 5;
    private static final byte LOCK_WAIT = 6;
    private static final byte EPOLL_TIMEOUT = 7;
    private static final byte SELECT_TIMEOUT = 8;

    private final InstanceState s;
    private final String name;
    private final SyscallHandler[] table = new SyscallHandler[AZ_OP__LAST()];
    private final byte[] blocking = new byte[AZ_OP__LAST()];
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Integer> reportedUnknown = ConcurrentHashMap.newKeySet();
    /** A guest can send 65,536 distinct opcodes: each is reported once, and those reports are rate-limited. */
    private final RateLimitedLog unknownOps;

    private final java.util.concurrent.atomic.AtomicLong internalErrors = new java.util.concurrent.atomic.AtomicLong();
    private final List<StdinPump> pumps = new ArrayList<>();
    private final EpollOps epoll;
    private final MapHandles maps = new MapHandles();

    /**
     * An instance's dispatcher.
     *
     * @param memory the instance's partition: every guest address is checked against it
     * @param root the instance's root directory (must exist); no path reaches outside it
     * @param stdio what guest fds 0, 1, 2 are bound to
     * @param identity the hostname and version uname and gethostname report
     * @throws IOException when the root cannot be opened or the host lacks openat2 or eventfd
     */
    public HostSyscalls(Partition memory, Path root, Stdio stdio, InstanceIdentity identity) throws IOException {
        this(memory, root, stdio, identity, NetPolicy.DEFAULT);
    }

    /**
     * An instance's dispatcher under network policy {@code net}; the other parameters
     * as in {@link #HostSyscalls(Partition, Path, Stdio, InstanceIdentity)}.
     */
    public HostSyscalls(Partition memory, Path root, Stdio stdio, InstanceIdentity identity, NetPolicy net)
            throws IOException {
        this.name = identity.hostname();
        this.unknownOps = new RateLimitedLog(name, log::warn, 5, 1_000_000_000L, System::nanoTime);
        PathResolver paths = PathResolver.open(root);
        Waiter waiter;
        try {
            waiter = new Waiter();
        } catch (ErrnoException e) {
            paths.close();
            throw new IOException("cannot create the instance's eventfd: " + e.getMessage());
        }
        this.s = new InstanceState(memory, new FdTable(), paths, new Blocking(waiter), net);
        this.epoll = new EpollOps(s);
        try {
            for (int fd = 0; fd < 3; fd++) bindStdio(fd, stdio.binding(fd));
        } catch (ErrnoException e) {
            close();
            throw new IOException("cannot bind stdio: " + e.getMessage());
        }
        fillTable(identity);
    }

    private void fillTable(InstanceIdentity identity) {
        FileIo io = new FileIo(s);
        FdOps fd = new FdOps(s);
        PathOps path = new PathOps(s);
        PathAttrs attr = new PathAttrs(s);
        PollOps poll = new PollOps(s);
        Sockets sock = new Sockets(s);
        SocketIo sio = new SocketIo(s);
        SockOpts opt = new SockOpts(s);
        NameLookup dns = new NameLookup(s);
        IdentityOps id = new IdentityOps(s, identity);
        PipeOps pipe = new PipeOps(s);
        SelectOps select = new SelectOps(s);
        TimerOps timer = new TimerOps(s);
        FileMaps map = new FileMaps(s, maps);

        on(AZ_OP_NOP(), NEVER, r -> 0);
        on(AZ_OP_READ(), ON_FD0, io::read);
        on(AZ_OP_WRITE(), ON_FD0, io::write);
        on(AZ_OP_OPEN(), NEVER, path::open);
        on(AZ_OP_CREAT(), NEVER, path::creat);
        on(AZ_OP_CLOSE(), NEVER, fd::close);
        on(AZ_OP_LSEEK(), NEVER, io::lseek);
        on(AZ_OP_LSTAT(), NEVER, attr::lstat);
        on(AZ_OP_MKDIR(), NEVER, path::mkdir);
        on(AZ_OP_LINK(), NEVER, path::link);
        on(AZ_OP_UNLINK(), NEVER, path::unlink);
        on(AZ_OP_READLINK(), NEVER, path::readlink);
        on(AZ_OP_OPENAT(), NEVER, path::openat);
        on(AZ_OP_UNAME(), NEVER, id::uname);
        on(AZ_OP_GETCWD(), NEVER, attr::getcwd);
        on(AZ_OP_CHDIR(), NEVER, attr::chdir);
        on(AZ_OP_ACCESS(), NEVER, attr::access);
        on(AZ_OP_STAT(), NEVER, attr::stat);
        on(AZ_OP_SYNC(), NEVER, r -> s.paths().syncFileSystem());
        on(AZ_OP_FSTAT(), NEVER, fd::fstat);
        on(AZ_OP_IOCTL(), NEVER, fd::ioctl);
        on(AZ_OP_GETHOSTNAME(), NEVER, id::gethostname);
        on(AZ_OP_GETHOSTBYNAME(), ALWAYS, dns::gethostbyname);
        on(AZ_OP_GETSOCKNAME(), NEVER, sock::getsockname);
        on(AZ_OP_SOCKET(), NEVER, sock::socket);
        on(AZ_OP_BIND(), NEVER, sock::bind);
        on(AZ_OP_LISTEN(), NEVER, sock::listen);
        on(AZ_OP_CONNECT(), ALWAYS, sock::connect);
        on(AZ_OP_ACCEPT(), ALWAYS, sock::accept);
        on(AZ_OP_PREAD64(), NEVER, io::pread);
        on(AZ_OP_PWRITE64(), NEVER, io::pwrite);
        on(AZ_OP_READV(), ON_FD0, io::readv);
        on(AZ_OP_WRITEV(), ON_FD0, io::writev);
        on(AZ_OP_GETDENTS64(), NEVER, io::getdents64);
        on(AZ_OP_NEWFSTATAT(), NEVER, attr::newfstatat);
        on(AZ_OP_FCNTL(), LOCK_WAIT, fd::fcntl);
        on(AZ_OP_FSYNC(), NEVER, io::fsync);
        on(AZ_OP_FDATASYNC(), NEVER, io::fdatasync);
        on(AZ_OP_FTRUNCATE(), NEVER, io::ftruncate);
        on(AZ_OP_RENAME(), NEVER, path::rename);
        on(AZ_OP_RENAMEAT2(), NEVER, path::renameat2);
        on(AZ_OP_RMDIR(), NEVER, path::rmdir);
        on(AZ_OP_SYMLINK(), NEVER, path::symlink);
        on(AZ_OP_CHMOD(), NEVER, attr::chmod);
        on(AZ_OP_FCHMOD(), NEVER, fd::fchmod);
        on(AZ_OP_CHOWN(), NEVER, attr::chown);
        on(AZ_OP_FCHOWN(), NEVER, fd::fchown);
        on(AZ_OP_LCHOWN(), NEVER, attr::lchown);
        on(AZ_OP_UTIMENSAT(), NEVER, attr::utimensat);
        on(AZ_OP_UNLINKAT(), NEVER, path::unlinkat);
        on(AZ_OP_MKDIRAT(), NEVER, path::mkdirat);
        on(AZ_OP_DUP(), NEVER, fd::dup);
        on(AZ_OP_DUP2(), NEVER, fd::dup2);
        on(AZ_OP_DUP3(), NEVER, fd::dup3);
        on(AZ_OP_SENDFILE(), ON_FD0_OR_FD1, io::sendfile);
        on(AZ_OP_UMASK(), NEVER, r -> s.umask((int) r.a0()));
        on(AZ_OP_STATFS(), NEVER, attr::statfs);
        on(AZ_OP_FSTATFS(), NEVER, fd::fstatfs);
        on(AZ_OP_POLL(), POLL_TIMEOUT, poll::poll);
        on(AZ_OP_SENDTO(), ON_FD0, sio::sendto);
        on(AZ_OP_RECVFROM(), ON_FD0, sio::recvfrom);
        on(AZ_OP_SENDMSG(), ON_FD0, sio::sendmsg);
        on(AZ_OP_RECVMSG(), ON_FD0, sio::recvmsg);
        on(AZ_OP_SHUTDOWN(), NEVER, sock::shutdown);
        on(AZ_OP_SETSOCKOPT(), NEVER, opt::setsockopt);
        on(AZ_OP_GETSOCKOPT(), NEVER, opt::getsockopt);
        on(AZ_OP_GETPEERNAME(), NEVER, sock::getpeername);
        on(AZ_OP_ACCEPT4(), ALWAYS, sock::accept4);
        on(AZ_OP_FACCESSAT(), NEVER, attr::faccessat);
        on(AZ_OP_READLINKAT(), NEVER, path::readlinkat);
        on(AZ_OP_SYMLINKAT(), NEVER, path::symlinkat);
        on(AZ_OP_LINKAT(), NEVER, path::linkat);
        on(AZ_OP_FCHMODAT(), NEVER, attr::fchmodat);
        on(AZ_OP_FCHOWNAT(), NEVER, attr::fchownat);
        on(AZ_OP_FCHDIR(), NEVER, fd::fchdir);
        on(AZ_OP_TRUNCATE(), NEVER, path::truncate);
        on(AZ_OP_PPOLL(), PPOLL_TIMEOUT, poll::ppoll);
        on(AZ_OP_PIPE2(), NEVER, pipe::pipe2);
        on(AZ_OP_EVENTFD2(), NEVER, pipe::eventfd2);
        on(AZ_OP_SOCKETPAIR(), NEVER, pipe::socketpair);
        on(AZ_OP_EPOLL_CREATE1(), NEVER, epoll::create1);
        on(AZ_OP_EPOLL_CTL(), NEVER, epoll::ctl);
        on(AZ_OP_EPOLL_PWAIT(), EPOLL_TIMEOUT, epoll::pwait);
        on(AZ_OP_SELECT(), SELECT_TIMEOUT, r -> select.select(r, selectTimeout(r)));
        on(AZ_OP_TIMERFD_CREATE(), NEVER, timer::create);
        on(AZ_OP_TIMERFD_SETTIME(), NEVER, timer::settime);
        on(AZ_OP_TIMERFD_GETTIME(), NEVER, timer::gettime);
        on(AZ_OP_FMAP_OPEN(), NEVER, map::open);
        on(AZ_OP_FMAP_READ(), NEVER, map::read);
        on(AZ_OP_FMAP_WRITE(), NEVER, map::write);
        on(AZ_OP_FMAP_SYNC(), NEVER, map::sync);
        on(AZ_OP_FMAP_CLOSE(), NEVER, map::close);
    }

    /** The select timeout {@link #prepare} fetched (ns, -1 for none), or read now. */
    private long selectTimeout(Request r) throws ErrnoException {
        return r.isFetched() ? r.fetched() : SelectOps.timeoutNs(s, r);
    }

    /** True when {@code opcode} has a handler (an opcode without one is answered ENOSYS). */
    boolean serves(int opcode) {
        return opcode >= 0 && opcode < table.length && table[opcode] != null;
    }

    private void on(int opcode, byte blocks, SyscallHandler handler) {
        table[opcode] = handler;
        blocking[opcode] = blocks;
    }

    private void bindStdio(int fd, Stdio.Binding b) throws ErrnoException {
        GuestFd entry = switch (b) {
            case Stdio.HostFd h -> StdioFds.dupForeign(h.fd(), fd);
            case Stdio.Output o -> StdioFds.output(o.out());
            case Stdio.Input i -> {
                StdinPump p = StdinPump.start(i.in(), name);
                pumps.add(p);
                yield StdioFds.pumped(p.readFd());
            }
        };
        if (entry != null) s.fds().installAt(fd, entry);
    }

    /** Serves one request; its reserved flags were checked where it left the ring (OffloadProxy). */
    @Override
    public long dispatch(Request r) {
        int op = r.opcode();
        SyscallHandler h = op >= 0 && op < table.length ? table[op] : null;
        if (h == null) return unknown(r);
        if (!enter()) return -Errno.ECANCELED;
        try {
            long res = h.handle(r);
            if (res < 0 && log.isDebugEnabled()) {
                log.debug("{}: {}{} -> {}", name, Opcodes.name(op), args(r), ErrnoNames.of((int) -res));
            }
            return res;
        } catch (ErrnoException e) {
            if (log.isDebugEnabled()) {
                log.debug(
                        "{}: {}{} -> {}: {}",
                        name,
                        Opcodes.name(op),
                        args(r),
                        ErrnoNames.of(e.errno()),
                        e.getMessage());
            }
            return e.result();
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException && s.guest().fenced()) {
                // The instance ended while this request ran (a late return from a host call): its memory
                // view is closed, and the access that would have landed in it threw instead.
                log.info("{}: {}{} returned after the instance's memory was closed", name, Opcodes.name(op), args(r));
                return -Errno.EFAULT;
            }
            // A bug of ours, not the guest's: the guest gets EIO and the proxy keeps serving.
            internalErrors.incrementAndGet();
            log.error("{}: {}{} failed inside the proxy", name, Opcodes.name(op), args(r), e);
            return -Errno.EIO;
        } finally {
            exit();
        }
    }

    private long unknown(Request r) {
        if (reportedUnknown.add(r.opcode())) {
            unknownOps.warn(
                    "{}: opcode {} is not served (ENOSYS); further requests with it are not logged", name, r.opcode());
        }
        return -Errno.ENOSYS;
    }

    @Override
    public boolean mayBlock(Request r) {
        int op = r.opcode();
        if (op < 0 || op >= blocking.length) return false;
        return switch (blocking[op]) {
            case ALWAYS -> true;
            case ON_FD0 -> !Blocking.classifiedNonBlocking(r) && fdMayWait(r.a0());
            case ON_FD0_OR_FD1 -> fdMayWait(r.a0()) || fdMayWait(r.a1());
            case POLL_TIMEOUT -> (int) r.a2() != 0;
            case PPOLL_TIMEOUT -> ppollMayWait(r);
            case LOCK_WAIT -> (int) r.a1() == Linux.F_SETLKW || (int) r.a1() == Linux.F_OFD_SETLKW;
            case EPOLL_TIMEOUT -> EpollOps.mayWait(r);
            case SELECT_TIMEOUT -> selectMayWait(r);
            default -> false;
        };
    }

    private boolean fdMayWait(long fd) {
        GuestFd f = s.fds().peek(fd);
        return f != null && (f.file().waitable() || !f.hasHostFd());
    }

    /**
     * The ppoll and select timeouts are read here once, and whether a read or write's
     * fd is non-blocking is decided here once; the handler uses this copy (ReadOnceTest).
     */
    @Override
    public Request prepare(Request r) throws ErrnoException {
        if (r.isFetched()) return r;
        if (r.opcode() == AZ_OP_PPOLL()) return r.withFetched(PollOps.timeoutMs(s, r.a2()));
        if (r.opcode() == AZ_OP_SELECT()) return r.withFetched(SelectOps.timeoutNs(s, r));
        if (r.opcode() == AZ_OP_EPOLL_PWAIT()) return epoll.prepare(r);
        int op = r.opcode();
        if (op >= 0 && op < blocking.length && blocking[op] == ON_FD0 && classifiedNonBlocking(r.a0())) {
            return r.withFetched(Blocking.CLASSIFIED_NON_BLOCKING);
        }
        return r;
    }

    /**
     * A read or write on a non-blocking socket, pipe, eventfd or timerfd of the
     * proxy's own cannot wait: it runs inline (no hand-off to a worker), and the
     * handler is told so, whatever the guest does to O_NONBLOCK meanwhile.
     */
    private boolean classifiedNonBlocking(long fd) {
        GuestFd f = s.fds().peek(fd);
        return f != null
                && f.hasHostFd()
                && f.file().waitable()
                && !f.file().foreign()
                && f.file().nonBlocking();
    }

    private boolean selectMayWait(Request r) {
        try {
            return selectTimeout(r) != 0;
        } catch (ErrnoException e) {
            return false; // it will fail fast with this errno
        }
    }

    private boolean ppollMayWait(Request r) {
        try {
            return PollOps.timeoutMs(s, r) != 0;
        } catch (ErrnoException e) {
            return false; // it will fail fast with this errno
        }
    }

    /** Handler failures that were the proxy's bugs, not the guest's errors (each answered EIO): the fuzzer wants 0. */
    public long internalErrors() {
        return internalErrors.get();
    }

    /** The number of open guest fds (for tests and statistics). */
    public int openFds() {
        return s.fds().count();
    }

    /** The number of open map handles (files the instance kernel keeps for its mappings). */
    public int openMapHandles() {
        return maps.count();
    }

    /** The instance's current directory, as an in-root path. */
    public String cwd() {
        return s.paths().cwd();
    }

    private boolean enter() {
        for (; ; ) {
            int v = inFlight.get();
            if ((v & CLOSED) != 0) return false;
            if (inFlight.compareAndSet(v, v + 1)) return true;
        }
    }

    private void exit() {
        if (inFlight.decrementAndGet() == CLOSED) release();
    }

    /**
     * Wakes every waiting request (-EINTR), closes the instance's fds (each host fd
     * as soon as no request uses it) and, once the last request has left, the root
     * and the eventfd.
     */
    @Override
    public void close() {
        if (!enter()) return; // already closed: our own reference keeps release() after the wake-up
        unknownOps.flush();
        int before = inFlight.getAndUpdate(v -> v | CLOSED);
        if ((before & CLOSED) == 0) {
            s.waiter().wakeAll();
            s.fds().closeAll();
            maps.closeAll();
            pumps.forEach(StdinPump::close);
            log.debug("{}: closed", name);
        }
        exit();
    }

    private void release() {
        s.paths().close();
        s.waiter().close();
    }

    private static String args(Request r) {
        return "(0x" + Long.toHexString(r.a0()) + ", 0x" + Long.toHexString(r.a1()) + ", 0x" + Long.toHexString(r.a2())
                + ", 0x" + Long.toHexString(r.a3()) + ", 0x" + Long.toHexString(r.a4()) + ", 0x"
                + Long.toHexString(r.a5()) + ")";
    }

    /** "READ", "WRITE", ... indexed by opcode, derived from abi_h's AZ_OP_* accessors. */
}
