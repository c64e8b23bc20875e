/*
 * sys_proc.c -- the process calls an instance answers itself: exit, ids,
 * TLS, signal bookkeeping, limits, uname, randomness.  One process, one
 * thread for now (threads come with the threads issue): pid = tid = 1.
 */
#include "arch/cpu.h"
#include "arch/x86.h"
#include "inst/syscalls.h"
#include "layout.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "node/clock.h"
#include "percpu.h"

#define PID 1
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define SIG_DFL 0
#define SIG_IGN 1
#define SIGKILL 9
#define SIGSTOP 19
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define RLIMIT_STACK 3
#define RLIMIT_NOFILE 7
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0ull)
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define GRND_ALLOWED 7 /* NONBLOCK | RANDOM | INSECURE */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_CMD_MASK 0x7f /* without FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME */
#define ETIMEDOUT 110

int64_t sys_exit_group(struct instance *in, const uint64_t *a)
{
    instance_end(in, AZ_INSTANCE_EXITED, (int32_t)a[0], 0);
}

int64_t sys_getpid(struct instance *in, const uint64_t *a)
{
    (void)in, (void)a;
    return PID;
}

int64_t sys_getppid(struct instance *in, const uint64_t *a)
{
    (void)in, (void)a;
    return 0;
}

int64_t sys_getuid(struct instance *in, const uint64_t *a)
{
    (void)in, (void)a;
    return 0;
}

int64_t sys_arch_prctl(struct instance *in, const uint64_t *a)
{
    switch (a[0]) {
    case ARCH_SET_FS:
        if (a[1] >= (1ull << 47))
            return -EPERM;
        wrmsr(MSR_FS_BASE, a[1]);
        return 0;
    case ARCH_GET_FS: {
        uint64_t fs = rdmsr(MSR_FS_BASE);
        return copy_to_user(in, a[1], &fs, sizeof fs);
    }
    case ARCH_GET_GS: {
        uint64_t zero = 0;
        return copy_to_user(in, a[1], &zero, sizeof zero);
    }
    case ARCH_SET_GS:
        return -EPERM; /* %gs is the kernel's (percpu.h) */
    default:
        return -EINVAL;
    }
}

int64_t sys_set_tid_address(struct instance *in, const uint64_t *a)
{
    in->tid_address = a[0];
    return PID;
}

int64_t sys_set_robust_list(struct instance *in, const uint64_t *a)
{
    if (a[1] != 24) /* sizeof(struct robust_list_head) */
        return -EINVAL;
    in->robust_list = a[0];
    in->robust_len = a[1];
    return 0;
}

int64_t sys_rt_sigaction(struct instance *in, const uint64_t *a)
{
    uint64_t sig = a[0];
    if (sig < 1 || sig > NSIG || a[3] != 8)
        return -EINVAL;
    struct k_sigaction *slot = &in->sigact[sig - 1], next;
    if (a[1]) {
        if (sig == SIGKILL || sig == SIGSTOP)
            return -EINVAL;
        int r = copy_from_user(in, &next, a[1], sizeof next);
        if (r)
            return r;
    }
    if (a[2]) {
        int r = copy_to_user(in, a[2], slot, sizeof *slot);
        if (r)
            return r;
    }
    if (a[1])
        *slot = next; /* recorded: handlers run once signals are delivered */
    return 0;
}

int64_t sys_rt_sigprocmask(struct instance *in, const uint64_t *a)
{
    if (a[3] != 8)
        return -EINVAL;
    uint64_t set = 0, old = in->sigmask;
    if (a[1]) {
        int r = copy_from_user(in, &set, a[1], sizeof set);
        if (r)
            return r;
        set &= ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
        switch (a[0]) {
        case SIG_BLOCK: in->sigmask |= set; break;
        case SIG_UNBLOCK: in->sigmask &= ~set; break;
        case SIG_SETMASK: in->sigmask = set; break;
        default: return -EINVAL;
        }
    }
    return a[2] ? copy_to_user(in, a[2], &old, sizeof old) : 0;
}

/* A signal to ourselves: ignored, or (default action) the end of the
 * instance with the shell's 128 + signal status.  Handlers: later. */
static int64_t signal_self(struct instance *in, uint64_t sig)
{
    if (sig == 0)
        return 0;
    if (sig > NSIG)
        return -EINVAL;
    uint64_t h = in->sigact[sig - 1].handler;
    if (h == SIG_IGN && sig != SIGKILL)
        return 0;
    if (h != SIG_DFL && sig != SIGKILL) {
        kprintf("instance %lu: signal %lu has a handler; delivery is not supported yet\n", in->id, sig);
        return 0;
    }
    /* Default actions that do not terminate: SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
    if (sig == 17 || sig == 18 || sig == 23 || sig == 28)
        return 0;
    char msg[MSG_MAX];
    ksnprintf(msg, sizeof msg, "killed by signal %lu", sig);
    kprintf("instance %lu: %s\n", in->id, msg);
    instance_end(in, AZ_INSTANCE_EXITED, (int32_t)(128 + sig), msg);
}

int64_t sys_kill(struct instance *in, const uint64_t *a)
{
    int64_t pid = (int64_t)a[0];
    if (pid != PID && pid != 0 && pid != -1)
        return -ESRCH;
    return signal_self(in, a[1]);
}

int64_t sys_tkill(struct instance *in, const uint64_t *a)
{
    return a[0] == PID ? signal_self(in, a[1]) : -ESRCH;
}

int64_t sys_tgkill(struct instance *in, const uint64_t *a)
{
    return a[0] == PID && a[1] == PID ? signal_self(in, a[2]) : -ESRCH;
}

static void limit_of(struct instance *in, uint64_t res, uint64_t out[2])
{
    out[0] = out[1] = RLIM_INFINITY;
    if (res == RLIMIT_STACK)
        out[0] = out[1] = in->stack_size;
    else if (res == RLIMIT_NOFILE)
        out[0] = out[1] = 1024;
}

int64_t sys_prlimit64(struct instance *in, const uint64_t *a)
{
    if (a[0] != 0 && a[0] != PID)
        return -ESRCH;
    if (a[1] >= RLIM_NLIMITS)
        return -EINVAL;
    uint64_t cur[2];
    limit_of(in, a[1], cur);
    if (a[2]) {
        uint64_t want[2];
        int r = copy_from_user(in, want, a[2], sizeof want);
        if (r)
            return r;
        if (want[0] > want[1])
            return -EINVAL; /* accepted otherwise; our limits do not change */
    }
    return a[3] ? copy_to_user(in, a[3], cur, sizeof cur) : 0;
}

