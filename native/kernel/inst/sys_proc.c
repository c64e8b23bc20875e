/*
 * sys_proc.c -- the process calls an instance answers itself: exit, ids,
 * TLS, limits, uname, randomness, affinity.  One process (pid 1) of many
 * threads (thread.c); fork, vfork and execve do not exist here.
 */
#include "arch/x86.h"
#include "inst/linux_sizes.h"
#include "inst/syscalls.h"
#include "layout.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "node/clock.h"
#include "percpu.h"

#define PID                  1
#define ARCH_SET_GS          0x1001
#define ARCH_SET_FS          0x1002
#define ARCH_GET_FS          0x1003
#define ARCH_GET_GS          0x1004
#define RLIMIT_STACK         3
#define RLIMIT_NOFILE        7
#define RLIM_NLIMITS         16
#define RLIM_INFINITY        (~0ull)
#define THREAD_STACK_DEFAULT (1ull << 20)
#define PR_SET_NAME          15
#define PR_GET_NAME          16
#define GRND_ALLOWED         7 /* NONBLOCK | RANDOM | INSECURE */
#define ECHILD_              10

int64_t sys_exit_group(struct instance *in, const uint64_t *a)
{
    fmap_writeback_all(in); /* stores to shared file mappings reach the files, as Linux's page cache does */
    instance_end(in, AZ_INSTANCE_EXITED, (int32_t)a[0], 0);
}

int64_t sys_fork(struct instance *in, const uint64_t *a)
{
    (void)a;
    uint64_t nr = current_frame()->nr;
    if (nr < MAX_SYSCALL && !(in->unknown_logged[nr / 64] & (1ull << (nr % 64)))) {
        in->unknown_logged[nr / 64] |= 1ull << (nr % 64);
        kprintf("instance %lu: system call %lu (fork, vfork, execve) would make a new process: "
                "not supported in a unikernel (-ENOSYS)\n",
                in->id, nr);
    }
    return -ENOSYS;
}

int64_t sys_wait4(struct instance *in, const uint64_t *a)
{
    (void)in, (void)a;
    return -ECHILD_; /* no child process can exist */
}

int64_t sys_rseq(struct instance *in, const uint64_t *a)
{
    (void)in, (void)a;
    return -ENOSYS; /* glibc then goes without restartable sequences */
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
        current_thread()->fs_base = a[1];
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

/*
 * RLIMIT_STACK: the hard limit is the main thread's stack; the soft limit
 * starts at THREAD_STACK_DEFAULT because glibc gives every new thread a
 * stack of the soft limit's size, and here memory is not overcommitted
 * (a mapping is its partition memory): eight 8 MiB stacks would fill a
 * 64 MiB partition.  A program may raise it up to the hard limit.
 */
static void limit_of(struct instance *in, uint64_t res, uint64_t out[2])
{
    out[0] = out[1] = RLIM_INFINITY;
    if (res == RLIMIT_STACK) {
        out[0] = in->stack_soft ? in->stack_soft : THREAD_STACK_DEFAULT;
        out[1] = in->stack_size;
    } else if (res == RLIMIT_NOFILE) {
        out[0] = out[1] = 1024;
    }
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
            return -EINVAL;
        if (a[1] == RLIMIT_STACK) {
            if (want[1] > cur[1] || want[0] < PAGE_SIZE)
                return -EPERM;
            in->stack_soft = want[0];
        } /* others: accepted, unchanged */
    }
    return a[3] ? copy_to_user(in, a[3], cur, sizeof cur) : 0;
}

int64_t sys_getrlimit(struct instance *in, const uint64_t *a)
{
    const uint64_t args[4] = {0, a[0], 0, a[1]};
    return sys_prlimit64(in, args);
}

int64_t sys_setrlimit(struct instance *in, const uint64_t *a)
{
    const uint64_t args[4] = {0, a[0], a[1], 0};
    return sys_prlimit64(in, args);
}

