/*
 * fmap.c -- MAP_SHARED file mappings: one copy of each mapped file page in
 * the instance, written back to the host file from the page tables' dirty
 * bits (fmap.h says how the pieces fit).
 *
 * Invariant: every VMA_F_SHARED range maps, through its pa_off, whole or
 * parts of extents of one or more files; an extent's pages are either the
 * identity pages of a live shared range (pa_off 0) or a BACKING range.  An
 * extent lives while some shared range maps part of it.
 */
#include "inst/fmap.h"

#include "arch/x86.h"
#include "inst/inst.h"
#include "layout.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "percpu.h"

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4
#define RUNS          64 /* dirty runs gathered per pass, written without the lock (AZ_OP_FMAP_WRITE's most) */
#define NO_OFF        (~0ull)
#define USER_TOP      (1ull << 47)

/* One run of dirty pages as AZ_OP_FMAP_WRITE takes it. */
struct run {
    uint64_t pa, len, off;
};

int64_t fmap_open(struct instance *in, uint64_t fd, int write_back, struct fmap_id *id)
{
    /* On this thread's kernel stack: instance memory, which the host reaches. */
    uint64_t out[4] = {0, 0, 0, 0};
    const uint64_t g[6] = {fd, write_back ? 1 : 0, (uint64_t)out, 0, 0, 0};
    int64_t h = offload_call(in, AZ_OP_FMAP_OPEN, g);
    if (h < 0)
        return h;
    id->dev = out[0];
    id->ino = out[1];
    id->size = out[2];
    id->writable = out[3] & 1;
    return h;
}

int64_t fmap_read(struct instance *in, int64_t handle, uint64_t pa, uint64_t len, uint64_t off)
{
    const uint64_t g[6] = {(uint64_t)handle, pa, len, off, 0, 0};
    return offload_call(in, AZ_OP_FMAP_READ, g);
}

/* Writes runs of one file in one round trip (runs: instance memory). */
static int64_t fmap_write(struct instance *in, int64_t handle, const struct run *runs, uint32_t n)
{
    const uint64_t g[6] = {(uint64_t)handle, (uint64_t)runs, n, 0, 0, 0};
    return offload_call(in, AZ_OP_FMAP_WRITE, g);
}

void fmap_close(struct instance *in, int64_t handle)
{
    const uint64_t g[6] = {(uint64_t)handle, 0, 0, 0, 0, 0};
    offload_call(in, AZ_OP_FMAP_CLOSE, g);
}

void fmap_lock(struct instance *in)
{
    for (uint32_t spins = 0;; spins++) {
        ilock(&in->mm_lock);
        if (!in->fmap.busy) {
            in->fmap.busy = 1;
            iunlock(&in->mm_lock);
            return;
        }
        iunlock(&in->mm_lock);
        /* The holder may be a thread of this core waiting for the host: hand
         * it its completion (nobody else reaps while this thread runs), then
         * let it run. */
        struct inst_cpu *ic = this_cpu()->icpu;
        if (ic->chan_open)
            offload_reap(ic);
        sched_yield();
        inst_relax(spins);
    }
}

void fmap_unlock(struct instance *in)
{
    ilock(&in->mm_lock);
    in->fmap.busy = 0;
    iunlock(&in->mm_lock);
}

/* ---- extents ---- */

static struct fmap_ext *ext_at_off(struct fmap *fm, uint16_t file, uint64_t off)
{
    for (uint32_t i = 0; i < FMAP_EXTS; i++) {
        struct fmap_ext *e = &fm->e[i];
        if (e->used && e->file == file && e->off <= off && off - e->off < e->len)
            return e;
    }
    return 0;
}

/* The lowest extent start of the file above off (NO_OFF if none). */
static uint64_t ext_next_off(struct fmap *fm, uint16_t file, uint64_t off)
{
    uint64_t best = NO_OFF;
    for (uint32_t i = 0; i < FMAP_EXTS; i++) {
        struct fmap_ext *e = &fm->e[i];
        if (e->used && e->file == file && e->off > off && e->off < best)
            best = e->off;
    }
    return best;
}

static struct fmap_ext *ext_at_pa(struct fmap *fm, uint64_t pa)
{
    for (uint32_t i = 0; i < FMAP_EXTS; i++) {
        struct fmap_ext *e = &fm->e[i];
        if (e->used && e->pa <= pa && pa - e->pa < e->len)
            return e;
    }
    return 0;
}

