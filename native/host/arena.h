/*
 * arena.h -- the calling thread's bump allocator for I/O buffers.  Under the
 * proxy its memory is a piece of the shared file (az_host_carve), so every
 * buffer it returns can be named by GPA; with --direct it is plain heap.
 * The workloads allocate every buffer they hand to a system call here, so
 * the same code runs both ways.
 */
#ifndef AZALEA_ARENA_H
#define AZALEA_ARENA_H

#include <stddef.h>

/* Gives the calling thread [mem, mem + size) to allocate from. */
void arena_bind(void *mem, size_t size);

/* `n` bytes, 16-byte aligned, zeroed; aborts with a message when the arena is used up
 * (a fixed workload outgrowing its arena is a bug in the workload). */
void *arena_alloc(size_t n);

/* A copy of `s` in the arena. */
char *arena_str(const char *s);

/* Marks and releases: everything allocated after arena_mark() is freed by arena_release(). */
size_t arena_mark(void);
void arena_release(size_t mark);

/* Non-aborting variant for library code: NULL when there is no room. */
void *arena_try_alloc(size_t n);

#endif
