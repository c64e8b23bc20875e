package org.azalea.proxy.ipc;

import static org.azalea.host.Linux.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.azalea.host.Errno;
import org.azalea.host.ErrnoException;
import org.azalea.host.LibcEvents;
import org.azalea.proxy.instance.GuestFd;
import org.azalea.proxy.instance.InstanceState;
import org.azalea.proxy.instance.OpenFile;
import org.azalea.ring.Request;

/**
 * timerfd_create, timerfd_settime, timerfd_gettime on host timerfds.  The
 * instance's clocks are its own (the node kernel's CLOCK_MONOTONIC counts from
 * the node's boot, not the host's), so an absolute expiry (TFD_TIMER_ABSTIME)
 * is turned into a relative one with the instance's "now" that the kernel sends
 * along: the same instant, on the host's clock.  Relative times, intervals,
 * expiry counts and timerfd_gettime's remaining time mean the same on both.
 */
public final class TimerOps {
    private static final long NS = 1_000_000_000L;
    private static final int CREATE_FLAGS = TFD_NONBLOCK | TFD_CLOEXEC;
    private static final int SET_FLAGS = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET;

    private final InstanceState s;

    public TimerOps(InstanceState s) {
        this.s = s;
    }

    /** timerfd_create(clockid, flags). */
    public long create(Request r) throws ErrnoException {
        int clock = (int) r.a0();
        int flags = (int) r.a1();
        if ((flags & ~CREATE_FLAGS) != 0) {
            throw new ErrnoException(Errno.EINVAL, "timerfd_create flags 0x" + Integer.toHexString(flags));
        }
        long h = LibcEvents.timerfdCreate(clock, TFD_NONBLOCK | TFD_CLOEXEC); // the host checks the clock
        if (h < 0) return h;
        OpenFile file = OpenFile.timer(clock, (flags & TFD_NONBLOCK) != 0);
        return s.fds().install(new GuestFd((int) h, file, (flags & TFD_CLOEXEC) != 0), 0);
    }

    /**
     * timerfd_settime(fd, flags, new, old, now_monotonic, now_realtime): the last two
     * are the instance's clocks when it made the call, in nanoseconds.
     */
    public long settime(Request r) throws ErrnoException {
        int flags = (int) r.a1();
        if ((flags & ~SET_FLAGS) != 0) {
            throw new ErrnoException(Errno.EINVAL, "timerfd_settime flags 0x" + Integer.toHexString(flags));
        }
        GuestFd f = s.fds().acquire(r.a0());
        try (Arena arena = Arena.ofConfined()) {
            int h = f.host(Errno.EINVAL);
            MemorySegment spec = arena.allocate(ITIMERSPEC_SIZE, 8);
            MemorySegment.copy(s.guest().object(r.a2(), ITIMERSPEC_SIZE), 0, spec, 0, ITIMERSPEC_SIZE);
            nanos(spec, 0); // the interval is relative: checked, passed as it is
            long valueNs = nanos(spec, 16);
            int hostFlags = flags;
            if ((flags & TFD_TIMER_ABSTIME) != 0 && valueNs != 0) {
                int clock = f.file().clockId();
                long now = clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_ALARM ? r.a5() : r.a4();
                long rel = Math.max(1, valueNs - now); // already past: expires at once, as in Linux
                put(spec, 16, rel);
                hostFlags = 0; // relative now; CANCEL_ON_SET only applies to an absolute time
            }
            MemorySegment old = r.a3() == 0 ? MemorySegment.NULL : s.guest().object(r.a3(), ITIMERSPEC_SIZE);
            return LibcEvents.timerfdSettime(h, hostFlags, spec, old);
        } finally {
            f.release();
        }
    }

    /** timerfd_gettime(fd, curr). */
    public long gettime(Request r) throws ErrnoException {
        GuestFd f = s.fds().acquire(r.a0());
        try {
            return LibcEvents.timerfdGettime(f.host(Errno.EINVAL), s.guest().object(r.a1(), ITIMERSPEC_SIZE));
        } finally {
            f.release();
        }
    }

    /** The timespec at {@code at} in nanoseconds; EINVAL when malformed, as Linux checks it. */
    private static long nanos(MemorySegment spec, long at) throws ErrnoException {
        long sec = spec.get(ValueLayout.JAVA_LONG, at);
        long nsec = spec.get(ValueLayout.JAVA_LONG, at + 8);
        if (sec < 0 || nsec < 0 || nsec >= NS) {
            throw new ErrnoException(Errno.EINVAL, "timerfd timespec {" + sec + ", " + nsec + "}");
        }
        return sec > Long.MAX_VALUE / NS - 1 ? Long.MAX_VALUE : sec * NS + nsec;
    }

    private static void put(MemorySegment spec, long at, long ns) {
        spec.set(ValueLayout.JAVA_LONG, at, ns / NS);
        spec.set(ValueLayout.JAVA_LONG, at + 8, ns % NS);
    }
}