static struct fmap_ext *ext_new(struct fmap *fm)
{
    for (uint32_t i = 0; i < FMAP_EXTS; i++)
        if (!fm->e[i].used) {
            fm->e[i].used = 1;
            return &fm->e[i];
        }
    return 0;
}

/* Cuts e at `at` bytes from its start (0 < at < len). */
static int ext_cut(struct fmap *fm, struct fmap_ext *e, uint64_t at)
{
    struct fmap_ext *n = ext_new(fm);
    if (!n)
        return -ENOMEM;
    n->file = e->file;
    n->off = e->off + at;
    n->pa = e->pa + at;
    n->len = e->len - at;
    e->len = at;
    return 0;
}

/* An extent boundary at file offset off / physical address pa. */
static int ext_split_off(struct fmap *fm, uint16_t file, uint64_t off)
{
    struct fmap_ext *e = ext_at_off(fm, file, off);
    return e && e->off != off ? ext_cut(fm, e, off - e->off) : 0;
}

static int ext_split_pa(struct fmap *fm, uint64_t pa)
{
    struct fmap_ext *e = ext_at_pa(fm, pa);
    return e && e->pa != pa ? ext_cut(fm, e, pa - e->pa) : 0;
}

/* Whether a shared range maps part of [pa, pa + len) (under mm_lock). */
static int mapped_pa(struct instance *in, uint64_t pa, uint64_t len)
{
    struct vma_map *m = &in->map;
    for (uint32_t i = 0; i < m->count; i++) {
        struct vma *v = &m->v[i];
        if (!(v->flags & VMA_F_SHARED))
            continue;
        uint64_t ps = v->start + (uint64_t)v->pa_off, pe = v->end + (uint64_t)v->pa_off;
        if (ps < pa + len && pa < pe)
            return 1;
    }
    return 0;
}

/* Drops the files no extent uses any more, closing their handles. */
static void files_release(struct instance *in)
{
    struct fmap *fm = &in->fmap;
    for (uint16_t f = 0; f < FMAP_FILES; f++) {
        if (!fm->f[f].used)
            continue;
        int busy = 0;
        for (uint32_t i = 0; i < FMAP_EXTS && !busy; i++)
            busy = fm->e[i].used && fm->e[i].file == f;
        if (busy)
            continue;
        fmap_close(in, fm->f[f].handle);
        fm->f[f].used = 0;
        __atomic_sub_fetch(&fm->nfiles, 1, __ATOMIC_RELEASE);
    }
}

/* The file's slot, taking over handle (closed if the slot has one as good). */
static int file_get(struct instance *in, const struct fmap_id *id, int64_t handle)
{
    struct fmap *fm = &in->fmap;
    int free = -1;
    for (int f = 0; f < FMAP_FILES; f++) {
        struct fmap_file *x = &fm->f[f];
        if (x->used && x->dev == id->dev && x->ino == id->ino) {
            if (id->writable && !x->writable) {
                fmap_close(in, x->handle);
                x->handle = handle;
                x->writable = 1;
            } else {
                fmap_close(in, handle);
            }
            return f;
        }
        if (!x->used && free < 0)
            free = f;
    }
    if (free < 0) {
        fmap_close(in, handle);
        return -ENOMEM; /* the table of mapped files is full */
    }
    struct fmap_file *x = &fm->f[free];
    x->dev = id->dev;
    x->ino = id->ino;
    x->handle = handle;
    x->writable = (uint8_t)id->writable;
    x->used = 1;
    __atomic_add_fetch(&fm->nfiles, 1, __ATOMIC_RELEASE);
    return free;
}

/* ---- write-back ---- */

/* Whether any mapping of the page at pa wrote it; with clear, forgets it. */
static int page_dirty(struct instance *in, uint64_t pa, int clear)
{
    struct vma_map *m = &in->map;
    int d = 0;
    for (uint32_t i = 0; i < m->count; i++) {
        struct vma *v = &m->v[i];
        if (!(v->flags & VMA_F_SHARED))
            continue;
        uint64_t va = pa - (uint64_t)v->pa_off;
        if (va >= v->start && va < v->end && v->prot != PROT_NONE)
            d |= vm_dirty(&in->vm, va, clear);
        if (d && !clear)
            return 1;
    }
    return d;
}

