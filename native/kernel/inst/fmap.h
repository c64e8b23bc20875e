/*
 * fmap.h -- MAP_SHARED file mappings of an instance.
 *
 * The instance keeps one copy of each mapped page of a file (an extent:
 * a file range and the physical pages holding it), keyed by the host
 * file's identity (st_dev, st_ino) and offset: every mapping of that range
 * in the instance maps those pages (a VMA with VMA_F_SHARED whose
 * va + pa_off lies in the extent), so stores through one mapping are seen
 * through every other.  The first mapping's own pages hold an extent; when
 * it goes while others still map the extent, the pages stay as a BACKING
 * range.  Dirty bits of the page tables say what to write back to the host
 * file (msync, munmap, exit), through a host handle (AZ_OP_FMAP_*) that
 * is no guest fd and outlives the program's close().
 *
 * One fmap operation at a time (fmap_lock: they offload, so it is not a
 * spinlock), then mm_lock inside it.
 */
#ifndef KERNEL_FMAP_H
#define KERNEL_FMAP_H

#include <stdint.h>

#define FMAP_FILES 64
#define FMAP_EXTS  1024

struct fmap_file {
    uint64_t dev, ino;
    int64_t handle; /* the proxy's reference to the file */
    uint8_t used;
    uint8_t writable; /* the handle may write back: the fd was open O_RDWR */
    uint16_t reserved16;
    uint32_t reserved32;
};

struct fmap_ext {
    uint64_t off, len; /* file range, page aligned */
    uint64_t pa;       /* the physical pages holding it */
    uint16_t file;
    uint16_t used;
    uint32_t fresh; /* made by the mapping being set up: still to be read from the file */
};

struct fmap {
    uint32_t busy;   /* fmap_lock's flag, under mm_lock */
    uint32_t nfiles; /* files in use: 0 lets munmap and friends skip all of this */
    struct fmap_file f[FMAP_FILES];
    struct fmap_ext e[FMAP_EXTS];
};

/* What AZ_OP_FMAP_OPEN tells about the fd's file. */
struct fmap_id {
    uint64_t dev, ino, size, writable;
};

struct instance;

/* The host's reference to fd's file, checked as mmap checks it (EBADF,
 * EACCES: not readable, or not writable when write_back; ENODEV: not a
 * regular file): the handle, or -errno. */
int64_t fmap_open(struct instance *in, uint64_t fd, int write_back, struct fmap_id *id);
/* Reads [off, off + len) of the handle's file into physical memory at pa:
 * bytes read (short at the end of the file) or -errno. */
int64_t fmap_read(struct instance *in, int64_t handle, uint64_t pa, uint64_t len, uint64_t off);
void fmap_close(struct instance *in, int64_t handle);

static inline int fmap_in_use(const struct fmap *fm)
{
    return __atomic_load_n(&fm->nfiles, __ATOMIC_ACQUIRE) != 0;
}
void fmap_lock(struct instance *in);
void fmap_unlock(struct instance *in);

/* The rest: under fmap_lock, without mm_lock. */

/* A MAP_SHARED mapping of `size` bytes of the file at foff, at addr
 * (MAP_FIXED: there, having unmapped what was; else addr is a hint).
 * Takes over `handle`.  The address, or -errno. */
int64_t fmap_mmap(struct instance *in, const struct fmap_id *id, int64_t handle, uint64_t addr, uint64_t size,
                  uint64_t foff, uint32_t prot, int fixed);
/* munmap of [start, end): shared pages written back first. */
int fmap_unmap(struct instance *in, uint64_t start, uint64_t end);
/* msync: -ENOMEM if part of the range is unmapped. */
int fmap_msync(struct instance *in, uint64_t start, uint64_t end, int flags);
/* mremap of a shared mapping (old is in one). */
int64_t fmap_mremap(struct instance *in, uint64_t old, uint64_t old_size, uint64_t new_size, uint64_t flags);
/* Writes back the dirty shared pages of the file `id` names (takes
 * fmap_lock): a private mapping then reads what the instance sees. */
int fmap_settle(struct instance *in, const struct fmap_id *id);
/* Writes back every dirty shared page (the program ends). */
int fmap_writeback_all(struct instance *in);
/* Whether [start, end) holds a shared file page (under mm_lock). */
int fmap_range_shared(struct instance *in, uint64_t start, uint64_t end);

/* Under mm_lock: the host is about to store into [va, va + len) for an
 * offloaded call (a read into a mapped page): its shared pages count as
 * written, as the CPU's own stores would. */
void fmap_host_store(struct instance *in, uint64_t va, uint64_t len);

#endif