int64_t sys_getrlimit(struct instance *in, const uint64_t *a)
{
    const uint64_t args[4] = { 0, a[0], 0, a[1] };
    return sys_prlimit64(in, args);
}

int64_t sys_setrlimit(struct instance *in, const uint64_t *a)
{
    const uint64_t args[4] = { 0, a[0], a[1], 0 };
    return sys_prlimit64(in, args);
}

int64_t sys_prctl(struct instance *in, const uint64_t *a)
{
    switch (a[0]) {
    case PR_SET_NAME: {
        char name[16] = { 0 };
        uint64_t len;
        int r = user_strlen(in, a[1], sizeof name, &len);
        if (r == -ENAMETOOLONG)
            len = sizeof name - 1, r = 0;
        if (r)
            return r;
        memcpy(name, (const void *)a[1], len);
        memcpy(in->comm, name, sizeof name);
        return 0;
    }
    case PR_GET_NAME:
        return copy_to_user(in, a[1], in->comm, sizeof in->comm);
    default:
        return -EINVAL;
    }
}

int64_t sys_uname(struct instance *in, const uint64_t *a)
{
    char u[6][65];
    memset(u, 0, sizeof u);
    strlcpy(u[0], "Azalea", 65);
    strlcpy(u[1], "azalea", 65);
    strlcpy(u[2], "1.0.0", 65); /* new enough for any libc's kernel-version check */
    ksnprintf(u[3], 65, "#1 SMP instance %lu", in->id);
    strlcpy(u[4], "x86_64", 65);
    strlcpy(u[5], "(none)", 65);
    return copy_to_user(in, a[0], u, sizeof u);
}

int64_t sys_sched_yield(struct instance *in, const uint64_t *a)
{
    (void)in, (void)a;
    return 0;
}

int64_t sys_sched_getaffinity(struct instance *in, const uint64_t *a)
{
    /* One bit per core of the instance, as glibc and musl count CPUs. */
    uint8_t mask[AZ_BOOT_MAX_CPUS / 8] = { 0 };
    uint64_t bytes = (in->ncpus + 63) / 64 * 8;
    if ((a[0] != 0 && a[0] != PID))
        return -ESRCH;
    if (a[1] < bytes || a[1] % 8)
        return -EINVAL;
    for (uint32_t i = 0; i < in->ncpus; i++)
        mask[i / 8] |= (uint8_t)(1u << (i % 8));
    int r = copy_to_user(in, a[2], mask, bytes);
    return r ? r : (int64_t)bytes;
}

int64_t sys_getrandom(struct instance *in, const uint64_t *a)
{
    uint64_t len = a[1];
    if (a[2] & ~(uint64_t)GRND_ALLOWED)
        return -EINVAL;
    if (len > 33554431)
        len = 33554431; /* Linux's cap per call */
    int r = user_ok(in, a[0], len, PROT_WRITE);
    if (r)
        return r;
    random_bytes(in, (void *)a[0], len);
    return (int64_t)len;
}

int64_t sys_futex(struct instance *in, const uint64_t *a)
{
    /* One thread: nobody else can wake a waiter, nobody waits to be woken. */
    uint64_t op = a[1] & FUTEX_CMD_MASK;
    if (op == FUTEX_WAKE || op == FUTEX_WAKE_BITSET)
        return 0;
    if (op != FUTEX_WAIT && op != FUTEX_WAIT_BITSET)
        return -ENOSYS;
    uint32_t now;
    int r = copy_from_user(in, &now, a[0], sizeof now);
    if (r)
        return r;
    if (now != (uint32_t)a[2])
        return -EAGAIN;
    kprintf("instance %lu: futex wait with no other thread: would sleep for ever\n", in->id);
    return -ETIMEDOUT;
}

int64_t sys_sysinfo(struct instance *in, const uint64_t *a)
{
    struct {
        int64_t uptime;
        uint64_t loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
        uint16_t procs, pad;
        uint32_t pad2;
        uint64_t totalhigh, freehigh;
        uint32_t mem_unit;
        char reserved[4];
    } si;
    memset(&si, 0, sizeof si);
    si.uptime = (int64_t)(clock_monotonic_ns() / 1000000000ull);
    si.totalram = in->mem_hi - in->mem_lo;
    si.freeram = si.totalram / 2; /* an estimate: the VMAs know better, but nothing needs it exact */
    si.procs = 1;
    si.mem_unit = 1;
    return copy_to_user(in, a[0], &si, sizeof si);
}
