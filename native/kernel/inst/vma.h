/*
 * vma.h -- an instance's address-space map: a sorted array of disjoint
 * ranges of virtual addresses, each backed by physical memory at
 * va + pa_off.  Inside the partition pa_off is 0 (identity: a program
 * pointer is its guest-physical address); a non-PIE program's image and
 * brk heap sit below the partition with pa_off pointing into a BACKING
 * range.  Gaps inside the partition are free physical memory.
 */
#ifndef KERNEL_VMA_H
#define KERNEL_VMA_H

#include <stdint.h>

#define VMA_MAX 4096

/* prot: Linux PROT_* bits. */
#define PROT_NONE  0
#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4

enum vma_kind {
    VMA_USER = 1,    /* the program's: image, brk, stack, mmap */
    VMA_KERNEL = 2,  /* the instance kernel's own: never the program's to change */
    VMA_HOST = 3,    /* written by the host: boot descriptor, offload region, files */
    VMA_BACKING = 4, /* physical memory behind a non-identity range; unmapped at its own address */
};

/* vma.flags */
#define VMA_F_UNZEROED (1u << 0) /* contents unknown: zero before the program can read them */
#define VMA_F_BRK      (1u << 1)
#define VMA_F_SHARED   (1u << 2) /* a MAP_SHARED file's pages (fmap.c): va + pa_off lies in an fmap extent */
#define VMA_F_NOWRITE  (1u << 3) /* ... whose fd was not open for writing: mprotect may not add PROT_WRITE */

struct vma {
    uint64_t start, end; /* [start, end), page aligned */
    int64_t pa_off;      /* physical = virtual + pa_off */
    uint32_t prot;
    uint16_t kind;
    uint16_t flags;
};

struct vma_map {
    uint32_t count;
    uint32_t reserved;
    uint64_t lo, hi; /* the partition: where identity ranges may go */
    struct vma v[VMA_MAX];
};

void vma_init(struct vma_map *m, uint64_t lo, uint64_t hi);
/* The range containing va, or NULL. */
struct vma *vma_find(struct vma_map *m, uint64_t va);
/* The first range ending above va (it may start above va), or NULL. */
struct vma *vma_next(struct vma_map *m, uint64_t va);
/* Walking [*va, end) range by range: the next range intersecting it, with
 * *va moved up to where that range starts (if later) and *e set to where it
 * ends within the window; NULL when no range is left before end. */
struct vma *vma_clip(struct vma_map *m, uint64_t *va, uint64_t end, uint64_t *e);
/* Whether no range intersects [start, end). */
int vma_is_free(struct vma_map *m, uint64_t start, uint64_t end);
/* Adds a range over a free [start, end) (merging with compatible
 * neighbours): 0, -EEXIST if it is not free, -ENOMEM when the table is full. */
int vma_insert(struct vma_map *m, const struct vma *n);
/* Removes [start, end) from every USER range (splitting at the edges);
 * fails with -EINVAL, changing nothing, if it touches a non-USER range. */
int vma_remove_user(struct vma_map *m, uint64_t start, uint64_t end);
/* Removes [start, end) from the BACKING ranges (splitting at the edges);
 * -EINVAL, changing nothing, if it touches any other kind. */
int vma_remove_backing(struct vma_map *m, uint64_t start, uint64_t end);
/* Sets prot on [start, end), which must be covered by USER ranges
 * (-ENOMEM otherwise, as Linux says); splits as needed. */
int vma_protect_user(struct vma_map *m, uint64_t start, uint64_t end, uint32_t prot);
/* Clears or sets a VMA_F_* flag on the ranges lying wholly inside [start, end). */
void vma_clear_flag(struct vma_map *m, uint64_t start, uint64_t end, uint16_t flag);
void vma_set_flag(struct vma_map *m, uint64_t start, uint64_t end, uint16_t flag);
/* A free, aligned identity range of `size` bytes in the partition: lowest
 * first (bottom_up) or highest first below `below`.  0 if none. */
uint64_t vma_find_gap(struct vma_map *m, uint64_t size, uint64_t align, int bottom_up, uint64_t below);

#endif