int64_t sys_prctl(struct instance *in, const uint64_t *a)
{
    switch (a[0]) {
    case PR_SET_NAME: {
        char name[16] = {0};
        uint64_t len;
        int r = user_strlen(in, a[1], sizeof name, &len);
        if (r == -ENAMETOOLONG)
            len = sizeof name - 1, r = 0;
        if (r)
            return r;
        if (copy_from_user(in, name, a[1], len))
            return -EFAULT;
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
    char u[6][LINUX_UTSNAME_FIELD];
    memset(u, 0, sizeof u);
    strlcpy(u[0], "Azalea", LINUX_UTSNAME_FIELD);
    strlcpy(u[1], "azalea", LINUX_UTSNAME_FIELD);
    strlcpy(u[2], "1.0.0", LINUX_UTSNAME_FIELD); /* new enough for any libc's kernel-version check */
    ksnprintf(u[3], LINUX_UTSNAME_FIELD, "#1 SMP instance %lu", in->id);
    strlcpy(u[4], "x86_64", LINUX_UTSNAME_FIELD);
    strlcpy(u[5], "(none)", LINUX_UTSNAME_FIELD);
    return copy_to_user(in, a[0], u, sizeof u);
}

int64_t sys_sched_yield(struct instance *in, const uint64_t *a)
{
    (void)in, (void)a;
    sched_yield();
    return 0;
}

int64_t sys_sched_setaffinity(struct instance *in, const uint64_t *a)
{
    /* Accepted if it names a core of the instance; threads stay on the
     * core they were placed on (sched.c). */
    if (a[0] != 0 && a[0] != PID && !thread_by_tid(in, (uint32_t)a[0]))
        return -ESRCH;
    uint8_t mask[AZ_BOOT_MAX_CPUS / 8] = {0};
    uint64_t len = a[1] < sizeof mask ? a[1] : sizeof mask;
    int r = copy_from_user(in, mask, a[2], len);
    if (r)
        return r;
    for (uint32_t i = 0; i < in->ncpus && i / 8 < len; i++)
        if (mask[i / 8] & (1u << (i % 8)))
            return 0;
    return -EINVAL;
}

int64_t sys_getcpu(struct instance *in, const uint64_t *a)
{
    struct cpu *c = this_cpu();
    uint32_t cpu = c->inst_pos, node = c->numa_node;
    if (a[0] && copy_to_user(in, a[0], &cpu, 4))
        return -EFAULT;
    if (a[1] && copy_to_user(in, a[1], &node, 4))
        return -EFAULT;
    return 0;
}

int64_t sys_sched_getaffinity(struct instance *in, const uint64_t *a)
{
    /* One bit per core of the instance, as glibc and musl count CPUs. */
    uint8_t mask[AZ_BOOT_MAX_CPUS / 8] = {0};
    uint64_t bytes = (in->ncpus + 63) / 64 * 8;
    if (a[0] != 0 && a[0] != PID && !thread_by_tid(in, (uint32_t)a[0]))
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
    /* Through a kernel buffer and copy_to_user, which checks each chunk
     * under mm_lock: another thread may unmap the buffer meanwhile. */
    uint8_t chunk[256];
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        random_bytes(in, chunk, n);
        if (copy_to_user(in, a[0] + done, chunk, n))
            return done ? (int64_t)done : -EFAULT;
        done += n;
    }
    return (int64_t)len;
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
    _Static_assert(sizeof si == LINUX_SYSINFO_SIZE, "sysinfo");
    memset(&si, 0, sizeof si);
    si.uptime = (int64_t)(clock_monotonic_ns() / 1000000000ull);
    si.totalram = in->mem_hi - in->mem_lo;
    si.freeram = si.totalram / 2; /* an estimate: the VMAs know better, but nothing needs it exact */
    si.procs = 1;
    si.mem_unit = 1;
    return copy_to_user(in, a[0], &si, sizeof si);
}