/* Gathers up to RUNS runs of dirty pages mapped in [*from, end), clearing
 * their dirty bits; *from moves to where the next pass starts (end: done). */
static void gather(struct instance *in, int only, uint64_t *from, uint64_t end, struct run *runs, uint16_t *files,
                   uint32_t *n)
{
    struct fmap *fm = &in->fmap;
    struct fmap_ext *x = 0; /* the last page's extent: runs of pages share one */
    *n = 0;
    for (uint64_t va = *from; va < end;) {
        uint64_t e;
        struct vma *v = vma_clip(&in->map, &va, end, &e);
        if (!v)
            break;
        if (!(v->flags & VMA_F_SHARED)) {
            va = e;
            continue;
        }
        int64_t off = v->pa_off;
        for (; va < e; va += PAGE_SIZE) {
            uint64_t pa = va + (uint64_t)off;
            if (!x || pa < x->pa || pa - x->pa >= x->len)
                x = ext_at_pa(fm, pa);
            if (!x || (only >= 0 && x->file != only) || !page_dirty(in, pa, 0))
                continue;
            uint64_t foff = x->off + (pa - x->pa);
            struct run *r = *n ? &runs[*n - 1] : 0;
            if (!(r && files[*n - 1] == x->file && r->pa + r->len == pa && r->off + r->len == foff)) {
                if (*n == RUNS) {
                    *from = va;
                    return;
                }
                files[*n] = x->file;
                r = &runs[(*n)++];
                r->pa = pa;
                r->off = foff;
                r->len = 0;
            }
            page_dirty(in, pa, 1);
            r->len += PAGE_SIZE;
        }
    }
    *from = end;
}

/* Writes the dirty shared pages mapped in [start, end) to their files;
 * `sync` adds fdatasync.  0 or the first -errno. */
static int writeback_file(struct instance *in, int only, uint64_t start, uint64_t end, int sync)
{
    struct run runs[RUNS];
    uint16_t files[RUNS];
    uint64_t touched = 0, from = start;
    int err = 0;
    do {
        uint32_t n;
        ilock(&in->mm_lock);
        gather(in, only, &from, end, runs, files, &n);
        if (n)
            tlb_shootdown(in); /* cached dirty entries would not mark the next store */
        iunlock(&in->mm_lock);
        /* The pages stay: only this (fmap_lock's holder) frees extents. */
        for (uint32_t i = 0, j; i < n; i = j) {
            for (j = i + 1; j < n && files[j] == files[i];)
                j++;
            int64_t w = fmap_write(in, in->fmap.f[files[i]].handle, &runs[i], j - i);
            if (w < 0 && !err)
                err = (int)w;
            touched |= 1ull << files[i];
        }
    } while (from < end);
    for (uint16_t f = 0; sync && f < FMAP_FILES; f++)
        if (touched >> f & 1) {
            const uint64_t g[6] = {(uint64_t)in->fmap.f[f].handle, 0, 0, 0, 0, 0};
            int64_t r = offload_call(in, AZ_OP_FMAP_SYNC, g);
            if (r < 0 && !err)
                err = (int)r;
        }
    return err;
}

/* Of every file (only: -1) or one. */
static int writeback(struct instance *in, uint64_t start, uint64_t end, int sync)
{
    return writeback_file(in, -1, start, end, sync);
}

int fmap_settle(struct instance *in, const struct fmap_id *id)
{
    if (!fmap_in_use(&in->fmap))
        return 0;
    fmap_lock(in);
    int r = 0;
    for (int f = 0; f < FMAP_FILES; f++)
        if (in->fmap.f[f].used && in->fmap.f[f].dev == id->dev && in->fmap.f[f].ino == id->ino)
            r = writeback_file(in, f, 0, USER_TOP, 0);
    fmap_unlock(in);
    return r;
}

int fmap_writeback_all(struct instance *in)
{
    if (!fmap_in_use(&in->fmap))
        return 0;
    fmap_lock(in);
    int r = writeback(in, 0, USER_TOP, 0);
    fmap_unlock(in);
    return r;
}

