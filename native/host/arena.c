/* arena.c -- per-thread bump allocation (see arena.h). */
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread char *arena_base;
static __thread size_t arena_size;
static __thread size_t arena_used;

void arena_bind(void *mem, size_t size)
{
    arena_base = mem;
    arena_size = size;
    arena_used = 0;
}

void *arena_try_alloc(size_t n)
{
    size_t at = (arena_used + 15) & ~(size_t)15;
    if (!arena_base || at > arena_size || n > arena_size - at)
        return NULL;
    arena_used = at + n;
    memset(arena_base + at, 0, n);
    return arena_base + at;
}

void *arena_alloc(size_t n)
{
    void *p = arena_try_alloc(n);
    if (!p) {
        fprintf(stderr, "arena: %zu bytes requested, %zu of %zu used%s\n", n, arena_used, arena_size,
                arena_base ? "" : " (no arena bound to this thread)");
        abort();
    }
    return p;
}

char *arena_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(n);
    memcpy(p, s, n);
    return p;
}

size_t arena_mark(void)
{
    return arena_used;
}

void arena_release(size_t mark)
{
    if (mark <= arena_used)
        arena_used = mark;
}
