/* azlib_internal.h -- what the azlib_*.c files share: the thread's binding and
 * the pointer-to-GPA translations.  Each returns 0 or -EFAULT/-ENAMETOOLONG. */
#ifndef AZALEA_AZLIB_INTERNAL_H
#define AZALEA_AZLIB_INTERNAL_H

#include "azlib.h"

/* [p, p + len) in the thread's shared arena; NULL is accepted only when len is 0. */
int azlib_buf(const void *p, size_t len, uint64_t *gpa);
/* Like azlib_buf, but NULL (an omitted optional argument) is always GPA 0. */
int azlib_opt(const void *p, size_t len, uint64_t *gpa);
/* A NUL-terminated string wholly in the arena, at most AZ_PATH_MAX bytes with its NUL. */
int azlib_str(const char *s, uint64_t *gpa);
/* An optional socklen_t in/out length: NULL, or in the arena. */
int azlib_len(const socklen_t *len, uint64_t *gpa);
/*
 * A GPA copy of `iov` in the arena (each iov_base translated): the array the
 * ABI's readv/writev/sendmsg/recvmsg take.  The caller releases `mark` after
 * the call.  -EINVAL for a count outside 0..AZ_IOV_MAX.
 */
int azlib_iov(const struct iovec *iov, int iovcnt, uint64_t *gpa, size_t *mark);

#endif