void fmap_host_store(struct instance *in, uint64_t va, uint64_t len)
{
    if (!fmap_in_use(&in->fmap) || len == 0)
        return;
    uint64_t end = va + len;
    for (uint64_t p = va & ~(uint64_t)(PAGE_SIZE - 1); p < end;) {
        uint64_t e;
        struct vma *v = vma_clip(&in->map, &p, end, &e);
        if (!v)
            break;
        for (; (v->flags & VMA_F_SHARED) && p < e; p += PAGE_SIZE)
            vm_set_dirty(&in->vm, p);
        p = p > e ? p : e;
    }
}

int fmap_range_shared(struct instance *in, uint64_t start, uint64_t end)
{
    for (uint64_t va = start; va < end;) {
        struct vma *v = vma_next(&in->map, va);
        if (!v || v->start >= end)
            return 0;
        if (v->flags & VMA_F_SHARED)
            return 1;
        va = v->end;
    }
    return 0;
}

/* ---- mapping and unmapping ---- */

/* Under mm_lock: the shared ranges of [va, va + size) for the file at foff,
 * aliasing its extents where it has them and making new ones (this range's
 * own pages) elsewhere; *fresh gets the new ones' first index.  Rights
 * read-write for now (the caller fills, then sets prot). */
static int insert_pieces(struct instance *in, uint16_t file, uint64_t va, uint64_t size, uint64_t foff, uint16_t flags)
{
    struct fmap *fm = &in->fmap;
    if (ext_split_off(fm, file, foff) || ext_split_off(fm, file, foff + size))
        return -ENOMEM;
    for (uint64_t c = 0; c < size;) {
        uint64_t x = foff + c, len, pa;
        struct fmap_ext *e = ext_at_off(fm, file, x);
        if (e) {
            len = e->len; /* split at foff: e starts at x */
            pa = e->pa;
        } else {
            uint64_t next = ext_next_off(fm, file, x);
            len = next - x < size - c ? next - x : size - c;
            pa = va + c;
            struct fmap_ext *n = ext_new(fm);
            if (!n)
                return -ENOMEM;
            n->file = file;
            n->off = x;
            n->len = len;
            n->pa = pa;
            n->fresh = 1;
        }
        struct vma v = {va + c, va + c + len, (int64_t)(pa - (va + c)), PROT_READ | PROT_WRITE, VMA_USER, flags};
        int r = vma_insert(&in->map, &v);
        if (r)
            return r == -EEXIST ? -ENOMEM : r;
        c += len;
    }
    return mm_apply(in, va, va + size) ? -ENOMEM : 0;
}

/* Unmaps [start, end), under mm_lock, after write-back: shared pieces let
 * go of their extents (freeing those no other range maps, keeping the
 * pages of the others as BACKING). */
static int unmap_locked(struct instance *in, uint64_t start, uint64_t end, int *freed)
{
    struct fmap *fm = &in->fmap;
    for (uint64_t va = start; va < end;) {
        struct vma *v = vma_next(&in->map, va);
        if (!v || v->start >= end)
            break;
        if (v->kind != VMA_USER)
            return -EINVAL;
        va = v->end;
    }
    for (uint64_t va = start; va < end;) {
        uint64_t e;
        struct vma *v = vma_clip(&in->map, &va, end, &e);
        if (!v)
            break;
        if (!(v->flags & VMA_F_SHARED)) {
            va = e;
            continue;
        }
        int64_t off = v->pa_off;
        uint64_t ps = va + (uint64_t)off, pe = e + (uint64_t)off;
        if (ext_split_pa(fm, ps) || ext_split_pa(fm, pe))
            return -ENOMEM;
        int r = vma_remove_user(&in->map, va, e);
        if (r)
            return r;
        mm_unmap(in, va, e - va);
        for (uint32_t i = 0; i < FMAP_EXTS; i++) {
            struct fmap_ext *x = &fm->e[i];
            if (!x->used || x->pa < ps || x->pa >= pe)
                continue;
            if (mapped_pa(in, x->pa, x->len)) {
                if (off == 0) {
                    /* This range's own pages: others still map them. */
                    struct vma b = {x->pa, x->pa + x->len, 0, PROT_NONE, VMA_BACKING, 0};
                    vma_insert(&in->map, &b);
                }
            } else {
                if (off != 0)
                    vma_remove_backing(&in->map, x->pa, x->pa + x->len);
                x->used = 0;
                *freed = 1;
            }
        }
        va = e;
    }
    if (vma_remove_user(&in->map, start, end) == 0)
        mm_unmap(in, start, end - start);
    return 0;
}

