/*
 * syscall.c -- Linux system call numbers to handlers (xv6's syscall.c).
 * Calls the instance serves itself are in the table; the Azalea calls
 * (AZ_SYS_*) go to sys_azalea; the file and network calls go through
 * sys_offload; anything else is -ENOSYS, logged once per number.  On the
 * way back: the end of the instance, a pending switch, signals.
 */
#include "inst/signal.h"
#include "inst/syscalls.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "percpu.h"

static const sys_fn table[MAX_SYSCALL] = {
    [SYS_brk] = sys_brk,
    [SYS_mmap] = sys_mmap,
    [SYS_munmap] = sys_munmap,
    [SYS_mprotect] = sys_mprotect,
    [SYS_madvise] = sys_madvise,
    [SYS_mremap] = sys_mremap,
    [SYS_msync] = sys_msync,
    [SYS_exit] = sys_exit,
    [SYS_exit_group] = sys_exit_group,
    [SYS_clone] = sys_clone,
    [SYS_clone3] = sys_clone3,
    [SYS_fork] = sys_fork,
    [SYS_vfork] = sys_fork,
    [SYS_execve] = sys_fork,
    [SYS_execveat] = sys_fork,
    [SYS_wait4] = sys_wait4,
    [SYS_rseq] = sys_rseq,
    [SYS_getpid] = sys_getpid,
    [SYS_gettid] = sys_gettid,
    [SYS_getppid] = sys_getppid,
    [SYS_getpgrp] = sys_getpid,
    [SYS_getpgid] = sys_getpid,
    [SYS_getsid] = sys_getpid,
    [SYS_getuid] = sys_getuid,
    [SYS_geteuid] = sys_getuid,
    [SYS_getgid] = sys_getuid,
    [SYS_getegid] = sys_getuid,
    [SYS_arch_prctl] = sys_arch_prctl,
    [SYS_set_tid_address] = sys_set_tid_address,
    [SYS_set_robust_list] = sys_set_robust_list,
    [SYS_get_robust_list] = sys_get_robust_list,
    [SYS_rt_sigaction] = sys_rt_sigaction,
    [SYS_rt_sigprocmask] = sys_rt_sigprocmask,
    [SYS_rt_sigreturn] = sys_rt_sigreturn,
    [SYS_rt_sigpending] = sys_rt_sigpending,
    [SYS_rt_sigsuspend] = sys_rt_sigsuspend,
    [SYS_rt_sigtimedwait] = sys_rt_sigtimedwait,
    [SYS_sigaltstack] = sys_sigaltstack,
    [SYS_pause] = sys_pause,
    [SYS_alarm] = sys_alarm,
    [SYS_setitimer] = sys_setitimer,
    [SYS_getitimer] = sys_getitimer,
    [SYS_kill] = sys_kill,
    [SYS_tkill] = sys_tkill,
    [SYS_tgkill] = sys_tgkill,
    [SYS_prlimit64] = sys_prlimit64,
    [SYS_getrlimit] = sys_getrlimit,
    [SYS_setrlimit] = sys_setrlimit,
    [SYS_prctl] = sys_prctl,
    [SYS_uname] = sys_uname,
    [SYS_sched_yield] = sys_sched_yield,
    [SYS_sched_getaffinity] = sys_sched_getaffinity,
    [SYS_sched_setaffinity] = sys_sched_setaffinity,
    [SYS_getcpu] = sys_getcpu,
    [SYS_getrandom] = sys_getrandom,
    [SYS_futex] = sys_futex,
    [SYS_sysinfo] = sys_sysinfo,
    [SYS_clock_gettime] = sys_clock_gettime,
    [SYS_clock_getres] = sys_clock_getres,
    [SYS_gettimeofday] = sys_gettimeofday,
    [SYS_time] = sys_time,
    [SYS_nanosleep] = sys_nanosleep,
    [SYS_clock_nanosleep] = sys_clock_nanosleep,
};

static int64_t dispatch(struct instance *in, struct syscall_frame *f)
{
    const uint64_t *a = &f->rdi; /* rdi, rsi, rdx, r10, r8, r9: the six arguments in order */
    uint64_t nr = f->nr;
    if (nr < MAX_SYSCALL && table[nr])
        return table[nr](in, a);
    if (nr >= AZ_SYS_BASE && nr < AZ_SYS__LAST)
        return sys_azalea(in, nr, a);
    int handled = 0;
    int64_t r = nr < MAX_SYSCALL ? sys_offload(in, nr, a, &handled) : -ENOSYS;
    if (handled)
        return r;
    if (nr < MAX_SYSCALL && !(in->unknown_logged[nr / 64] & (1ull << (nr % 64)))) {
        in->unknown_logged[nr / 64] |= 1ull << (nr % 64);
        kprintf("instance %lu: system call %lu not implemented (-ENOSYS)\n", in->id, nr);
    } else if (nr >= MAX_SYSCALL) {
        kprintf("instance %lu: system call %lu out of range (-ENOSYS)\n", in->id, nr);
    }
    return -ENOSYS;
}

void syscall_dispatch(struct syscall_frame *f)
{
    struct instance *in = this_cpu()->inst;
    f->rax = (uint64_t)dispatch(in, f);
    syscall_return_work(f);
}

void syscall_return_work(struct syscall_frame *f)
{
    struct instance *in = this_cpu()->inst;
    if (__atomic_load_n(&in->ending, __ATOMIC_ACQUIRE))
        instance_leave();
    sched_return_to_user();
    signal_deliver_syscall(f);
}
