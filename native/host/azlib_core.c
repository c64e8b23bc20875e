/* azlib_core.c -- binding threads to a channel, translating pointers to GPAs. */
#include "azlib_internal.h"

#include <errno.h>
#include <string.h>

#include "arena.h"

static __thread struct az_host *tl_host;
static __thread struct az_chan *tl_chan;

int azlib_bind(struct az_host *h, struct az_chan *ch, size_t arena_bytes)
{
    char *mem = az_host_carve(h, arena_bytes);
    if (!mem)
        return -ENOMEM;
    arena_bind(mem, arena_bytes);
    tl_host = h;
    tl_chan = ch;
    return 0;
}

/*
 * Any address in the shared buffer arena is acceptable (the proxy can reach
 * it), not only this thread's part: a thread may pass a buffer another
 * thread allocated.
 */
int azlib_buf(const void *p, size_t len, uint64_t *gpa)
{
    if (!p && len == 0) {
        *gpa = 0;
        return 0;
    }
    if (!tl_host || az_host_gpa(tl_host, p, len, gpa) != 0)
        return -EFAULT;
    return 0;
}

int azlib_opt(const void *p, size_t len, uint64_t *gpa)
{
    if (!p) {
        *gpa = 0;
        return 0;
    }
    return azlib_buf(p, len, gpa);
}

int azlib_str(const char *s, uint64_t *gpa)
{
    if (!s || !tl_host || az_host_gpa(tl_host, s, 1, gpa) != 0)
        return -EFAULT;
    /* The NUL must be inside the arena: never read past the mapping. */
    size_t room = (size_t)(tl_host->arena_hi - s);
    size_t limit = room < AZ_PATH_MAX ? room : AZ_PATH_MAX;
    if (!memchr(s, 0, limit))
        return room < AZ_PATH_MAX ? -EFAULT : -ENAMETOOLONG;
    return 0;
}

int azlib_len(const socklen_t *len, uint64_t *gpa)
{
    return azlib_opt(len, sizeof *len, gpa);
}

int azlib_iov(const struct iovec *iov, int iovcnt, uint64_t *gpa, size_t *mark)
{
    if (iovcnt < 0 || iovcnt > AZ_IOV_MAX)
        return -EINVAL;
    *mark = arena_mark();
    /* Same layout as struct iovec, {base, len}, with a GPA as base. */
    uint64_t *table = arena_try_alloc((size_t)iovcnt * 16 + 16);
    if (!table)
        return -ENOMEM;
    for (int i = 0; i < iovcnt; i++) {
        uint64_t g;
        if (azlib_buf(iov[i].iov_base, iov[i].iov_len, &g) != 0) {
            arena_release(*mark);
            return -EFAULT;
        }
        table[2 * i] = g;
        table[2 * i + 1] = iov[i].iov_len;
    }
    if (azlib_buf(table, (size_t)iovcnt * 16, gpa) != 0) {
        arena_release(*mark);
        return -EFAULT; /* the arena is not shared memory: not bound through azlib_bind */
    }
    return 0;
}

int64_t az_syscall(uint16_t opcode, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    if (!tl_chan)
        return -ENXIO;
    return az_call(tl_chan, opcode, a0, a1, a2, a3, a4, a5);
}

int az_nop(void)
{
    return (int)az_syscall(AZ_OP_NOP, 0, 0, 0, 0, 0, 0);
}