int fmap_unmap(struct instance *in, uint64_t start, uint64_t end)
{
    writeback(in, start, end, 0); /* a failed write-back does not keep the mapping (Linux neither) */
    int freed = 0;
    ilock(&in->mm_lock);
    int r = unmap_locked(in, start, end, &freed);
    iunlock(&in->mm_lock);
    if (freed)
        files_release(in); /* only then can a file have lost its last extent */
    return r;
}

/* Reads the fresh extents of [va, va + size) from the file (the rest of
 * their last page, past the end of the file, zero) and forgets the stores
 * that did it. */
static int fill_fresh(struct instance *in, uint64_t va, uint64_t size)
{
    struct fmap *fm = &in->fmap;
    for (uint32_t i = 0; i < FMAP_EXTS; i++) {
        struct fmap_ext *x = &fm->e[i];
        if (!x->used || !x->fresh || x->pa < va || x->pa >= va + size)
            continue;
        x->fresh = 0;
        ilock(&in->mm_lock);
        mm_zero(in, x->pa, x->len); /* identity: a fresh extent is its range's own pages */
        iunlock(&in->mm_lock);
        for (uint64_t done = 0; done < x->len;) {
            int64_t n = fmap_read(in, fm->f[x->file].handle, x->pa + done, x->len - done, x->off + done);
            if (n < 0)
                return (int)n;
            if (n == 0)
                break;
            done += (uint64_t)n;
        }
    }
    ilock(&in->mm_lock);
    for (uint64_t p = va; p < va + size; p += PAGE_SIZE)
        vm_dirty(&in->vm, p, 1);
    tlb_shootdown(in);
    iunlock(&in->mm_lock);
    return 0;
}

/* Places and fills a shared range: its address or -errno. */
static int64_t map_at(struct instance *in, uint16_t file, uint64_t addr, uint64_t size, uint64_t foff, uint32_t prot,
                      int fixed, uint16_t flags)
{
    ilock(&in->mm_lock);
    uint64_t va = 0;
    if (fixed) {
        if (!vma_is_free(&in->map, addr, addr + size)) {
            iunlock(&in->mm_lock);
            return -EEXIST;
        }
        va = addr;
    } else {
        if (addr && addr % PAGE_SIZE == 0 && addr >= in->mem_lo && addr < in->mmap_top && size <= in->mmap_top - addr &&
            vma_is_free(&in->map, addr, addr + size))
            va = addr;
        if (!va)
            va = vma_find_gap(&in->map, size, PAGE_SIZE, 0, in->mmap_top);
        if (!va) {
            iunlock(&in->mm_lock);
            return -ENOMEM;
        }
    }
    int r = insert_pieces(in, file, va, size, foff, flags);
    iunlock(&in->mm_lock);
    if (r == 0)
        r = fill_fresh(in, va, size);
    if (r == 0 && prot != (PROT_READ | PROT_WRITE)) {
        ilock(&in->mm_lock);
        r = vma_protect_user(&in->map, va, va + size, prot);
        if (r == 0 && mm_apply(in, va, va + size))
            r = -ENOMEM;
        tlb_shootdown(in);
        iunlock(&in->mm_lock);
    }
    if (r) {
        /* Fresh extents never filled must not be written back: none is dirty. */
        for (uint32_t i = 0; i < FMAP_EXTS; i++)
            in->fmap.e[i].fresh = 0;
        int freed = 0;
        ilock(&in->mm_lock);
        unmap_locked(in, va, va + size, &freed);
        iunlock(&in->mm_lock);
        return r;
    }
    return (int64_t)va;
}

int64_t fmap_mmap(struct instance *in, const struct fmap_id *id, int64_t handle, uint64_t addr, uint64_t size,
                  uint64_t foff, uint32_t prot, int fixed)
{
    int file = file_get(in, id, handle);
    if (file < 0)
        return file;
    uint16_t flags = VMA_F_SHARED | (id->writable ? 0 : VMA_F_NOWRITE);
    int64_t r = map_at(in, (uint16_t)file, addr, size, foff, prot, fixed, flags);
    files_release(in);
    return r;
}

