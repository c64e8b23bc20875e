/* syscalls.h -- Linux x86-64 system call numbers we know, and the handlers. */
#ifndef KERNEL_SYSCALLS_H
#define KERNEL_SYSCALLS_H

#include <stdint.h>

#include "inst/inst.h"

#define SYS_read              0
#define SYS_write             1
#define SYS_open              2
#define SYS_close             3
#define SYS_stat              4
#define SYS_fstat             5
#define SYS_lstat             6
#define SYS_poll              7
#define SYS_lseek             8
#define SYS_mmap              9
#define SYS_mprotect          10
#define SYS_munmap            11
#define SYS_brk               12
#define SYS_rt_sigaction      13
#define SYS_rt_sigprocmask    14
#define SYS_rt_sigreturn      15
#define SYS_ioctl             16
#define SYS_pread64           17
#define SYS_pwrite64          18
#define SYS_readv             19
#define SYS_writev            20
#define SYS_access            21
#define SYS_sched_yield       24
#define SYS_mremap            25
#define SYS_msync             26
#define SYS_madvise           28
#define SYS_dup               32
#define SYS_dup2              33
#define SYS_pause             34
#define SYS_nanosleep         35
#define SYS_getitimer         36
#define SYS_alarm             37
#define SYS_setitimer         38
#define SYS_getpid            39
#define SYS_sendfile          40
#define SYS_socket            41
#define SYS_connect           42
#define SYS_accept            43
#define SYS_sendto            44
#define SYS_recvfrom          45
#define SYS_sendmsg           46
#define SYS_recvmsg           47
#define SYS_shutdown          48
#define SYS_bind              49
#define SYS_listen            50
#define SYS_getsockname       51
#define SYS_getpeername       52
#define SYS_setsockopt        54
#define SYS_getsockopt        55
#define SYS_clone             56
#define SYS_fork              57
#define SYS_vfork             58
#define SYS_execve            59
#define SYS_exit              60
#define SYS_wait4             61
#define SYS_kill              62
#define SYS_uname             63
#define SYS_fcntl             72
#define SYS_fsync             74
#define SYS_fdatasync         75
#define SYS_truncate          76
#define SYS_ftruncate         77
#define SYS_getcwd            79
#define SYS_chdir             80
#define SYS_fchdir            81
#define SYS_rename            82
#define SYS_mkdir             83
#define SYS_rmdir             84
#define SYS_creat             85
#define SYS_link              86
#define SYS_unlink            87
#define SYS_symlink           88
#define SYS_readlink          89
#define SYS_chmod             90
#define SYS_fchmod            91
#define SYS_chown             92
#define SYS_fchown            93
#define SYS_lchown            94
#define SYS_umask             95
#define SYS_gettimeofday      96
#define SYS_getrlimit         97
#define SYS_sysinfo           99
#define SYS_getuid            102
#define SYS_getgid            104
#define SYS_geteuid           107
#define SYS_getegid           108
#define SYS_getppid           110
#define SYS_getpgrp           111
#define SYS_getpgid           121
#define SYS_getsid            124
#define SYS_rt_sigpending     127
#define SYS_rt_sigtimedwait   128
#define SYS_rt_sigsuspend     130
#define SYS_sigaltstack       131
#define SYS_statfs            137
#define SYS_fstatfs           138
#define SYS_prctl             157
#define SYS_arch_prctl        158
#define SYS_setrlimit         160
#define SYS_sync              162
#define SYS_gettid            186
#define SYS_tkill             200
#define SYS_time              201
#define SYS_futex             202
#define SYS_sched_setaffinity 203
#define SYS_sched_getaffinity 204
#define SYS_set_tid_address   218
#define SYS_clock_gettime     228
#define SYS_clock_getres      229
#define SYS_clock_nanosleep   230
#define SYS_exit_group        231
#define SYS_tgkill            234
#define SYS_openat            257
#define SYS_mkdirat           258
#define SYS_fchownat          260
#define SYS_newfstatat        262
#define SYS_unlinkat          263
#define SYS_renameat          264
#define SYS_linkat            265
#define SYS_symlinkat         266
#define SYS_readlinkat        267
#define SYS_fchmodat          268
#define SYS_faccessat         269
#define SYS_ppoll             271
#define SYS_set_robust_list   273
#define SYS_get_robust_list   274
#define SYS_utimensat         280
#define SYS_accept4           288
#define SYS_dup3              292
#define SYS_prlimit64         302
#define SYS_getdents64        217
#define SYS_renameat2         316
#define SYS_getcpu            309
#define SYS_getrandom         318
#define SYS_execveat          322
#define SYS_rseq              334
#define SYS_clone3            435
#define SYS_faccessat2        439
/* The descriptor families, offloaded (sys_file.c). */
#define SYS_pipe            22
#define SYS_select          23
#define SYS_socketpair      53
#define SYS_epoll_create    213
#define SYS_epoll_wait      232
#define SYS_epoll_ctl       233
#define SYS_pselect6        270
#define SYS_epoll_pwait     281
#define SYS_timerfd_create  283
#define SYS_eventfd         284
#define SYS_timerfd_settime 286
#define SYS_timerfd_gettime 287
#define SYS_eventfd2        290
#define SYS_epoll_create1   291
#define SYS_pipe2           293

typedef int64_t (*sys_fn)(struct instance *in, const uint64_t *a);

