/*
 * linux_sizes.h -- sizes of the Linux x86-64 structures the kernel checks a
 * program's pointers for or lays out itself.  Each number is written here
 * only; native/tests/linux_sizes.c asserts every one against the host's
 * Linux headers (UAPI) when `make native` builds it.  Plain #defines: the
 * kernel and that check include this file, nothing else in it.
 */
#ifndef KERNEL_LINUX_SIZES_H
#define KERNEL_LINUX_SIZES_H

#define LINUX_STAT_SIZE             144 /* struct stat (stat, fstat, lstat, newfstatat) */
#define LINUX_STATFS_SIZE           120 /* struct statfs */
#define LINUX_FLOCK_SIZE            32  /* struct flock (fcntl locks) */
#define LINUX_POLLFD_SIZE           8   /* struct pollfd */
#define LINUX_TIMESPEC_SIZE         16  /* struct timespec (ppoll; utimensat takes two) */
#define LINUX_ITIMERVAL_SIZE        32  /* struct itimerval (setitimer, getitimer) */
#define LINUX_ITIMERSPEC_SIZE       32  /* struct itimerspec (timerfd_settime, timerfd_gettime) */
#define LINUX_EPOLL_EVENT_SIZE      12  /* struct epoll_event: packed on x86-64 */
#define LINUX_LOFF_SIZE             8   /* loff_t (sendfile's offset) */
#define LINUX_SOCKLEN_SIZE          4   /* socklen_t (the kernel's int optlen/addrlen) */
#define LINUX_IOVEC_SIZE            16  /* struct iovec */
#define LINUX_MSGHDR_SIZE           56  /* struct msghdr (sendmsg, recvmsg): 7 words */
#define LINUX_MSGHDR_NAMELEN        8   /* its msg_namelen, a socklen_t */
#define LINUX_MSGHDR_FLAGS          48  /* its msg_flags, an int */
#define LINUX_ROBUST_LIST_HEAD_SIZE 24  /* struct robust_list_head (set_robust_list) */
#define LINUX_SIGCONTEXT_SIZE       256 /* struct sigcontext (signal frames) */
#define LINUX_SIGINFO_SIZE          128 /* siginfo_t */
#define LINUX_SYSINFO_SIZE          112 /* struct sysinfo */
#define LINUX_UTSNAME_FIELD         65  /* each of struct utsname's six strings */

#endif