int fmap_msync(struct instance *in, uint64_t start, uint64_t end, int flags)
{
    /* Linux: ENOMEM if part of the range is not mapped. */
    ilock(&in->mm_lock);
    uint64_t at = start;
    for (uint64_t va = start; va < end;) {
        struct vma *v = vma_next(&in->map, va);
        if (!v || v->start >= end)
            break;
        if (v->start > at || v->kind != VMA_USER)
            break;
        at = v->end;
        va = v->end;
    }
    iunlock(&in->mm_lock);
    if (at < end)
        return -ENOMEM;
    int r = writeback(in, start, end, (flags & MS_SYNC) != 0);
    if (r || !(flags & MS_INVALIDATE))
        return r;
    /* MS_INVALIDATE: the range's pages read the file again, so that a host
     * process's writes become visible (they have no other way in). */
    struct fmap *fm = &in->fmap;
    for (uint64_t va = start; va < end;) {
        ilock(&in->mm_lock);
        struct vma *v = vma_next(&in->map, va);
        if (!v || v->start >= end) {
            iunlock(&in->mm_lock);
            break;
        }
        uint64_t s = v->start > va ? v->start : va, e = v->end < end ? v->end : end;
        int shared = (v->flags & VMA_F_SHARED) != 0;
        uint64_t pa = s + (uint64_t)v->pa_off;
        iunlock(&in->mm_lock);
        for (uint64_t p = pa; shared && p < pa + (e - s);) {
            struct fmap_ext *x = ext_at_pa(fm, p);
            if (!x)
                break;
            uint64_t n = x->pa + x->len - p;
            if (n > pa + (e - s) - p)
                n = pa + (e - s) - p;
            fmap_read(in, fm->f[x->file].handle, p, n, x->off + (p - x->pa));
            p += n;
        }
        va = e;
    }
    return 0;
}

int64_t fmap_mremap(struct instance *in, uint64_t old, uint64_t old_size, uint64_t new_size, uint64_t mflags)
{
    struct fmap *fm = &in->fmap;
    /* The old range: shared pages of one file at consecutive offsets. */
    ilock(&in->mm_lock);
    int file = -1;
    uint64_t foff = 0;
    uint32_t prot = 0;
    uint16_t flags = 0;
    for (uint64_t va = old; va < old + old_size; va += PAGE_SIZE) {
        struct vma *v = vma_find(&in->map, va);
        struct fmap_ext *x = v && (v->flags & VMA_F_SHARED) ? ext_at_pa(fm, va + (uint64_t)v->pa_off) : 0;
        uint64_t o = x ? x->off + (va + (uint64_t)v->pa_off - x->pa) : 0;
        if (!x || (va == old ? 0 : (x->file != file || o != foff + (va - old) || v->prot != prot))) {
            iunlock(&in->mm_lock);
            return -EFAULT;
        }
        if (va == old) {
            file = x->file;
            foff = o;
            prot = v->prot;
            flags = v->flags & (VMA_F_SHARED | VMA_F_NOWRITE);
        }
    }
    iunlock(&in->mm_lock);
    if (new_size <= old_size) {
        if (new_size < old_size) {
            int r = fmap_unmap(in, old + new_size, old + old_size);
            if (r)
                return r;
        }
        return (int64_t)old;
    }
    uint64_t grow_at = old + old_size, more = new_size - old_size;
    ilock(&in->mm_lock);
    int in_place = grow_at >= in->mem_lo && grow_at <= in->mem_hi && more <= in->mem_hi - grow_at &&
                   vma_is_free(&in->map, grow_at, grow_at + more);
    iunlock(&in->mm_lock);
    if (in_place) {
        int64_t r = map_at(in, (uint16_t)file, grow_at, more, foff + old_size, prot, 1, flags);
        if (r >= 0)
            return (int64_t)old;
    }
    if (!(mflags & 1 /* MREMAP_MAYMOVE */))
        return -ENOMEM;
    /* The new range aliases the old one's pages, which then go: one copy. */
    int64_t moved = map_at(in, (uint16_t)file, 0, new_size, foff, prot, 0, flags);
    if (moved < 0)
        return moved;
    int r = fmap_unmap(in, old, old + old_size);
    return r ? r : moved;
}
