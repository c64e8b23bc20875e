/*
 * linux_sizes.c -- the sizes the node kernel uses for Linux structures
 * (native/kernel/inst/linux_sizes.h) against the host's Linux headers.
 * Compiling this file is the check: `make native` builds it, and a wrong
 * number stops the build naming the structure.  Only UAPI headers (what a
 * Linux kernel itself promises programs), except for struct msghdr, struct
 * iovec and struct itimerval, whose UAPI definitions clash with libc's
 * headers: libc's, whose layout on x86-64 is the kernel's.
 */
#include <asm/poll.h>
#include <asm/sigcontext.h>
#include <asm/siginfo.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <linux/eventpoll.h>
#include <linux/fcntl.h>
#include <linux/futex.h>
#include <linux/sysinfo.h>
#include <linux/time_types.h>
#include <linux/types.h>
#include <linux/utsname.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "inst/linux_sizes.h"

_Static_assert(sizeof(struct stat) == LINUX_STAT_SIZE, "struct stat");
_Static_assert(sizeof(struct statfs) == LINUX_STATFS_SIZE, "struct statfs");
_Static_assert(sizeof(struct flock) == LINUX_FLOCK_SIZE, "struct flock");
_Static_assert(sizeof(struct pollfd) == LINUX_POLLFD_SIZE, "struct pollfd");
_Static_assert(sizeof(struct __kernel_timespec) == LINUX_TIMESPEC_SIZE, "struct timespec");
_Static_assert(sizeof(struct itimerval) == LINUX_ITIMERVAL_SIZE, "struct itimerval");
_Static_assert(sizeof(struct __kernel_itimerspec) == LINUX_ITIMERSPEC_SIZE, "struct itimerspec");
_Static_assert(sizeof(struct epoll_event) == LINUX_EPOLL_EVENT_SIZE, "struct epoll_event");
_Static_assert(sizeof(__kernel_loff_t) == LINUX_LOFF_SIZE, "loff_t");
_Static_assert(sizeof(socklen_t) == LINUX_SOCKLEN_SIZE, "socklen_t");
_Static_assert(sizeof(struct iovec) == LINUX_IOVEC_SIZE, "struct iovec");
_Static_assert(sizeof(struct msghdr) == LINUX_MSGHDR_SIZE, "struct msghdr");
_Static_assert(offsetof(struct msghdr, msg_namelen) == LINUX_MSGHDR_NAMELEN, "msghdr.msg_namelen");
_Static_assert(sizeof(((struct msghdr *)0)->msg_namelen) == LINUX_SOCKLEN_SIZE, "msghdr.msg_namelen");
_Static_assert(offsetof(struct msghdr, msg_flags) == LINUX_MSGHDR_FLAGS, "msghdr.msg_flags");
_Static_assert(sizeof(struct robust_list_head) == LINUX_ROBUST_LIST_HEAD_SIZE, "struct robust_list_head");
_Static_assert(sizeof(struct sigcontext) == LINUX_SIGCONTEXT_SIZE, "struct sigcontext");
_Static_assert(sizeof(siginfo_t) == LINUX_SIGINFO_SIZE, "siginfo_t");
_Static_assert(sizeof(struct sysinfo) == LINUX_SYSINFO_SIZE, "struct sysinfo");
_Static_assert(sizeof(((struct new_utsname *)0)->sysname) == LINUX_UTSNAME_FIELD, "struct utsname");
_Static_assert(sizeof(struct new_utsname) == 6 * LINUX_UTSNAME_FIELD, "struct utsname");