/* sys_mem.c */
int64_t sys_brk(struct instance *in, const uint64_t *a);
int64_t sys_mmap(struct instance *in, const uint64_t *a);
int64_t sys_munmap(struct instance *in, const uint64_t *a);
int64_t sys_mprotect(struct instance *in, const uint64_t *a);
int64_t sys_madvise(struct instance *in, const uint64_t *a);
int64_t sys_mremap(struct instance *in, const uint64_t *a);
int64_t sys_msync(struct instance *in, const uint64_t *a);
/* sys_proc.c */
int64_t sys_exit_group(struct instance *in, const uint64_t *a);
int64_t sys_fork(struct instance *in, const uint64_t *a);
int64_t sys_wait4(struct instance *in, const uint64_t *a);
int64_t sys_rseq(struct instance *in, const uint64_t *a);
int64_t sys_getpid(struct instance *in, const uint64_t *a);
int64_t sys_getppid(struct instance *in, const uint64_t *a);
int64_t sys_getuid(struct instance *in, const uint64_t *a);
int64_t sys_arch_prctl(struct instance *in, const uint64_t *a);
int64_t sys_sched_setaffinity(struct instance *in, const uint64_t *a);
int64_t sys_getcpu(struct instance *in, const uint64_t *a);
/* thread.c */
int64_t sys_clone(struct instance *in, const uint64_t *a);
int64_t sys_clone3(struct instance *in, const uint64_t *a);
int64_t sys_exit(struct instance *in, const uint64_t *a);
int64_t sys_gettid(struct instance *in, const uint64_t *a);
int64_t sys_set_tid_address(struct instance *in, const uint64_t *a);
int64_t sys_set_robust_list(struct instance *in, const uint64_t *a);
int64_t sys_get_robust_list(struct instance *in, const uint64_t *a);
/* signal.c */
int64_t sys_rt_sigaction(struct instance *in, const uint64_t *a);
int64_t sys_rt_sigprocmask(struct instance *in, const uint64_t *a);
int64_t sys_rt_sigreturn(struct instance *in, const uint64_t *a);
int64_t sys_rt_sigpending(struct instance *in, const uint64_t *a);
int64_t sys_rt_sigsuspend(struct instance *in, const uint64_t *a);
int64_t sys_rt_sigtimedwait(struct instance *in, const uint64_t *a);
int64_t sys_sigaltstack(struct instance *in, const uint64_t *a);
int64_t sys_pause(struct instance *in, const uint64_t *a);
int64_t sys_alarm(struct instance *in, const uint64_t *a);
int64_t sys_setitimer(struct instance *in, const uint64_t *a);
int64_t sys_getitimer(struct instance *in, const uint64_t *a);
int64_t sys_kill(struct instance *in, const uint64_t *a);
int64_t sys_tkill(struct instance *in, const uint64_t *a);
int64_t sys_tgkill(struct instance *in, const uint64_t *a);
/* futex.c */
int64_t sys_futex(struct instance *in, const uint64_t *a);
/* sem.c: the Azalea API's semaphores (deadline: TSC, 0 none, 1 do not wait). */
int64_t sem_init(struct instance *in, uint64_t s, uint64_t count);
int64_t sem_destroy(struct instance *in, uint64_t s);
int64_t sem_post(struct instance *in, uint64_t s);
int64_t sem_wait(struct instance *in, uint64_t s, uint64_t deadline, int cancelable);
/* sys_azalea.c: the AZ_SYS_* calls. */
int64_t sys_azalea(struct instance *in, uint64_t nr, const uint64_t *a);
int64_t sys_prlimit64(struct instance *in, const uint64_t *a);
int64_t sys_getrlimit(struct instance *in, const uint64_t *a);
int64_t sys_setrlimit(struct instance *in, const uint64_t *a);
int64_t sys_prctl(struct instance *in, const uint64_t *a);
int64_t sys_uname(struct instance *in, const uint64_t *a);
int64_t sys_sched_yield(struct instance *in, const uint64_t *a);
int64_t sys_sched_getaffinity(struct instance *in, const uint64_t *a);
int64_t sys_getrandom(struct instance *in, const uint64_t *a);
int64_t sys_sysinfo(struct instance *in, const uint64_t *a);
/* sys_time.c */
int64_t sys_clock_gettime(struct instance *in, const uint64_t *a);
int64_t sys_clock_getres(struct instance *in, const uint64_t *a);
int64_t sys_gettimeofday(struct instance *in, const uint64_t *a);
int64_t sys_time(struct instance *in, const uint64_t *a);
int64_t sys_nanosleep(struct instance *in, const uint64_t *a);
int64_t sys_clock_nanosleep(struct instance *in, const uint64_t *a);
/* Nanoseconds on a Linux clock, or -EINVAL. */
int64_t clock_now(struct instance *in, uint64_t clock);
/* A struct timespec at va as a TSC deadline: relative (from now) or
 * absolute on CLOCK_REALTIME (realtime) or CLOCK_MONOTONIC.  0 or -errno. */
int timeout_to_tsc(struct instance *in, uint64_t va, int absolute, int realtime, uint64_t *deadline);
/* sys_file.c: the offloaded calls; -ENOSYS if nr is not one of them. */
int64_t sys_offload(struct instance *in, uint64_t nr, const uint64_t *a, int *handled);
/* AZ_SYS_OFFLOAD_NOP: one empty round trip, for measuring the channel. */
int64_t sys_offload_nop(struct instance *in, const uint64_t *a);

#endif
