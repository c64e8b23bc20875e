/* errno.h -- the Linux error numbers the kernel returns (as -errno). */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#define EPERM        1
#define ENOENT       2
#define ESRCH        3
#define EINTR        4
#define EIO          5
#define E2BIG        7
#define ENOEXEC      8
#define EBADF        9
#define ECHILD       10
#define EAGAIN       11
#define ENOMEM       12
#define EACCES       13
#define EFAULT       14
#define EBUSY        16
#define EEXIST       17
#define EINVAL       22
#define ENOTTY       25
#define EPIPE        32
#define ERANGE       34
#define ENAMETOOLONG 36
#define ENOSYS       38
#define EOVERFLOW    75
#define ENODEV       19
#define ENOTSUP      95
#define EOPNOTSUPP   95
#define ETIMEDOUT    110

#endif
